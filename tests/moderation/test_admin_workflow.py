"""The Django admin changes content only the way the pages do, and the database holds the
bounds of a space's settings even against a direct ``save()`` or ``update()``.

Every change goes through the admin's real change pages (posted as a browser would);
each is checked for what it stored and what it logged.
"""

import itertools

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.models import (
    Case,
    Flag,
    Message,
    ModerationEvent,
    Notice,
    Sanction,
    SavedReply,
    WatchedWord,
)
from tests.helpers import admin_post_data, client_for, fresh
from threads.limits import MAX_COMMENT_LENGTH
from threads.models import Comment, CommentRevision, Essay


@pytest.fixture
def admin(superuser):
    return client_for(superuser)


def post_change(client, obj, **changes):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    data = admin_post_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def field_errors(response):
    return response.context["adminform"].form.errors


# --- comments ---------------------------------------------------------------------------


def test_a_comment_edited_in_the_admin_keeps_a_revision_and_is_logged(admin, superuser, comment):
    old = comment.body

    response = post_change(admin, comment, body="  A calmer wording.  ")

    assert response.status_code == 302, field_errors(response)
    comment = fresh(comment)
    assert comment.body == "A calmer wording." and comment.edited is not None
    revision = CommentRevision.objects.get(comment=comment)
    assert (revision.body, revision.edited_by) == (old, superuser)
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.comment) == (
        "admin_comment_changed",
        superuser,
        comment,
    )
    assert (event.before, event.after) == ({"body": old}, {"body": "A calmer wording."})
    assert event.essay_id == comment.essay_id


def test_saving_a_comment_unchanged_keeps_no_revision_and_logs_nothing(admin, comment):
    assert post_change(admin, comment).status_code == 302
    assert not CommentRevision.objects.exists()
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ("   ", "This field is required."),
        ("x" * (MAX_COMMENT_LENGTH + 1), "at most"),
        ("a\x00b", "NUL character"),
    ],
)
def test_a_bad_text_is_refused_in_words_and_nothing_is_stored(admin, comment, body, message):
    response = post_change(admin, comment, body=body)
    assert response.status_code == 200
    assert message in " ".join(field_errors(response)["body"])
    assert fresh(comment).body == comment.body
    assert not CommentRevision.objects.exists() and not ModerationEvent.objects.exists()


def test_a_comments_status_is_read_only_and_points_to_its_case(admin, comment, case):
    events = ModerationEvent.objects.count()
    url = f"/admin/threads/comment/{comment.pk}/change/"
    page = admin.get(url)
    html = page.content.decode()
    assert 'name="status"' not in html and 'name="visibility_paused"' not in html
    assert f'href="/moderation/cases/{case.pk}/"' in html

    data = {**admin_post_data(page), "status": "hidden", "visibility_paused": "on"}
    assert admin.post(url, data).status_code == 302
    comment = fresh(comment)
    assert (comment.status, comment.visibility_paused) == (Comment.Status.VISIBLE, False)
    assert ModerationEvent.objects.count() == events


def test_a_comment_without_a_case_links_to_its_page(admin, comment):
    html = admin.get(f"/admin/threads/comment/{comment.pk}/change/").content.decode()
    assert f'href="{comment.get_absolute_url()}"' in html


# --- space settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("heat_threshold", "50", "The heat threshold is between 0.30 and 1.00"),
        ("call_in_hours", "0", "A call-in waits between 1 and 720 hours"),
        ("premoderate_first", "99999", "Hold from 0 to 20 of a newcomer's first comments"),
        ("auto_hold_weight", "3", "Use 0 to turn auto-hold off, or a weight from 6 to 100."),
    ],
)
def test_a_setting_out_of_bounds_is_refused_in_words(admin, essay, field, value, words):
    response = post_change(admin, essay, **{field: value})

    assert response.status_code == 200
    [error] = field_errors(response)[field]
    assert error.startswith(words)
    assert words in response.content.decode().replace("&#x27;", "'")
    assert getattr(fresh(essay), field) == getattr(essay, field)
    assert not ModerationEvent.objects.exists()


def test_the_change_page_states_the_bounds(admin, essay):
    html = admin.get(f"/admin/threads/essay/{essay.pk}/change/").content.decode()
    for bound in ("(1 to 720)", "(0 = off, else 6 to 100)", "at most 20", "(0.30 to 1.00)"):
        assert bound in html


