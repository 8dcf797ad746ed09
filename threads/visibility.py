"""Who may read a comment's text: one rule for every page, fragment, email and export.

Nothing is ever deleted, so a hidden, withdrawn or waiting comment still has its
text in the database; every place that writes a body asks ``comment_text_visible``
first and shows ``placeholder_html`` (the neutral wording readers see) where it
may not.  A place may show less than the rule allows (the readers' thread shows
everyone the same placeholders, and an author's own waiting comment), never more.

| status                       | anonymous | reader | author | moderator | organizer | admin |
|------------------------------|-----------|--------|--------|-----------|-----------|-------|
| visible                      | yes       | yes    | yes    | yes       | yes       | yes   |
| visible, paused (held)       | no        | no     | yes    | yes       | no        | yes   |
| pending (waiting approval)   | no        | no     | yes    | yes       | no        | yes   |
| hidden by a moderator        | no        | no     | yes    | yes       | no        | yes   |
| withdrawn by its author      | no        | no     | yes    | yes       | no        | yes   |

"Paused" is a call-in's pause or an auto-hold by flags.  "Author" is the account
that wrote it (an imported comment has none).  "Moderator" is whoever holds the
permission ``moderation.moderate_case`` (the moderators group; a superuser holds
every permission).  Organizers run spaces,
not cases: they read what readers read unless they hold that permission too.
The permission is named here as a string, so this layer (threads) still imports
nothing from moderation; ``has_perm`` caches a user's permissions, so a list asks
the database at most once.
"""

from django.utils.safestring import mark_safe

from .models import Comment

MODERATE_PERMISSION = "moderation.moderate_case"

PLACEHOLDERS = {
    Comment.Status.WITHDRAWN: '<p class="placeholder">Withdrawn by its author.</p>',
    Comment.Status.HIDDEN: '<p class="placeholder">This comment is hidden by the moderators.</p>',
    Comment.Status.PENDING: '<p class="placeholder">This comment is waiting for a moderator.</p>',
}
PAUSED = (
    '<p class="placeholder">This comment is resting for a moment while its author and the '
    "moderators talk.</p>"
)
# An imported comment's author has no account here: nobody can talk with them.
PAUSED_NO_ACCOUNT = (
    '<p class="placeholder">This comment is resting for a moment while the moderators '
    "look at it.</p>"
)


def comment_text_visible(*, comment, user):
    """Whether ``user`` (signed in or not) may read ``comment``'s text (see the table above)."""
    if comment.status == Comment.Status.VISIBLE and not comment.visibility_paused:
        return True
    if user is None or not user.is_authenticated:
        return False
    if comment.author_id is not None and comment.author_id == user.pk:
        return True
    return user.has_perm(MODERATE_PERMISSION)


def placeholder_html(comment):
    """The neutral words shown instead of a text the viewer may not read: never why."""
    paused = PAUSED if comment.author_id else PAUSED_NO_ACCOUNT
    return mark_safe(PLACEHOLDERS.get(comment.status, paused))  # fixed markup only
