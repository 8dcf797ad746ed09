"""No input breaks a page: every URL, as every role, with arbitrary values for each
parameter it reads, answers below 500.

The URLs come from the resolver (the Django admin aside: it is Django's own, and
its changes are tested with the workflow in the admin tests); ``PARAMS`` below
names what each view reads from the query string and the form, and a URL missing
from it fails the test, so a new page is fuzzed from the day it is added. Path
converters are filled with real objects (the essay, a comment with its case, a
warning, a watched word). Each example runs in a savepoint rolled back after it,
so every example sees the same objects and a failure shrinks to one request.
"""

import copy
import importlib
import os
from collections import Counter
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import saved, watched, workflow
from moderation.models import Annotation, Case, Reason, Sanction, SavedReply, WatchedWord
from tests.helpers import make_comment, make_user
from threads.models import Essay

# Examples per URL (and action): within about a minute per database on a busy 2-core
# machine. CALLIN_FUZZ_EXAMPLES=200 runs a deeper search by hand.
EXAMPLES_WITH_INPUT = int(os.environ.get("CALLIN_FUZZ_EXAMPLES", "10"))
EXAMPLES_WITHOUT_INPUT = 4

FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

MEGABYTE = "x" * 1_000_000
# What the findings of issue 13 sent, and their kin: digits int() refuses, numbers
# no column holds, floats no duration takes, NUL, and text far past every bound.
NASTY_NUMBERS = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "²",
        "٣",
        "¹²³",
        "1e300",
        "-1e300",
        "inf",
        "-inf",
        "nan",
        "Infinity",
        "9" * 30,
        "-" + "9" * 30,
        "99999999999999",
        "-99999999999999",
        str(2**63),
        "1.5",
        "0x10",
    ]
)
NASTY_TEXT = st.sampled_from(
    [
        " ",
        "abc",
        "\x00",
        "1\x00",
        "a\x00b",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "é" * 5000,
        "y" * 4001,
        "z" * 10_001,
        MEGABYTE,
        "\x00" + MEGABYTE,
    ]
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)  # HTTP carries no surrogates
NUMBER = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
ANY = st.one_of(NASTY_NUMBERS, NASTY_TEXT, TEXT, NUMBER)

# Case-page action -> the form fields it reads besides the case's version.
CASE_FIELDS = {
    "call-in": ("body", "pause_visibility"),
    "message": ("body",),
    "annotate": ("kind", "body", "label"),
    "retract-note": ("annotation",),
    "bridge": ("body",),
    "pause-replies": ("minutes",),
    "collapse": ("hours",),
    "slow-mode": ("minutes", "hours"),
    "resolve": ("outcome", "reason", "saved_reason", "hide_reason"),
    "warn": ("reason", "skip_reason"),
    "pause-posting": ("reason", "hours", "skip_reason"),
    "suspend": ("reason", "skip_reason"),
    "lift-sanction": ("sanction", "reason"),
    "reopen": ("reason",),
    "unhide": ("reason",),
}

