"""Who may see and do what on the moderator pages, through real requests."""

import pytest
from django.contrib.auth.models import Group

from moderation import workflow
from moderation.models import (
    Annotation,
    Case,
    Flag,
    Message,
    ModerationEvent,
    Sanction,
    SavedReply,
    WatchedWord,
)
from moderation.pages.cases import CASE_ACTIONS
from tests.helpers import client_for, flashes
from threads.models import Comment, Essay

LOGIN = "/accounts/login/"

# Form data that would make every action do something if the request got through.
ACTION_DATA = {
    "call-in": {"body": "Hello, would you reread your comment?", "pause_visibility": "on"},
    "message": {"body": "A follow-up."},
    "annotate": {"kind": "context", "body": "Some context."},
    "retract-note": {},  # "annotation" is filled in by the test
    "bridge": {"body": "Both of you care about this; can we slow down?"},
    "pause-replies": {"minutes": "30"},
    "collapse": {"hours": "2"},
    "slow-mode": {"minutes": "5", "hours": "1"},
    "resolve": {"outcome": "hidden", "hide_reason": "harmful", "reason": "Insults."},
    "reopen": {"reason": "Second look."},
    "unhide": {"reason": "Mistake."},
    "warn": {"reason": "Insults.", "skip_reason": "Repeated."},
    "pause-posting": {"reason": "Insults.", "hours": "24", "skip_reason": "Repeated."},
    "suspend": {"reason": "Insults.", "skip_reason": "Threats."},
    "lift-sanction": {"reason": "Apologised."},  # "sanction" is filled in by the test
}


def moderator_gets(case):
    return ["/moderation/", f"/moderation/cases/{case.pk}/", "/moderation/log/"]


def snapshot(case):
    """Everything an action could change."""
    comment = Comment.objects.get(pk=case.comment_id)
    essay = Essay.objects.get(pk=case.essay_id)
    return {
        "case": Case.objects.filter(pk=case.pk).values().get(),
        "comment": (
            comment.body,
            comment.status,
            comment.visibility_paused,
            comment.replies_paused_until,
            comment.collapsed,
            comment.collapsed_until,
        ),
        "essay": (essay.slow_mode_seconds, essay.slow_mode_until),
        "comments": Comment.objects.count(),
        "cases": Case.objects.count(),
        "events": ModerationEvent.objects.count(),
        "messages": Message.objects.count(),
        "annotations": list(Annotation.objects.values_list("id", "retracted_at")),
        "flags": Flag.objects.count(),
        "sanctions": list(Sanction.objects.values_list("id", "lifted_at")),
    }


@pytest.fixture
def note(flagged_case, moderator):
    """A note and a warning on the case, for the actions that retract or lift them."""
    note = workflow.annotate(
        moderator, flagged_case.comment, "comment_note", "Watch this.", flagged_case
    )
    warning = workflow.sanction(moderator, flagged_case, "warning", "Rude.", skip_reason="x")
    return {"annotation": str(note.pk), "sanction": str(warning.pk)}


def action_post(case, action, note):
    data = {"version": str(case.version), **ACTION_DATA.get(action, {})}
    if action == "retract-note":
        data["annotation"] = note["annotation"]
    if action == "lift-sanction":
        data["sanction"] = note["sanction"]
    return f"/moderation/cases/{case.pk}/{action}/", data


@pytest.fixture
def people(reader, writer, moderator, organizer, admin_user):
    return {
        "anonymous": None,
        "reader": reader,
        "author": writer,
        "moderator": moderator,
        "organizer": organizer,
        "superuser": admin_user,
    }


def test_groups_exist_with_their_roles(db):
    moderators = Group.objects.get(name="moderators")
    organizers = Group.objects.get(name="organizers")
    assert moderators.permissions.filter(codename="moderate_case").exists()
    assert not organizers.permissions.filter(codename="moderate_case").exists()
    assert organizers.permissions.filter(codename="open_case").exists()


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", 302),
        ("reader", 403),
        ("author", 403),
        ("organizer", 403),
        ("moderator", 200),
        ("superuser", 200),
    ],
)
def test_moderator_pages(people, flagged_case, who, expected):
    client = client_for(people[who])
    for url in moderator_gets(flagged_case):
        response = client.get(url)
        assert response.status_code == expected, (who, url)
        if expected == 302:
            assert response["Location"] == f"{LOGIN}?next={url}"


