"""Comment lists as HTML in one pass: the readers' thread pages and the moderators' whole thread.

Hundreds or thousands of comments through the template engine cost many times
what fetching them does (variable lookups, filters and date formatting per
comment); these write the same markup with string formatting and Django's own
escaping, so a page's time stays close to its fetch and linear in its size.
``templates/threads/_comment_list.html`` calls ``comment_list_html`` through
``{% comment_list %}`` (threads/templatetags/thread_html.py).
"""

import re
from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .models import Comment

PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def paragraphs(text):
    """What Django's ``linebreaks`` filter gives (escaped), without its per-call overhead."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n\n".join(
        f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in PARAGRAPH_BREAK.split(text)
    )


def badges(comment, now):
    """What a moderator should notice about a comment, as badge labels."""
    if comment.status != Comment.Status.VISIBLE:
        yield comment.get_status_display()
    if comment.visibility_paused:
        yield "paused while we talk"
    if comment.kind != Comment.Kind.COMMENT:
        yield comment.get_kind_display()
    if comment.is_collapsed(now):
        yield "replies folded for readers"
    if comment.replies_paused(now):
        yield "replies resting"


def comment_html(comment, base, now, zone):
    created = comment.created.astimezone(zone)
    marks = "".join(f' <span class="badge">{escape(b)}</span>' for b in badges(comment, now))
    notes = "".join(
        '<aside class="context-note" aria-label="Context from the moderators">'
        f"{paragraphs(note.body)}</aside>"
        for note in comment.context_notes
    )
    return (
        f'<li id="c{comment.pk}" class="comment indent-{comment.indent} kind-{comment.kind}">'
        f'<p class="comment-meta"><span class="author">{escape(comment.author_name)}</span> '
        f'<a href="{base}comments/{comment.pk}/">#{comment.pk}</a> '
        f'<time datetime="{created.isoformat()}">'
        f"{created:%b} {created.day}, {created:%Y %H:%M}</time>{marks}</p>"
        f'<div class="body">{paragraphs(comment.body)}</div>{notes}</li>\n'
    )


def whole_thread_html(essay, comments):
    """``comments`` (from ``queries.thread``) as one ordered list; every text is escaped."""
    base, now, zone = essay.get_absolute_url(), timezone.now(), timezone.get_current_timezone()
    parts = ['<ol class="thread">\n']
    parts.extend(comment_html(comment, base, now, zone) for comment in comments)
    parts.append("</ol>")
    return mark_safe("".join(parts))  # built from escaped parts only


class Dates:
    """Django's ``date`` filter for the formats the lists use, in the current time zone,
    with the month names looked up once per list."""

    def __init__(self):
        self.months = {}

    def month(self, number):
        if number not in self.months:
            self.months[number] = str(MONTHS_3[number]).title()
        return self.months[number]

    def short(self, value, year=True):
        """``M j, Y H:i`` (or ``M j, H:i``)."""
        local = timezone.localtime(value)
        day = f"{self.month(local.month)} {local.day},"
        if year:
            day = f"{day} {local.year:04d}"
        return f"{day} {local.hour:02d}:{local.minute:02d}"

    def iso(self, value):
        return timezone.localtime(value).isoformat()


BADGES = {
    Comment.Kind.BRIDGE: '<span class="badge">Moderators\' bridging note</span>',
    Comment.Kind.PROMPT: '<span class="badge">Opening prompt</span>',
}
PLACEHOLDERS = {
    Comment.Status.WITHDRAWN: '<p class="placeholder">Withdrawn by its author.</p>',
    Comment.Status.HIDDEN: '<p class="placeholder">This comment is hidden by the moderators.</p>',
}
PENDING_NOTICE = (
    '<p class="notice">Only you can see this comment for now: it is waiting for a moderator.</p>'
)
PAUSED = (
    '<p class="placeholder">This comment is resting for a moment while its author and the '
    "moderators talk.</p>"
)
FOLD_OPENS = (
    '<li class="fold"><details><summary>This part of the conversation is resting. The replies '
    'are still here: open to read them.</summary><ol class="thread">'
)
FOLD_CLOSES = "</ol></details></li>"


def reader_comment_html(c, base, essay, user_pk, signed_in, now, dates):
    """One comment of a reader's list (see comment_list_html)."""
    if c.source_date:
        when = conditional_escape(c.source_date)
    else:
        when = f'<time datetime="{dates.iso(c.created)}">{dates.short(c.created)}</time>'
    edited = ' <span class="edited">edited</span>' if c.edited and c.is_shown else ""
    author = conditional_escape(c.author_name)
    if c.status in PLACEHOLDERS:
        body = PLACEHOLDERS[c.status]
    elif c.status == Comment.Status.PENDING:
        body = f'<div class="body">{paragraphs(c.body)}</div>\n{PENDING_NOTICE}'
    elif c.visibility_paused:
        body = PAUSED
    else:
        body = f'<div class="body">{paragraphs(c.body)}</div>'
    notes = "".join(
        '\n<aside class="context-note" aria-label="Context from the moderators">'
        f'<p class="meta">Context from the moderators</p>{paragraphs(note.body)}</aside>'
        for note in getattr(c, "context_notes", ())
    )
    resting = c.replies_paused(now)
    if c.replies_paused_until and resting:
        until = dates.short(c.replies_paused_until, year=False)
        notes += (
            f'\n<p class="notice">Replies here are resting until {until}, '
            "to give everyone a moment.</p>"
        )
    actions = ""
    if c.is_shown:
        links = []
        if essay.is_open and not resting:
            links.append(f'<a href="{base}comments/{c.pk}/reply/">Reply</a>')
        if c.author_id and c.author_id == user_pk:
            links.append(f'<a href="{base}comments/{c.pk}/edit/">Edit</a>')
            links.append(f'<a href="{base}comments/{c.pk}/withdraw/">Withdraw</a>')
        elif signed_in:
            links.append(f'<a href="/comments/{c.pk}/flag/" rel="nofollow">Flag</a>')
        if c.featured_at:
            links.append('<span class="badge">Featured</span>')
        actions = f'\n<p class="actions">\n{" ".join(links)}\n</p>'
    return (
        f'<li id="c{c.pk}" class="comment indent-{getattr(c, "indent", "")} kind-{c.kind}">\n'
        f'<article aria-label="Comment by {author}">\n<header class="comment-meta">\n'
        f'{BADGES.get(c.kind, "")}<span class="author">{author}</span>\n'
        f'<a class="permalink" href="{base}comments/{c.pk}/">{when}</a>{edited}\n</header>\n'
        f"{body}{notes}{actions}\n</article>\n</li>\n"
    )


