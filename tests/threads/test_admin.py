"""The Django admin for essays and comments."""

import pytest

from tests.helpers import make_comment
from threads.models import Comment, Essay


@pytest.fixture
def thread(seeded):
    other = Essay.objects.get(slug="leftist-empathy-gap")
    make_comment(other, body="A comment on the other essay.", author_name="Zebulon Quux")
    withdrawn = Comment.objects.get(author_name="Ella")
    withdrawn.status = Comment.Status.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    return withdrawn


def listed(response):
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_essay_changelist(admin_client, seeded):
    response = admin_client.get("/admin/threads/essay/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The Leftist Empathy Gap and Decolonizing Leftist Spaces for Palestine" in html
    assert "Calling each other in" in html
    essay = Essay.objects.get(slug="calling-in")
    assert admin_client.get(f"/admin/threads/essay/{essay.pk}/change/").status_code == 200


def test_comment_changelist(admin_client, thread):
    assert listed(admin_client.get("/admin/threads/comment/")) == set(Comment.objects.all())


def test_comment_changelist_filters_by_essay(admin_client, thread):
    essay = Essay.objects.get(slug="leftist-empathy-gap")
    response = admin_client.get(f"/admin/threads/comment/?essay__id__exact={essay.pk}")
    assert [c.body for c in listed(response)] == ["A comment on the other essay."]
    calling_in = Essay.objects.get(slug="calling-in")
    response = admin_client.get(f"/admin/threads/comment/?essay__id__exact={calling_in.pk}")
    assert len(listed(response)) == 12


@pytest.mark.parametrize("param", ["status", "status__exact"])
def test_comment_changelist_filters_by_status(admin_client, thread, param):
    response = admin_client.get(f"/admin/threads/comment/?{param}=withdrawn")
    assert listed(response) == {thread}
    response = admin_client.get(f"/admin/threads/comment/?{param}=visible")
    assert len(listed(response)) == 12
    assert thread not in listed(response)


def test_comment_changelist_search(admin_client, thread):
    response = admin_client.get("/admin/threads/comment/?q=fedjacketing")
    assert [c.body[:20] for c in listed(response)] == ["I think this is an i"]
    response = admin_client.get("/admin/threads/comment/?q=quux")
    assert [c.author_name for c in listed(response)] == ["Zebulon Quux"]
    assert listed(admin_client.get("/admin/threads/comment/?q=no-such-words")) == set()


def test_comment_change_page_uses_no_select_for_tree_links(admin_client, seed_comment):
    reply = seed_comment.get_children()[0]
    response = admin_client.get(f"/admin/threads/comment/{reply.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<select name="parent"' not in html
    assert '<select name="author"' not in html
    # Tree links and the author are read-only (shown as links), never a form widget.
    assert 'name="parent"' not in html and 'name="author"' not in html
    assert f'href="/admin/threads/comment/{seed_comment.pk}/change/"' in html
    # No widget lists every comment as an option.
    assert html.count("<option") < 20
    assert "We didn’t diagnosed hatred" in html


def test_comment_delete_is_not_permitted(admin_client, seed_comment):
    response = admin_client.get(f"/admin/threads/comment/{seed_comment.pk}/delete/")
    assert response.status_code == 403
    response = admin_client.post(
        f"/admin/threads/comment/{seed_comment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403

    changelist = admin_client.get("/admin/threads/comment/")
    action_form = changelist.context["action_form"]  # None when no action is left
    actions = [name for name, _ in action_form.fields["action"].choices] if action_form else []
    assert "delete_selected" not in actions
    admin_client.post(
        "/admin/threads/comment/",
        {"action": "delete_selected", "_selected_action": [seed_comment.pk], "post": "yes"},
    )
    assert Comment.objects.count() == 12
    change = admin_client.get(f"/admin/threads/comment/{seed_comment.pk}/change/")
    assert f"/admin/threads/comment/{seed_comment.pk}/delete/" not in change.content.decode()


def test_readers_cannot_open_the_admin(client, reader, seeded):
    client.force_login(reader)
    response = client.get("/admin/threads/comment/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
