"""Authors hear about call-ins: an unread count in the header and an email with a link."""

import re

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moderation import notify, workflow
from moderation.context_processors import (
    header_cursor,
    unread_count,
    unread_count_and_permissions,
)
from moderation.models import Message, Notice
from tests.helpers import fresh, make_comment, make_user

CALL_IN = "Hello, would you reread your comment?"
FLAG_NOTE = "This person is a known troll, see their other posts"


@pytest.fixture
def mailed_author(author):
    author.email = "author@example.org"
    author.save(update_fields=["email"])
    return author


@pytest.fixture
def noted_case(mailed_author, flagger, comment):
    """A case with a flag note, on a comment by an author with an email address."""
    _, case = workflow.flag_comment(flagger, comment, "harmful", FLAG_NOTE)
    return case


def send_call_in(moderator, case, capture, body=CALL_IN):
    with capture(execute=True):
        workflow.call_in(moderator, case, body)
    return fresh(case)


# --- email -----------------------------------------------------------------------------


def test_a_call_in_emails_the_author_a_link_to_the_conversation(
    moderator, noted_case, django_capture_on_commit_callbacks, settings
):
    settings.CALLIN_BASE_URL = "https://callin.example.org/"
    send_call_in(moderator, noted_case, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["author@example.org"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert "\n" not in email.subject and "moderators" in email.subject
    assert f"https://callin.example.org/inbox/{noted_case.pk}/" in email.body
    assert noted_case.essay.title in email.body


def test_the_email_carries_nothing_from_the_flaggers(
    moderator, noted_case, flagger, django_capture_on_commit_callbacks
):
    send_call_in(moderator, noted_case, django_capture_on_commit_callbacks)
    email = mail.outbox[0]
    text = email.subject + email.body + str(email.extra_headers)
    for secret in (FLAG_NOTE, flagger.get_username(), "harmful", "Harmful", "flag"):
        assert secret not in text
    # Nor the conversation itself: it stays on the site, behind the sign-in.
    assert CALL_IN not in text


def test_a_moderator_message_emails_the_author_too(
    moderator, noted_case, django_capture_on_commit_callbacks
):
    case = send_call_in(moderator, noted_case, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.message_author(moderator, case, "One more thing.")
    assert len(mail.outbox) == 2
    assert f"/inbox/{case.pk}/" in mail.outbox[1].body
    assert "new message" in mail.outbox[1].subject


def test_nothing_is_sent_before_the_commit_or_after_a_rollback(moderator, noted_case):
    # pytest-django's transaction never commits, so on_commit callbacks never run.
    workflow.call_in(moderator, noted_case, CALL_IN)
    assert mail.outbox == []


def test_no_email_without_an_address_or_an_account(
    moderator, case, imported_comment, flagger, django_capture_on_commit_callbacks
):
    send_call_in(moderator, case, django_capture_on_commit_callbacks)  # author has no email
    _, imported = workflow.flag_comment(flagger, imported_comment, "heated")
    with pytest.raises(workflow.Refused, match="no account"):  # nothing to send, nor sent
        send_call_in(moderator, imported, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_undo_the_call_in(
    moderator, noted_case, django_capture_on_commit_callbacks, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.moderation.test_notifications.BrokenBackend"
    case = send_call_in(moderator, noted_case, django_capture_on_commit_callbacks)
    assert case.messages.filter(kind=Message.Kind.CALL_IN).count() == 1
    assert "Could not email the author" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_author_messaged_skips_messages_that_are_not_to_the_author(noted_case, mailed_author):
    reply = Message.objects.create(
        case=noted_case, kind=Message.Kind.AUTHOR, sender=mailed_author, created=timezone.now()
    )
    assert notify.author_messaged(reply.pk) is False
    assert notify.author_messaged(10**9) is False
    assert mail.outbox == []


def test_the_call_in_view_sends_the_email(
    client, moderator, noted_case, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderation/cases/{noted_case.pk}/call-in/",
            {"body": CALL_IN, "version": fresh(noted_case).version},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and f"/inbox/{noted_case.pk}/" in mail.outbox[0].body


def test_email_settings_come_from_the_environment(monkeypatch):
    import importlib

    from config import settings as project_settings

    monkeypatch.setenv("DJANGO_EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("DJANGO_EMAIL_PORT", "2525")
    monkeypatch.setenv("DJANGO_EMAIL_HOST_USER", "callin")
    monkeypatch.setenv("DJANGO_EMAIL_HOST_PASSWORD", "s3cret")
    monkeypatch.setenv("DJANGO_EMAIL_USE_TLS", "0")
    monkeypatch.setenv("DEFAULT_FROM_EMAIL", "Callin <noreply@example.org>")
    try:
        smtp = importlib.reload(project_settings)
        assert smtp.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (smtp.EMAIL_HOST, smtp.EMAIL_PORT, smtp.EMAIL_USE_TLS) == (
            "smtp.example.org",
            2525,
            False,
        )
        assert (smtp.EMAIL_HOST_USER, smtp.EMAIL_HOST_PASSWORD) == ("callin", "s3cret")
        assert smtp.DEFAULT_FROM_EMAIL == "Callin <noreply@example.org>"
        monkeypatch.delenv("DJANGO_EMAIL_HOST")
        console = importlib.reload(project_settings)
        assert console.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


# --- the unread count ------------------------------------------------------------------


def badge(response):
    match = re.search(r'class="badge unread">(\d+)<', response.content.decode())
    return int(match[1]) if match else 0


def test_the_header_counts_unread_messages_and_notices(client, moderator, called_in_case, author):
    client.force_login(author)
    assert badge(client.get("/")) == 1
    workflow.message_author(moderator, called_in_case, "Are you there?")
    Notice.objects.create(user=author, body="Your flag was reviewed.", created=timezone.now())
    assert badge(client.get("/")) == 3
    client.get(f"/inbox/{called_in_case.pk}/")  # reading the conversation marks it read
    assert badge(client.get("/")) == 1
    Notice.objects.filter(user=author).update(seen_at=timezone.now())
    assert badge(client.get("/")) == 0


def test_the_count_is_the_users_own(client, called_in_case, flagger, moderator):
    other = make_user("someone")
    Notice.objects.create(user=other, body="For someone else.", created=timezone.now())
    for user in (flagger, moderator):
        client.force_login(user)
        assert badge(client.get("/")) == 0


def test_messages_from_the_author_and_cases_without_a_call_in_do_not_count(
    moderator, called_in_case, author, space, flagger
):
    workflow.author_reply(author, called_in_case, "I see, thanks.")
    assert unread_count(author) == 1  # the call-in only
    # A notice message on a case the inbox does not list (no call-in) is not counted.
    _, other = workflow.flag_comment(flagger, make_comment(space, author=author), "spam")
    Message.objects.create(
        case=other, kind=Message.Kind.NOTICE, body="Hidden.", created=timezone.now()
    )
    assert unread_count(author) == 1


def test_one_query_for_a_signed_in_user_none_for_anyone_else(client, called_in_case, author):
    assert unread_count(author) == 1
    with CaptureQueriesContext(connection) as anonymous:
        client.get("/")
    # Read now: captured_queries slices the connection's log, which the next request resets.
    anonymous = [q["sql"].upper() for q in anonymous.captured_queries]
    client.force_login(author)
    client.get("/")  # warm up the session
    with CaptureQueriesContext(connection) as signed_in:
        client.get("/")
    counting = [q["sql"] for q in signed_in.captured_queries if "UNION" in q["sql"].upper()]
    assert len(counting) == 1
    assert not any("UNION" in sql for sql in anonymous)


def test_on_postgresql_the_header_query_is_prepared_once_per_connection(client, author):
    client.force_login(author)
    for _ in range(3):
        assert client.get("/").status_code == 200
    options = connection.settings_dict["OPTIONS"]
    if connection.vendor != "postgresql" or options.get("prepare_threshold") is None:
        # SQLite, or DJANGO_DB_PREPARED=0: the usual cursor.
        with header_cursor() as cursor, connection.cursor() as usual:
            assert type(cursor.cursor) is type(usual.cursor)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # The count with the permissions (a fresh user's, as on every request): once.
    assert len([text for text in prepared if "auth_permission" in text]) == 1
    # Django's own queries are not prepared (their text changes with every value).
    assert not any("django_session" in text for text in prepared)


def test_unread_count_is_one_query(called_in_case, author, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert unread_count(author) == 1


# --- the header's permissions, read with the count ----------------------------------------

HEADER_LINKS = {"Moderation": "moderation:queue", "Organize": "organize:spaces"}


def header_links(response):
    html = response.content.decode()
    header = html[html.index('<header class="site">') : html.index("</header>")]
    return {name for name, url in HEADER_LINKS.items() if f'href="{reverse(url)}"' in header}


@pytest.mark.parametrize(
    ("group", "links"),
    [(None, set()), ("moderators", {"Moderation"}), ("organizers", {"Organize"})],
)
def test_the_header_shows_the_links_of_the_users_groups(client, db, group, links):
    client.force_login(make_user("someone", group=group))
    assert header_links(client.get("/")) == links


def test_a_permission_given_to_the_user_alone_shows_its_link(client, db):
    user = make_user("someone")
    user.user_permissions.add(Permission.objects.get(codename="organize_spaces"))
    client.force_login(user)
    assert header_links(client.get("/")) == {"Organize"}


def test_a_superuser_sees_every_link(client, superuser):
    client.force_login(superuser)
    assert header_links(client.get("/")) == {"Moderation", "Organize"}


def test_the_count_reads_exactly_the_permissions_model_backend_reads(called_in_case, author):
    author.groups.add(Group.objects.get(name="moderators"))
    author.user_permissions.add(Permission.objects.get(codename="organize_spaces"))
    user = fresh(author)
    assert unread_count_and_permissions(user) == unread_count(author) == 1
    expected = ModelBackend().get_all_permissions(fresh(author))
    assert "threads.organize_spaces" in expected and "moderation.moderate_case" in expected
    assert user._perm_cache == expected


def test_the_count_with_the_permissions_is_one_query(
    called_in_case, author, django_assert_num_queries
):
    user = fresh(author)
    with django_assert_num_queries(1):
        assert unread_count_and_permissions(user) == 1
        assert not user.has_perm("moderation.moderate_case")


def test_permissions_already_read_are_not_read_again(moderator, django_assert_num_queries):
    user = fresh(moderator)
    assert user.has_perm("moderation.moderate_case")  # as a moderator's view checks first
    with django_assert_num_queries(1):
        assert unread_count_and_permissions(user) == 0
        assert user.has_perm("moderation.moderate_case")