def test_settings_saved_in_the_admin_are_logged_like_the_organizer_page(admin, superuser, essay):
    response = post_change(
        admin, essay, call_in_hours="24", heat_threshold="0.5", title="A better title"
    )

    assert response.status_code == 302, field_errors(response)
    essay = fresh(essay)
    assert (essay.call_in_hours, essay.heat_threshold, essay.title) == (24, 0.5, "A better title")
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.essay) == ("space_updated", superuser, essay)
    assert event.before == {"call_in_hours": 72, "heat_threshold": 0.7, "title": "An essay"}
    assert event.after == {"call_in_hours": 24, "heat_threshold": 0.5, "title": "A better title"}


def test_closing_a_space_in_the_admin_is_logged(admin, essay):
    assert post_change(admin, essay, discussion="closed").status_code == 302
    assert fresh(essay).discussion == "closed"
    event = ModerationEvent.objects.get()
    assert (event.action, event.before, event.after) == (
        "space_closed",
        {"discussion": "open"},
        {"discussion": "closed"},
    )


def test_fields_without_a_logged_path_are_read_only(admin, essay):
    response = post_change(admin, essay, slow_mode_seconds="600", slug="elsewhere", featured="on")
    assert response.status_code == 302
    essay = fresh(essay)
    assert (essay.slow_mode_seconds, essay.slug, essay.featured) == (0, "essay", False)
    assert not ModerationEvent.objects.exists()


