"""The demo's past (moderation.demo_history, moderation.demo_recent): made through the
workflow, once, and enough for the queue, the case pages, the log, the dashboard, the
transparency table and the effects to show real work on the first open."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from moderation import demo_recent, effects, transparency
from moderation.audit import moderation_log_verify
from moderation.management.commands.seed_demo import DEMO_ACCOUNTS
from moderation.models import Annotation, Appeal, Case, Message, ModerationEvent
from threads.models import Comment, CommentRevision


@pytest.mark.django_db
def test_seed_demo_adds_weeks_of_history_once():
    call_command("seed_demo", verbosity=0)
    events = ModerationEvent.objects.count()
    appeals = sorted(Appeal.objects.values_list("kind", "outcome"))
    assert appeals == [("hidden", "overturned"), ("hidden", "upheld"), ("warning", "")]
    # The waiting appeal is a case in the queue; the decided ones were decided by sam.
    assert Case.objects.filter(origin=Case.Origin.APPEAL, state="open").count() == 1
    assert set(
        Appeal.objects.exclude(outcome="").values_list("decided_by__username", flat=True)
    ) == {"sam"}
    groups = {g.key: (g.authors, g.followed) for g in effects.first_case_groups()}
    assert all(authors >= 1 and followed >= 1 for authors, followed in groups.values())
    table = transparency.transparency_table()
    opened = next(row for row in table.rows if row.label == "Cases opened")
    assert sum(opened.values) >= 10
    assert moderation_log_verify().problem is None

    call_command("seed_demo", verbosity=0)
    assert ModerationEvent.objects.count() == events and Appeal.objects.count() == 3


# --- the last weeks and the present (moderation.demo_recent) ---------------------------------


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_the_queue_starts_with_a_case_in_every_state(demo):
    open_cases = Case.objects.exclude(state=Case.State.RESOLVED).select_related("comment")
    by_author = {case.comment.author_name: case for case in open_cases}
    assert by_author["pia"].state == "open" and by_author["pia"].claimed_by is None
    assert by_author["pia"].comment.replies_paused()  # a cool-down on now
    assert by_author["quin"].auto_held and by_author["quin"].claimed_by.username == "sam"
    assert by_author["quin"].annotations.filter(created_by__username="sam").exists()
    rosa = by_author["rosa"]
    assert rosa.state == "waiting" and rosa.call_in_deadline > timezone.now()
    assert by_author["teo"].state == "answered"
    assert by_author["teo"].messages.filter(kind=Message.Kind.AUTHOR).exists()
    uma = by_author["uma"]
    assert uma.state == "answered" and uma.messages.filter(kind=Message.Kind.REVISED).exists()
    assert CommentRevision.objects.filter(comment=uma.comment).exists()  # a diff to show
    assert by_author["vic"].state == "open" and by_author["vic"].no_answer
    assert by_author["wes"].watched_words == ["snowflake*"]
    assert by_author["xan"].comment.status == Comment.Status.PENDING  # "brainwashed" holds
    assert by_author["yan"].origin == Case.Origin.NEWCOMER
    assert by_author["lea"].origin == Case.Origin.APPEAL
    # ben's reply, which the README's walkthrough flags, is left alone.
    ben_reply = Comment.objects.get(author__username="ben")
    assert not ben_reply.cases.exists()
    assert not ben_reply.parent.replies_paused() and not ben_reply.parent.collapsed_until


def test_the_last_thirty_days_hold_work_on_most_days_and_every_outcome(demo):
    since = timezone.now() - timedelta(days=30)
    days = {
        timezone.localdate(created)
        for created in ModerationEvent.objects.filter(created__gte=since).values_list(
            "created", flat=True
        )
    }
    assert len(days) >= 18
    outcomes = set(Case.objects.filter(resolved_at__gte=since).values_list("outcome", flat=True))
    assert outcomes >= {"no_action", "hidden", "annotated", "revised", "withdrawn", "deescalated"}
    folded = Comment.objects.get(author__username="flo")
    assert folded.collapsed_until > timezone.now()
    assert Comment.objects.filter(kind=Comment.Kind.BRIDGE).exists()
    assert Annotation.objects.filter(kind=Annotation.Kind.CONTEXT).count() >= 3
    assert moderation_log_verify().problem is None


def test_the_pages_show_the_work_on_the_first_open(demo, client):
    client.force_login(get_user_model().objects.get(username="moderator"))
    queue = client.get("/moderation/").content.decode()
    assert "10 open cases" in queue
    answered = Case.objects.get(comment__author_name="uma")
    case_page = client.get(f"/moderation/cases/{answered.pk}/").content.decode()
    assert "<ins>" in case_page and "<del>" in case_page and "@@" not in case_page
    log = client.get("/moderation/log/").content.decode()
    assert "sent the author a call-in" in log and "case_resolved" not in log.replace(
        'value="case_resolved"', ""
    )
    dashboard = client.get("/moderation/dashboard/").content.decode()
    total = re.search(r"<th[^>]*>Total</th>\s*<td[^>]*>(\d+)</td>", dashboard)
    assert total and int(total[1]) >= 20


def test_recent_work_is_added_once(demo):
    events, cases = ModerationEvent.objects.count(), Case.objects.count()
    assert demo_recent.recent_add(moderator=None) is False
    call_command("seed_demo", verbosity=0)
    assert (ModerationEvent.objects.count(), Case.objects.count()) == (events, cases)


def test_demo_accounts_have_email_addresses_and_history_people_none(demo):
    users = get_user_model().objects
    for username, _, _ in DEMO_ACCOUNTS:
        assert users.get(username=username).email == f"{username}@example.com"
    assert (
        users.get(username="sam").email == ""
        and not users.get(username="sam").has_usable_password()
    )


def test_an_older_demo_database_gets_the_addresses_without_other_changes(demo):
    get_user_model().objects.filter(username="ben").update(email="")
    events = ModerationEvent.objects.count()
    call_command("seed_demo", verbosity=0)
    assert get_user_model().objects.get(username="ben").email == "ben@example.com"
    assert ModerationEvent.objects.count() == events


def test_switching_between_demo_accounts_never_meets_the_sign_in_limit(demo, settings):
    """The site's own limits (settings), one address: only failures count (ratelimits)."""
    client = Client()
    for _ in range(6):
        for username, password, _ in DEMO_ACCOUNTS:
            response = client.post("/accounts/login/", {"username": username, "password": password})
            assert response.status_code == 302, username
    assert client.post("/accounts/login/", {"username": "ada", "password": "x"}).status_code == 200