def comment_list_html(comments, essay, user, base=None, fold_tail=()):
    """A reader's flat, ordered list of comments indented by level (no recursion).

    ``comments`` carry .indent and .context_notes; on the essay page also fold
    marks (``queries.mark_folds``) and, where a page stops inside a subthread,
    ``more_replies`` (``queries.mark_more_replies``).  A comment waiting for a
    moderator shows to its author only.  Every text is escaped.
    """
    base = base or essay.get_absolute_url()
    user_pk, signed_in = user.pk, user.is_authenticated
    now, dates = timezone.now(), Dates()
    parts = ['<ol class="thread">\n']
    for c in comments:
        parts.append(FOLD_CLOSES * len(getattr(c, "closes_folds", ())))
        if c.status != Comment.Status.PENDING or (c.author_id and c.author_id == user_pk):
            parts.append(reader_comment_html(c, base, essay, user_pk, signed_in, now, dates))
        if getattr(c, "opens_fold", False):
            parts.append(FOLD_OPENS)
        for more in getattr(c, "more_replies", ()):
            after = f"?after={more.after}" if more.after else ""
            plural = "y" if more.count == 1 else "ies"
            parts.append(
                f'<li class="more-replies indent-{more.indent}"><a href="{base}comments/'
                f'{more.comment.pk}/replies/{after}">{more.count} more repl{plural} to '
                f"{conditional_escape(more.comment.author_name)}</a></li>\n"
            )
    parts.append(FOLD_CLOSES * len(fold_tail))
    parts.append("</ol>\n")
    return mark_safe("".join(parts))  # built from escaped parts only
