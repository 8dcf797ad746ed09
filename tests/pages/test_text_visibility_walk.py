"""Hidden stays hidden: every GET URL × role × status, and the mail and export besides.

Five comments by one author, one per status, each carries a unique marker as its
text, has a case (flagged by a reader) and an inbox conversation (a call-in,
which emails the author).  Every named URL pattern of the resolver is filled with
the essay's slug and each comment's and case's ids and fetched as each role, as a
page and as an htmx request.  A marker may appear in a response only where
``EXPECTED`` (the table in ``threads.visibility``) lets that role read it; each
role must also read, somewhere, every text it may read (so the walk really
reaches the pages that show them).
"""

import itertools
import json
import uuid
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from moderation import workflow
from tests.helpers import fresh, make_comment, make_user
from threads.models import Comment
from threads.visibility import comment_text_visible

ROLES = ("anonymous", "reader", "author", "moderator", "organizer", "admin")
STATUSES = ("visible", "paused", "pending", "hidden", "withdrawn")
# The table of threads.visibility, written out again so the test does not trust the code.
EXPECTED = {
    "visible": set(ROLES),
    "paused": {"author", "moderator", "admin"},
    "pending": {"author", "moderator", "admin"},
    "hidden": {"author", "moderator", "admin"},
    "withdrawn": {"author", "moderator", "admin"},
}
CHANGES = {
    "visible": {},
    "paused": {"visibility_paused": True},
    "pending": {"status": Comment.Status.PENDING},
    "hidden": {"status": Comment.Status.HIDDEN},
    "withdrawn": {"status": Comment.Status.WITHDRAWN},
}


def named_patterns(patterns, namespace=None, params=()):
    """(URL name with its namespaces, the parameters it takes) of every named pattern."""
    for pattern in patterns:
        names = tuple(
            getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groupindex
        )
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from named_patterns(pattern.url_patterns, inner, params + names)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, params + names


def urls_for(name, params, values):
    """Every URL of the pattern with each combination of the candidate values."""
    choices = [values.get(param, ["x"]) for param in params]
    urls = set()
    for combination in itertools.product(*choices):
        try:
            urls.add(reverse(name, kwargs=dict(zip(params, combination, strict=True))))
        except NoReverseMatch:
            continue
    return sorted(urls)


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def people(reader, moderator, organizer, superuser):
    return {
        "anonymous": None,
        "reader": reader,
        "author": make_user("writer", email="writer@example.org"),
        "moderator": moderator,
        "organizer": organizer,
        "admin": superuser,
    }


@pytest.fixture
def world(essay, people, django_capture_on_commit_callbacks, mailoutbox):
    """One comment per status, each with a flagged case and a call-in in its author's inbox."""
    markers, comments, cases = {}, {}, {}
    top = make_comment(essay, body="A visible comment everyone may answer.")
    for status in STATUSES:
        markers[status] = f"zq{status}{uuid.uuid4().hex[:10]}"
        comment = make_comment(
            essay, body=f"{markers[status]} is what I wrote.", parent=top, author=people["author"]
        )
        _, case = workflow.flag_comment(people["reader"], comment, "heated")
        with django_capture_on_commit_callbacks(execute=True):
            workflow.call_in(people["moderator"], case, "Could we talk about this comment?")
        Comment.objects.filter(pk=comment.pk).update(**CHANGES[status])
        comments[status], cases[status] = fresh(comment), case
    return {"markers": markers, "comments": comments, "cases": cases, "mail": mailoutbox}


def leaks_in(text, markers, role):
    """The statuses whose marker is in ``text`` although ``role`` may not read them."""
    return {s for s, marker in markers.items() if marker in text and role not in EXPECTED[s]}


def test_the_rule_is_the_table(world, people):
    for status, comment in world["comments"].items():
        for role, user in people.items():
            allowed = comment_text_visible(comment=comment, user=user)
            assert allowed == (role in EXPECTED[status]), (status, role)


def test_every_get_url_role_and_status(world, people, essay, client):
    markers, comments, cases = world["markers"], world["comments"], world["cases"]
    comment_type = ContentType.objects.get_for_model(Comment).pk
    patterns = sorted(set(named_patterns(get_resolver().url_patterns)))
    clients = {}
    for role, user in people.items():
        clients[role] = type(client)()
        if user is not None:
            clients[role].force_login(user)
    urls = set()
    for status in STATUSES:
        ids = [str(comments[status].pk), str(cases[status].pk)]
        values = {
            "slug": [essay.slug],
            "pk": ids,
            "object_id": ids,
            "content_type_id": [str(comment_type)],
            "app_label": ["threads", "moderation"],
            "action": ["reply"],
        }
        for name, params in patterns:
            urls.update(urls_for(name, params, values))
    # Every status's comment exists at once, so each response is checked for all five
    # markers; a URL is fetched once per role (and once more as htmx outside the admin).
    seen = {role: set() for role in ROLES}
    leaks, requests = [], 0
    for url in sorted(urls):
        variants = ({},) if url.startswith("/admin/") else ({}, {"HX-Request": "true"})
        for role, headers in itertools.product(ROLES, variants):
            text = body_of(clients[role].get(url, headers=headers))
            requests += 1
            seen[role] |= {s for s, m in markers.items() if m in text}
            leaks.extend((url, role, s) for s in leaks_in(text, markers, role))
    print(
        f"\nvisibility walk: {len(patterns)} URL patterns, {len(urls)} URLs × {len(ROLES)} roles"
        f" × {len(STATUSES)} statuses = {len(urls) * len(ROLES) * len(STATUSES)} checks,"
        f" {requests} GET requests"
    )
    assert not leaks, f"texts shown to roles that may not read them: {sorted(set(leaks))}"
    for role in ROLES:
        assert seen[role] == {s for s in STATUSES if role in EXPECTED[s]}, role


def test_mail_tells_only_its_reader(world, people):
    """The call-in emails go to the author, who may read every text; none carries one."""
    mail = world["mail"]
    assert len(mail) == len(STATUSES)
    roles_by_address = {u.email: r for r, u in people.items() if u is not None and u.email}
    for message in mail:
        for address in message.to:
            role = roles_by_address[address]
            assert not leaks_in(message.subject + message.body, world["markers"], role)
        assert not any(m in message.body for m in world["markers"].values())


@pytest.mark.parametrize("format", ["jsonl", "csv"])
def test_export_carries_no_hidden_text(world, format):
    """The log export is an admin's (who may read every text), but it leaves the site
    for audits: flags and call-ins are logged by ids and the moderators' own words,
    so no comment's text is in it."""
    out = StringIO()
    call_command("export_moderation_log", format=format, stdout=out)
    text = out.getvalue()
    if format == "jsonl":
        actions = {json.loads(line)["action"] for line in text.splitlines()}
        assert {"flag_added", "call_in_sent"} <= actions, actions
    assert not leaks_in(text, world["markers"], "admin")
    assert not [s for s, marker in world["markers"].items() if marker in text]
