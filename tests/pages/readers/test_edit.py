"""Editing one's own comment: the old text is kept as a revision."""

import pytest

from tests.helpers import make_comment
from threads.models import Comment, CommentRevision


@pytest.fixture
def own(essay, reader):
    return make_comment(essay, body="First version.", author=reader)


def edit_url(comment):
    return f"/essays/{comment.essay.slug}/comments/{comment.pk}/edit/"


def test_form_shows_current_text(client, reader, own):
    client.force_login(reader)
    response = client.get(edit_url(own))
    assert response.status_code == 200
    assert "First version." in response.content.decode()


def test_author_edits(client, reader, own):
    client.force_login(reader)
    response = client.post(edit_url(own), {"body": "Second version."})
    assert response.status_code == 302
    assert response["Location"] == f"/essays/essay/#c{own.pk}"

    own.refresh_from_db()
    assert own.body == "Second version."
    assert own.edited is not None
    [revision] = CommentRevision.objects.filter(comment=own)
    assert revision.body == "First version."
    assert revision.edited_by == reader
    assert revision.edited_at == own.edited

    html = client.get("/essays/essay/").content.decode()
    assert "Second version." in html
    assert "First version." not in html
    assert '<span class="edited">edited</span>' in html


def test_each_edit_keeps_the_text_before_it(client, reader, own):
    client.force_login(reader)
    client.post(edit_url(own), {"body": "Second version."})
    client.post(edit_url(own), {"body": "Third version."})
    own.refresh_from_db()
    assert own.body == "Third version."
    assert list(own.revisions.values_list("body", flat=True)) == [
        "First version.",
        "Second version.",
    ]


def test_unchanged_text_is_not_an_edit(client, reader, own):
    client.force_login(reader)
    response = client.post(edit_url(own), {"body": "  First version. "})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.edited is None
    assert not CommentRevision.objects.exists()
    assert '<span class="edited">' not in client.get("/essays/essay/").content.decode()


def test_unedited_comment_shows_no_edited_mark(client, own):
    assert '<span class="edited">' not in client.get("/essays/essay/").content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_reader_is_refused(client, other_reader, own, method):
    client.force_login(other_reader)
    response = getattr(client, method)(edit_url(own), {"body": "Hijacked."})
    assert response.status_code == 403
    assert "Only its author can edit a comment." in response.content.decode()
    own.refresh_from_db()
    assert (own.body, own.edited) == ("First version.", None)
    assert not CommentRevision.objects.exists()


def test_imported_comment_has_no_author_to_edit_it(client, reader, seed_comment):
    client.force_login(reader)
    assert client.post(edit_url(seed_comment), {"body": "Mine now."}).status_code == 403
    seed_comment.refresh_from_db()
    assert seed_comment.body.startswith("I think this is an inaccurate")


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, own, method):
    data = {"body": "Anonymous."} if method == "post" else None
    response = getattr(client, method)(edit_url(own), data)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={edit_url(own)}"
    own.refresh_from_db()
    assert own.body == "First version."


@pytest.mark.parametrize(
    ("body", "error"),
    [("", "Write something before posting."), ("y" * 10_001, "at most 10000 characters")],
)
def test_invalid_text_is_refused(client, reader, own, body, error):
    client.force_login(reader)
    response = client.post(edit_url(own), {"body": body})
    assert response.status_code == 400
    assert error in response.content.decode()
    own.refresh_from_db()
    assert own.body == "First version."
    assert not CommentRevision.objects.exists()


def test_post_without_any_field_is_refused_not_ignored(client, reader, own):
    client.force_login(reader)
    response = client.post(edit_url(own), {})
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    own.refresh_from_db()
    assert own.body == "First version."


def test_withdrawn_comment_cannot_be_edited(client, reader, own):
    Comment.objects.filter(pk=own.pk).update(status=Comment.Status.WITHDRAWN)
    client.force_login(reader)
    response = client.post(edit_url(own), {"body": "Back again."})
    assert response.status_code == 400
    assert "A withdrawn comment cannot be edited." in response.content.decode()
    own.refresh_from_db()
    assert own.body == "First version."


def test_wrong_slug_is_404(client, reader, own):
    client.force_login(reader)
    response = client.post(f"/essays/other/comments/{own.pk}/edit/", {"body": "x"})
    assert response.status_code == 404