# URL name -> (query-string parameters, form fields) the view reads. A form field named
# "*file" is sent as an uploaded file holding the value.
PARAMS = {
    "login": ((), ("username", "password")),
    "logout": ((), ()),
    "password_change": ((), ("old_password", "new_password1", "new_password2")),
    "password_change_done": ((), ()),
    "password_reset": ((), ("email",)),
    "password_reset_done": ((), ()),
    "password_reset_confirm": ((), ("new_password1", "new_password2")),
    "password_reset_complete": ((), ()),
    "threads:essays": ((), ()),
    "threads:essay": (("page",), ()),
    "threads:reply": ((), ("body", "nudge", "post_anyway")),
    "threads:reply_to": ((), ("body", "nudge", "post_anyway")),
    "threads:whole_thread": ((), ()),
    "threads:in_thread": ((), ()),
    "threads:comment": ((), ()),
    "threads:replies": (("after",), ()),
    "threads:edit": ((), ("body",)),
    "threads:withdraw": ((), ()),
    "moderation:queue": (("essay", "reason", "state", "sort", "mine", "page"), ()),
    "moderation:case": (("template",), ()),
    "moderation:case_action": ((), ("version",)),  # and CASE_FIELDS of the action
    "moderation:case_live": (("since",), ()),
    "moderation:queue_rows": (("essay", "reason", "state", "sort", "mine", "page"), ()),
    "moderation:queue_action": ((), ("version", "body", "next")),
    "moderation:open_case": ((), ("note",)),
    "moderation:log": (("action", "actor", "essay", "case", "page"), ()),
    "moderation:bulk": (
        (),
        ("case", "v", "action", "outcome", "hide_reason", "reason", "saved_reason", "next"),
    ),
    "moderation:saved_replies": ((), ("delete", "kind", "title", "body")),
    "moderation:feature": ((), ("featured",)),
    "moderation:acknowledge_warning": ((), ()),
    "moderation:dashboard": ((), ()),
    "moderation:flag": ((), ("reason", "note")),
    "moderation:inbox": ((), ()),
    "moderation:inbox_case": ((), ()),
    "moderation:inbox_action": ((), ("body",)),
    "moderation:appeal_new": ((), ("body",)),
    "moderation:appeal": ((), ()),
    "moderation:appeal_case": ((), ("outcome", "reason")),
    "moderation:transparency": (("space",), ()),
    "moderation:transparency_csv": (("space",), ()),
    "organize:spaces": ((), ()),
    "organize:new": (
        (),
        ("essay_text", "essay_file", "title", "subtitle", "body", "slug", "author_name"),
    ),
    "organize:edit": ((), ("title", "subtitle", "author_name", "guidelines")),
    "organize:settings": (
        (),
        ("call_in_hours", "auto_hold_weight", "premoderate_first", "heat_threshold"),
    ),
    "organize:discussion": ((), ("state",)),
    "organize:slow_mode": ((), ("interval_minutes", "duration_hours", "lift")),
    "organize:prompt": ((), ("prompt", "sign_as")),
    "organize:import": ((), ("comment_file", "replies", "page_text", "page_name", "preview")),
    "organize:import_arrange": ((), ("page_text", "page_name", "parent_2", "arrange", "import")),
    "organize:essay_text": ((), ("text", "based_on", "previewed", "preview", "save")),
    **{
        f"organize:{prefix}{name}": ((), fields)
        for prefix in ("", "site_")
        for name, fields in {
            "watched_words": (),
            "watched_add": ("pattern", "action"),
            "watched_remove": (),
            "watched_test": ("text",),
            "watched_import": ("csv_file", "csv_text"),
            "watched_export": (),
        }.items()
    },
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL the site serves, the admin's aside."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace + entry.name


ROUTES = sorted(set(url_patterns()))


def module_table(path, name):
    """A view module's table of actions (e.g. CASE_ACTIONS), wherever the view lives."""
    return getattr(importlib.import_module(resolve(path).func.__module__), name)


def targets():
    """(route, name, action) to fuzz: each action of an action URL on its own."""
    for route, name in ROUTES:
        if name == "moderation:case_action":
            for action in module_table("/moderation/cases/1/claim/", "CASE_ACTIONS"):
                yield route, name, action
        elif name == "moderation:queue_action":
            for action in module_table("/moderation/cases/1/queue/no-action/", "QUEUE_ACTIONS"):
                yield route, name, action
        elif name == "moderation:inbox_action":
            for action in module_table("/inbox/1/reply/", "INBOX_ACTIONS"):
                yield route, name, action
        else:
            yield route, name, None


TARGETS = list(targets())
examples = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_examples(request):
    """Say how many requests the fuzz sent (the closing note of issue 13 counts them)."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if examples and reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nURL fuzz: {sum(examples.values())} requests answered below 500, over "
                f"{len(examples)} (URL, action, role) triples of {len(TARGETS) * 4}"
            )


def test_every_url_has_its_parameters_listed():
    assert {name for _, name in ROUTES} - set(PARAMS) == set()
    assert len(TARGETS) > 60


@pytest.fixture
def world(db, settings):
    """One of everything a URL can point at, made once per test."""
    settings.CALLIN_RATE_LIMITS = {}
    reader = make_user("fuzz-reader")
    flagger = make_user("fuzz-flagger")
    moderator = make_user("fuzz-moderator", "moderators")
    organizer = make_user("fuzz-organizer", "organizers")
    essay = Essay.objects.create(slug="fuzz", title="Fuzz", subtitle="Every input")
    comment = make_comment(essay, body="The reader's comment.", author=reader)
    make_comment(essay, body="A reply.", parent=comment, author=flagger)
    _, case = workflow.flag_comment(flagger, comment, Reason.HEATED)
    workflow.call_in(moderator, case, "Would you reread it?")
    case.refresh_from_db()
    warning = workflow.sanction(moderator, case, Sanction.Kind.WARNING, "Be kind.")
    annotation = workflow.annotate(moderator, comment, Annotation.Kind.COMMENT_NOTE, "A note.")
    hide = saved.save_reply(moderator, SavedReply.Kind.HIDE_REASON, "Spam", "It is spam.")
    watched.add_word(moderator, essay, "idiot*", WatchedWord.Action.FLAG)
    watched.add_word(moderator, None, "moron", WatchedWord.Action.HOLD)
    case.refresh_from_db()
    users = {"anonymous": None, "reader": reader, "moderator": moderator, "organizer": organizer}
    ids = {
        "case": case.pk,
        "comment": comment.pk,
        "warning": warning.pk,
        "word": WatchedWord.objects.get(essay=essay).pk,
        "site_word": WatchedWord.objects.get(essay=None).pk,
    }
    good = {
        "version": [str(case.version)],
        "case": [str(case.pk)],
        "v": [str(case.version)],
        "sanction": [str(warning.pk)],
        "annotation": [str(annotation.pk)],
        "saved_reason": [str(hide.pk)],
        "delete": [str(hide.pk)],
        "after": [str(comment.pk)],
        "outcome": Case.Outcome.values,
        "reason": Reason.values,
        "kind": [*Annotation.Kind.values, *SavedReply.Kind.values],
        "minutes": ["30", "0", "1440"],
        "hours": ["1", "0.5", "720"],
        "template": ["reflect", f"saved-{hide.pk}"],
    }
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return {"clients": clients, "ids": ids, "good": good, "essay": essay}


def path_for(route, name, action, ids):
    """``route`` with its converters filled by the objects the URL is about."""
    pk = {
        "moderation:case": ids["case"],
        "moderation:case_action": ids["case"],
        "moderation:case_live": ids["case"],
        "moderation:queue_action": ids["case"],
        "moderation:inbox_case": ids["case"],
        "moderation:inbox_action": ids["case"],
        "moderation:acknowledge_warning": ids["warning"],
        "organize:watched_remove": ids["word"],
        "organize:site_watched_remove": ids["site_word"],
    }.get(name, ids["comment"])
    path = route.replace("<slug:slug>", "fuzz").replace("<int:pk>", str(pk))
    path = path.replace("<slug:action>", action or "").replace("<str:action>", action or "")
    path = path.replace("<uidb64>", "MQ").replace("<token>", "set-password")
    path = path.replace("<slug:kind>", "warning").replace("<int:target>", str(ids["warning"]))
    path = path.replace("<int:case_pk>", str(ids["case"]))
    assert "<" not in path, path
    return "/" + path


def fields_of(name, action):
    """The query-string parameters and form fields the URL (and its action) reads."""
    query_fields, form_fields = PARAMS[name]
    return query_fields, form_fields + CASE_FIELDS.get(action, ())


@st.composite
def request_values(draw, fields, good):
    """Values for ``fields``: one of them (if any) attacked with an arbitrary value, the
    others good (so that the view reads past them), arbitrary or left out."""
    attacked = draw(st.sampled_from(fields)) if fields else None
    values = {}
    for field in fields:
        usual = st.sampled_from(good.get(field, ["1", "text"]))
        if field == attacked:
            values[field] = draw(ANY, label=field)
        elif (choice := draw(st.sampled_from(["good", "good", "any", "absent"]))) != "absent":
            values[field] = draw(usual if choice == "good" else ANY, label=field)
    return values


def as_form(values, good):
    """Form data: files uploaded, the bulk form's ``v`` named for a (maybe odd) case id."""
    data = {}
    for field, value in values.items():
        if field.endswith("file"):
            data[field] = SimpleUploadedFile("fuzz.txt", value.encode("utf-8", "replace"))
        elif field == "v":
            for pk in (*good["case"], "²", "9" * 30):
                data[f"v{pk}"] = value
        else:
            data[field] = value
    return data


def run_fuzz(world, route, name, action, data):
    role = data.draw(st.sampled_from(sorted(world["clients"])), label="role")
    query_fields, form_fields = fields_of(name, action)
    good = world["good"]
    values = data.draw(request_values((*query_fields, *form_fields), good))
    query = {f: v for f, v in values.items() if f in query_fields}
    form = as_form({f: v for f, v in values.items() if f in form_fields}, good)
    methods = ["post", "post", "get"] if form_fields else ["get", "post"]
    method = data.draw(st.sampled_from(methods), label="method")
    headers = {"HX-Request": "true"} if data.draw(st.booleans(), label="htmx") else {}
    path = path_for(route, name, action, world["ids"])
    client = world["clients"][role]
    cookies = copy.deepcopy(client.cookies)  # a sign-in or sign-out lasts one example
    with transaction.atomic():
        if method == "post":
            query_string = f"?{urlencode(query)}" if query else ""
            response = client.post(path + query_string, form, headers=headers)
        else:
            response = client.get(path, query, headers=headers)
        transaction.set_rollback(True)
    client.cookies = cookies
    assert response.status_code < 500, (role, method, path, query, form)
    examples[(name, action, role)] += 1


WITH_INPUT = [t for t in TARGETS if any(fields_of(t[1], t[2]))]
WITHOUT_INPUT = [t for t in TARGETS if not any(fields_of(t[1], t[2]))]


@pytest.mark.parametrize(("route", "name", "action"), WITH_INPUT, ids=str)
@settings(FUZZ, max_examples=EXAMPLES_WITH_INPUT)
@given(data=st.data())
def test_no_input_gives_a_server_error(world, route, name, action, data):
    run_fuzz(world, route, name, action, data)


@pytest.mark.parametrize(("route", "name", "action"), WITHOUT_INPUT, ids=str)
@settings(FUZZ, max_examples=EXAMPLES_WITHOUT_INPUT)
@given(data=st.data())
def test_no_page_without_input_gives_a_server_error(world, route, name, action, data):
    run_fuzz(world, route, name, action, data)
