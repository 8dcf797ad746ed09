"""Posting a comment on an essay or a reply to a comment."""

import pytest
from django.test import Client

from tests.helpers import make_comment
from threads.models import MAX_COMMENT_LENGTH, MAX_LEVEL, Comment, Essay


def tree_positions():
    return list(Comment.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level"))


def test_anonymous_post_redirects_to_login_and_writes_nothing(client, essay):
    parent = make_comment(essay)
    for url in ("/essays/essay/reply/", f"/essays/essay/comments/{parent.pk}/reply/"):
        response = client.post(url, {"body": "Hello"})
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert Comment.objects.count() == 1


def test_anonymous_get_redirects_to_login(client, essay):
    response = client.get("/essays/essay/reply/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_reply_form(signed_in, essay):
    parent = make_comment(essay, body="What do you think?")
    response = signed_in.get(f"/essays/essay/comments/{parent.pk}/reply/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "What do you think?" in html
    assert f'action="/essays/essay/comments/{parent.pk}/reply/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_comment_on_the_essay(signed_in, essay, reader):
    earlier = make_comment(essay)
    response = signed_in.post("/essays/essay/reply/", {"body": "  My first comment.  "})
    comment = Comment.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"/essays/essay/#c{comment.pk}"
    assert (comment.essay, comment.parent, comment.level) == (essay, None, 0)
    assert comment.tree_id > earlier.tree_id
    assert (comment.author, comment.author_name) == (reader, "reader")
    assert comment.body == "My first comment."
    assert comment.status == Comment.Status.VISIBLE
    assert comment.import_key is None

    page = signed_in.get(response["Location"])
    assert f'id="c{comment.pk}"' in page.content.decode()
    assert "Your comment is posted." in page.content.decode()


def test_reply_to_a_comment(signed_in, essay):
    parent = make_comment(essay, body="Parent.")
    older = make_comment(essay, body="Older reply.", parent=parent)
    other_tree = make_comment(essay, body="Another tree.")
    response = signed_in.post(f"/essays/essay/comments/{parent.pk}/reply/", {"body": "A reply."})
    reply = Comment.objects.get(body="A reply.")
    assert response.status_code == 302
    assert response["Location"] == f"/essays/essay/#c{reply.pk}"
    assert (reply.parent, reply.level, reply.tree_id) == (parent, 1, parent.tree_id)
    parent.refresh_from_db()
    # The newest reply comes last among the parent's replies.
    assert list(parent.get_children()) == [older, reply]
    assert parent.lft < reply.lft < reply.rght < parent.rght
    assert parent.get_descendant_count() == 2
    other_tree.refresh_from_db()
    assert (other_tree.lft, other_tree.rght) == (1, 2)


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_empty_body_is_refused(signed_in, essay, body):
    response = signed_in.post("/essays/essay/reply/", {"body": body})
    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["Write something before posting."]
    assert "Write something before posting." in response.content.decode()
    assert not Comment.objects.exists()


def test_post_without_any_field_is_refused_not_ignored(signed_in, essay):
    response = signed_in.post("/essays/essay/reply/", {})
    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["Write something before posting."]
    assert not Comment.objects.exists()


def test_too_long_body_is_refused(signed_in, essay):
    parent = make_comment(essay)
    response = signed_in.post(
        f"/essays/essay/comments/{parent.pk}/reply/", {"body": "x" * (MAX_COMMENT_LENGTH + 1)}
    )
    assert response.status_code == 400
    [error] = response.context["form"].errors["body"]
    assert "at most 10000 characters" in error
    assert "it has 10001" in error
    assert Comment.objects.count() == 1


def test_body_of_the_maximum_length_is_accepted(signed_in, essay):
    response = signed_in.post("/essays/essay/reply/", {"body": "x" * MAX_COMMENT_LENGTH})
    assert response.status_code == 302
    assert len(Comment.objects.get().body) == MAX_COMMENT_LENGTH


def test_closed_discussion_refuses(signed_in):
    essay = Essay.objects.create(slug="closed", title="Closed", discussion="closed")
    parent = make_comment(essay)
    for url in ("/essays/closed/reply/", f"/essays/closed/comments/{parent.pk}/reply/"):
        response = signed_in.post(url, {"body": "Still want to say this."})
        assert response.status_code == 400
        assert "This discussion is closed to new comments." in response.content.decode()
    assert Comment.objects.count() == 1


def test_withdrawn_comment_takes_no_replies(signed_in, essay):
    parent = make_comment(essay, status=Comment.Status.WITHDRAWN)
    response = signed_in.post(f"/essays/essay/comments/{parent.pk}/reply/", {"body": "Hello?"})
    assert response.status_code == 400
    assert "no longer shown" in response.content.decode()
    assert Comment.objects.count() == 1


def test_reply_to_a_comment_of_another_essay_is_404(signed_in, essay):
    elsewhere = Essay.objects.create(slug="elsewhere", title="Elsewhere")
    parent = make_comment(elsewhere)
    response = signed_in.post(f"/essays/essay/comments/{parent.pk}/reply/", {"body": "Hi."})
    assert response.status_code == 404
    assert signed_in.post("/essays/nope/reply/", {"body": "Hi."}).status_code == 404
    assert Comment.objects.count() == 1


def test_csrf_is_enforced(essay, reader):
    parent = make_comment(essay)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    url = f"/essays/essay/comments/{parent.pk}/reply/"
    response = client.post(url, {"body": "No token."})
    assert response.status_code == 403
    assert Comment.objects.count() == 1

    # The same post with the form's token goes through.
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"body": "With token.", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.filter(body="With token.", parent=parent).exists()


def test_reply_at_the_deepest_level_attaches_beside(signed_in, essay):
    chain = [make_comment(essay, body="Level 0.")]
    while chain[-1].level < MAX_LEVEL:
        chain.append(make_comment(essay, body=f"Level {len(chain)}.", parent=chain[-1]))
    deepest = chain[-1]
    assert deepest.level == MAX_LEVEL

    response = signed_in.post(f"/essays/essay/comments/{deepest.pk}/reply/", {"body": "Deeper?"})
    reply = Comment.objects.get(body="Deeper?")
    assert response.status_code == 302
    assert response["Location"] == f"/essays/essay/#c{reply.pk}"
    assert reply.level == MAX_LEVEL
    assert reply.parent == chain[-2]
    assert max(Comment.objects.values_list("level", flat=True)) == MAX_LEVEL

    # One level up, a reply still goes one level deeper.
    signed_in.post(f"/essays/essay/comments/{chain[-2].pk}/reply/", {"body": "Fits."})
    fits = Comment.objects.get(body="Fits.")
    assert (fits.parent, fits.level) == (chain[-2], MAX_LEVEL)

    # The tree is still consistent.
    before = tree_positions()
    Comment.objects.rebuild()
    assert tree_positions() == before
