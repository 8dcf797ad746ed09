"""The visibility rule (threads.visibility), called directly: each status against each role,
and the placeholder shown instead (the module's own tests for `make mutate`; the walk in
tests/pages/test_text_visibility_walk.py checks every page against the same table)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import SafeString

from tests.helpers import make_comment, make_user
from threads.visibility import comment_text_visible, placeholder_html

pytestmark = pytest.mark.django_db

ROLES = ("nobody", "anonymous", "reader", "author", "moderator", "organizer", "admin")
# The table in threads.visibility's docstring, written out again.
EXPECTED = {
    "visible": set(ROLES),
    "paused": {"author", "moderator", "admin"},
    "pending": {"author", "moderator", "admin"},
    "hidden": {"author", "moderator", "admin"},
    "withdrawn": {"author", "moderator", "admin"},
}


def viewer(role, author):
    return {
        "nobody": lambda: None,
        "anonymous": AnonymousUser,
        "reader": lambda: make_user("a-reader"),
        "author": lambda: author,
        "moderator": lambda: make_user("a-moderator", "moderators"),
        "organizer": lambda: make_user("an-organizer", "organizers"),
        "admin": lambda: make_user("an-admin", is_superuser=True),
    }[role]()


def comment_in(space, author, status):
    if status == "paused":
        return make_comment(space, author=author, visibility_paused=True)
    return make_comment(space, author=author, status=status)


@pytest.mark.parametrize("status", EXPECTED)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_a_comments_text(space, author, status, role):
    comment = comment_in(space, author, status)

    assert comment_text_visible(comment=comment, user=viewer(role, author)) == (
        role in EXPECTED[status]
    )


@pytest.mark.parametrize("status", ["hidden", "paused"])
def test_an_imported_comment_has_no_author_to_read_it(space, status):
    imported = comment_in(space, None, status)
    reader = make_user("a-reader")

    assert not comment_text_visible(comment=imported, user=reader)
    assert comment_text_visible(comment=imported, user=make_user("mod", "moderators"))


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("withdrawn", "Withdrawn by its author."),
        ("hidden", "This comment is hidden by the moderators."),
        ("pending", "This comment is waiting for a moderator."),
    ],
)
def test_the_placeholder_says_what_happened_in_neutral_words(space, author, status, words):
    html = placeholder_html(comment_in(space, author, status))

    assert html == f'<p class="placeholder">{words}</p>'
    assert isinstance(html, SafeString)  # fixed markup: the template must not escape it


def test_a_paused_comment_says_its_author_and_the_moderators_are_talking(space, author):
    html = placeholder_html(comment_in(space, author, "paused"))

    assert html == (
        '<p class="placeholder">This comment is resting for a moment while its author and '
        "the moderators talk.</p>"
    )


def test_a_paused_imported_comment_says_only_the_moderators_look_at_it(space):
    html = placeholder_html(comment_in(space, None, "paused"))

    assert html == (
        '<p class="placeholder">This comment is resting for a moment while the moderators '
        "look at it.</p>"
    )