@pytest.mark.parametrize("who", ["anonymous", "reader", "author", "organizer"])
def test_case_actions_are_refused_and_change_nothing(people, flagged_case, note, who):
    client = client_for(people[who])
    case = Case.objects.get(pk=flagged_case.pk)
    before = snapshot(case)
    for action in sorted(CASE_ACTIONS):
        url, data = action_post(case, action, note)
        response = client.post(url, data)
        if who == "anonymous":
            assert response.status_code == 302, action
            assert response["Location"] == f"{LOGIN}?next={url}", action
        else:
            assert response.status_code == 403, action
        assert snapshot(case) == before, action


@pytest.mark.parametrize("who", ["moderator", "superuser"])
def test_case_actions_are_allowed(people, flagged_case, note, who):
    """Each action gets through to the case (some are then refused by the workflow)."""
    client = client_for(people[who])
    for action in sorted(CASE_ACTIONS):
        case = Case.objects.get(pk=flagged_case.pk)
        url, data = action_post(case, action, note)
        response = client.post(url, data)
        assert response.status_code == 302, action
        assert response["Location"] == f"/moderation/cases/{case.pk}/", action


def test_get_on_an_action_is_not_allowed_and_changes_nothing(moderator, flagged_case, note):
    client = client_for(moderator)
    case = Case.objects.get(pk=flagged_case.pk)
    before = snapshot(case)
    for action in sorted(CASE_ACTIONS):
        url, data = action_post(case, action, note)
        assert client.get(url, data).status_code == 405, action
        assert snapshot(case) == before, action


def test_unknown_action_is_not_found(moderator, flagged_case):
    before = snapshot(flagged_case)
    url = f"/moderation/cases/{flagged_case.pk}/delete/"
    response = client_for(moderator).post(url, {"version": str(flagged_case.version)})
    assert response.status_code == 404
    assert snapshot(flagged_case) == before


def test_action_on_a_missing_case_is_not_found(moderator, flagged_case):
    response = client_for(moderator).post("/moderation/cases/999999/claim/", {"version": "1"})
    assert response.status_code == 404


def test_missing_case_page_is_not_found(moderator, db):
    assert client_for(moderator).get("/moderation/cases/999999/").status_code == 404


# --- opening a case without a flag ----------------------------------------------------


def open_case_url(comment):
    return f"/moderation/comments/{comment.pk}/open-case/"


@pytest.mark.parametrize("who", ["anonymous", "reader", "author"])
def test_open_case_is_refused(people, writer_comment, who):
    response = client_for(people[who]).post(open_case_url(writer_comment), {"note": "Look."})
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    else:
        assert response.status_code == 403
    assert not Case.objects.exists()
    assert not ModerationEvent.objects.exists()


def test_organizer_opens_a_case_and_returns_to_the_comment(organizer, writer_comment):
    client = client_for(organizer)
    response = client.post(open_case_url(writer_comment), {"note": "Heated exchange."})
    assert response.status_code == 302
    assert response["Location"] == f"/essays/essay/comments/{writer_comment.pk}/"
    case = Case.objects.get(comment=writer_comment)
    assert case.opened_by == organizer
    assert case.state == Case.State.OPEN
    assert case.annotations.get().body == "Heated exchange."
    # ... but the organizer still cannot look at the case.
    assert client.get(f"/moderation/cases/{case.pk}/").status_code == 403


def test_moderator_opening_a_case_lands_on_it(moderator, writer_comment):
    client = client_for(moderator)
    response = client.post(open_case_url(writer_comment), follow=True)
    case = Case.objects.get(comment=writer_comment)
    assert response.redirect_chain == [(f"/moderation/cases/{case.pk}/", 302)]
    assert flashes(response) == ["A case is open on this comment."]
    response = client.post(open_case_url(writer_comment), follow=True)
    assert flashes(response) == ["This comment already has an open case."]
    assert Case.objects.count() == 1


def test_get_on_open_case_is_not_allowed(moderator, writer_comment):
    response = client_for(moderator).get(open_case_url(writer_comment))
    assert response.status_code == 405
    assert not Case.objects.exists()