# --- the database holds the bounds ----------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("heat_threshold", 50),
        ("heat_threshold", 0.29),
        ("call_in_hours", 0),
        ("call_in_hours", 721),
        ("premoderate_first", 99999),
        ("auto_hold_weight", 3),
        ("auto_hold_weight", 101),
        ("slow_mode_seconds", 24 * 3600 + 1),
    ],
)
def test_the_database_refuses_a_setting_out_of_bounds(essay, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Essay.objects.filter(pk=essay.pk).update(**{field: value})
    setattr(essay, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        essay.save()
    assert getattr(fresh(essay), field) != value


@pytest.mark.parametrize(
    "field, value",
    [
        ("heat_threshold", 0.3),
        ("heat_threshold", 1.0),
        ("call_in_hours", 720),
        ("auto_hold_weight", 0),
        ("auto_hold_weight", 6),
        ("premoderate_first", 20),
    ],
)
def test_the_database_accepts_the_bounds_themselves(essay, field, value):
    Essay.objects.filter(pk=essay.pk).update(**{field: value})
    assert getattr(fresh(essay), field) == value


def test_the_database_refuses_a_comment_longer_than_the_limit(comment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(body="é" * (MAX_COMMENT_LENGTH + 1))
    Comment.objects.filter(pk=comment.pk).update(body="é" * MAX_COMMENT_LENGTH)
    assert len(fresh(comment).body) == MAX_COMMENT_LENGTH


# --- watched words and saved replies ----------------------------------------------------------


def test_a_watched_word_added_changed_and_removed_in_the_admin_is_logged(admin, superuser, essay):
    response = admin.post(
        "/admin/moderation/watchedword/add/",
        {"essay": essay.pk, "pattern": "  Idiot* ", "action": "hold"},
    )
    assert response.status_code == 302, field_errors(response)
    word = WatchedWord.objects.get()
    assert (word.pattern, word.action, word.essay, word.created_by) == (
        "idiot*",
        "hold",
        essay,
        superuser,
    )
    added = ModerationEvent.objects.get()
    assert (added.action, added.actor, added.essay, added.before) == (
        "watched_word_set",
        superuser,
        essay,
        {},
    )
    assert added.after == {"pattern": "idiot*", "action": "hold", "site_wide": False}

    assert post_change(admin, word, action="block", pattern="other").status_code == 302
    assert WatchedWord.objects.get().pattern == "idiot*"  # read-only once made
    changed = ModerationEvent.objects.latest("id")
    assert (changed.before, changed.after["action"]) == ({"action": "hold"}, "block")

    response = admin.post(f"/admin/moderation/watchedword/{word.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not WatchedWord.objects.exists()
    removed = ModerationEvent.objects.latest("id")
    assert (removed.action, removed.before["pattern"]) == ("watched_word_removed", "idiot*")


@pytest.mark.parametrize(
    "pattern, message",
    [("a{2}", "use letters, digits, spaces"), ("idiot", "is already watched there")],
)
def test_a_bad_or_doubled_watched_word_is_refused_in_words(admin, essay, pattern, message):
    WatchedWord.objects.create(essay=essay, pattern="idiot", action="flag")
    response = admin.post(
        "/admin/moderation/watchedword/add/",
        {"essay": essay.pk, "pattern": pattern, "action": "block"},
    )
    assert response.status_code == 200
    assert message in " ".join(field_errors(response)["pattern"])
    assert list(WatchedWord.objects.values_list("pattern", "action")) == [("idiot", "flag")]
    assert not ModerationEvent.objects.exists()


def test_a_saved_reply_is_added_and_removed_through_its_logged_functions(admin, superuser):
    response = admin.post(
        "/admin/moderation/savedreply/add/",
        {"kind": "call_in", "title": " Gentle ", "body": "Would you reread this?"},
    )
    assert response.status_code == 302, field_errors(response)
    reply = SavedReply.objects.get()
    assert (reply.title, reply.created_by) == ("Gentle", superuser)
    assert ModerationEvent.objects.get().action == "saved_reply_added"

    url = f"/admin/moderation/savedreply/{reply.pk}/change/"
    assert admin.post(url, {"kind": "call_in", "title": "X", "body": "Y"}).status_code == 403
    assert fresh(reply).title == "Gentle"

    response = admin.post(f"/admin/moderation/savedreply/{reply.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not SavedReply.objects.exists()
    assert ModerationEvent.objects.latest("id").action == "saved_reply_removed"


# --- history: view only, never deleted ---------------------------------------------------------


@pytest.fixture
def history(superuser, author, comment, case):
    now = timezone.now()
    sanction = Sanction.objects.create(
        user=author, kind="warning", case=case, reason="Twice.", created_by=superuser, created=now
    )
    notice = Notice.objects.create(user=author, body="Your comment is visible.", created=now)
    return {"sanction": sanction, "notice": notice}


@pytest.mark.parametrize("model", ["sanction", "notice"])
def test_sanctions_and_notices_are_view_only(admin, history, model):
    obj = history[model]
    url = f"/admin/moderation/{model}/{obj.pk}/change/"
    page = admin.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert b'name="_save"' not in page.content
    assert admin.post(url, {"reason": "Rewritten.", "body": "Rewritten."}).status_code == 403
    assert admin.get(f"/admin/moderation/{model}/add/").status_code == 403
    assert fresh(obj).created == obj.created
    assert getattr(fresh(obj), "reason", "Twice.") == "Twice."


def test_nothing_that_is_history_or_content_can_be_deleted(
    admin, superuser, history, comment, case
):
    message = Message.objects.create(
        case=case, kind="call_in", body="Hello", created=timezone.now()
    )
    revision = CommentRevision.objects.create(
        comment=comment, body="Before.", edited_by=superuser, edited_at=timezone.now()
    )
    event = ModerationEvent.objects.create(action="case_opened", case=case, created=timezone.now())
    objects = [
        comment,
        comment.essay,
        case,
        Flag.objects.get(case=case),
        message,
        event,
        revision,
        history["sanction"],
        history["notice"],
    ]
    for obj in objects:
        meta = obj._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/delete/"
        assert admin.post(url, {"post": "yes"}).status_code == 403, meta.model_name
        assert type(obj).objects.filter(pk=obj.pk).exists()
        changelist = admin.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        action_form = changelist.context["action_form"]
        actions = [name for name, _ in action_form.fields["action"].choices] if action_form else []
        assert "delete_selected" not in actions, meta.model_name
    assert Case.objects.count() == 1


# --- query counts -------------------------------------------------------------------------------


def test_the_comment_and_essay_change_pages_read_a_fixed_number_of_rows(
    admin, comment, case, django_assert_max_num_queries
):
    comment_page = f"/admin/threads/comment/{comment.pk}/change/"
    essay_page = f"/admin/threads/essay/{comment.essay_id}/change/"
    # Counted in a warm process: the first request reads the content types Django then
    # keeps (a test database copied rather than migrated starts without them).
    admin.get(comment_page), admin.get(essay_page)
    with django_assert_max_num_queries(7):
        assert admin.get(comment_page).status_code == 200
    with django_assert_max_num_queries(3):
        assert admin.get(essay_page).status_code == 200


@pytest.mark.parametrize("model", ["sanction", "notice", "watchedword", "savedreply"])
def test_changelists_do_not_grow_with_rows(admin, superuser, history, essay, model):
    numbers = itertools.count()

    def add_rows(n):
        for i in itertools.islice(numbers, n):
            Sanction.objects.create(
                user=superuser,
                kind="warning",
                reason="r",
                created_by=superuser,
                created=timezone.now(),
            )
            Notice.objects.create(user=superuser, body="n", created=timezone.now())
            WatchedWord.objects.create(
                essay=essay, pattern=f"w{i}", action="flag", created_by=superuser
            )
            SavedReply.objects.create(kind="call_in", title=f"t{i}", body="b", created_by=superuser)

    url = f"/admin/moderation/{model}/"
    add_rows(1)
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    add_rows(4)
    with CaptureQueriesContext(connection) as more:
        assert admin.get(url).status_code == 200
    assert len(more) == len(few)