# --- the pages of moderation depth (issue 7) ---------------------------------------------

MODERATORS = {"moderator", "superuser"}
ORGANIZERS = {"organizer", "superuser"}
EITHER = MODERATORS | ORGANIZERS
SETTINGS = {
    "call_in_hours": "24",
    "auto_hold_weight": "0",
    "premoderate_first": "0",
    "heat_threshold": "0.7",
}


@pytest.fixture
def depth_requests(flagged_case, moderator):
    """(method, URL, data, who may) for every URL added for moderation depth."""
    space = "/organize/essay/watched-words/"
    site = "/organize/watched-words/"
    word = WatchedWord.objects.create(essay=flagged_case.essay, pattern="durian", action="hold")
    site_word = WatchedWord.objects.create(essay=None, pattern="kumquat", action="block")
    case = flagged_case
    return [
        ("get", "/moderation/saved-replies/", {}, MODERATORS),
        (
            "post",
            "/moderation/saved-replies/",
            {"kind": "call_in", "title": "T", "body": "B"},
            MODERATORS,
        ),
        (
            "post",
            "/moderation/bulk/",
            {"case": case.pk, f"v{case.pk}": case.version, "action": "claim"},
            MODERATORS,
        ),
        ("post", f"/moderation/comments/{case.comment_id}/feature/", {"featured": "1"}, EITHER),
        ("get", "/moderation/dashboard/", {}, MODERATORS),
        ("get", space, {}, EITHER),
        ("post", f"{space}add/", {"pattern": "plum", "action": "flag"}, EITHER),
        ("post", f"{space}test/", {"text": "A durian."}, EITHER),
        ("post", f"{space}import/", {"csv_text": "pear,flag"}, EITHER),
        ("get", f"{space}export/", {}, EITHER),
        ("post", f"{space}{word.pk}/remove/", {}, EITHER),
        ("get", site, {}, MODERATORS),
        ("post", f"{site}add/", {"pattern": "plum", "action": "flag"}, MODERATORS),
        ("post", f"{site}test/", {"text": "A kumquat."}, MODERATORS),
        ("post", f"{site}import/", {"csv_text": "pear,flag"}, MODERATORS),
        ("get", f"{site}export/", {}, MODERATORS),
        ("post", f"{site}{site_word.pk}/remove/", {}, MODERATORS),
        ("post", "/organize/essay/settings/", SETTINGS, ORGANIZERS),
    ]


def depth_snapshot(case):
    return {
        **snapshot(case),
        "featured": Comment.objects.get(pk=case.comment_id).featured_at,
        "words": list(
            WatchedWord.objects.order_by("id").values_list("essay_id", "pattern", "action")
        ),
        "saved": list(SavedReply.objects.values_list("id", "title")),
        "settings": Essay.objects.values_list(*SETTINGS).get(pk=case.essay_id),
    }


@pytest.mark.parametrize(
    "who", ["anonymous", "reader", "author", "moderator", "organizer", "superuser"]
)
def test_every_moderation_depth_url_checks_who_asks(people, flagged_case, depth_requests, who):
    client = client_for(people[who])
    for method, url, data, allowed in depth_requests:
        before = depth_snapshot(flagged_case)
        response = getattr(client, method)(url, data)
        if who == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"] == f"{LOGIN}?next={url}", url
        elif who not in allowed:
            assert response.status_code == 403, (who, url)
        else:
            assert response.status_code in (200, 302), (who, url, response.status_code)
            continue
        assert depth_snapshot(flagged_case) == before, (who, url)


def test_a_warning_is_acknowledged_only_by_its_author(people, flagged_case, note):
    url = f"/inbox/warnings/{note['sanction']}/acknowledge/"
    for who in ["anonymous", "reader", "moderator", "organizer", "superuser"]:
        response = client_for(people[who]).post(url)
        assert response.status_code == (302 if who == "anonymous" else 404), who
        assert Sanction.objects.get(pk=note["sanction"]).acknowledged_at is None, who
    assert client_for(people["author"]).get(url).status_code == 405
    assert client_for(people["author"]).post(url).status_code == 302
    assert Sanction.objects.get(pk=note["sanction"]).acknowledged_at is not None
