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

from .models import Comment
from .nested_lists import NestedList
from .visibility import comment_text_visible, placeholder_html

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
        yield "readers see a placeholder"
    if comment.kind != Comment.Kind.COMMENT:
        yield comment.get_kind_display()
    if comment.is_collapsed(now):
        yield "replies folded for readers"
    if comment.replies_paused(now):
        yield "replies resting"


def comment_html(comment, base, now, dates, replying_to):
    """One comment of the whole thread, its ``<li>`` left open for its replies."""
    marks = "".join(f' <span class="badge">{escape(b)}</span>' for b in badges(comment, now))
    notes = "".join(
        '<aside class="context-note"><p class="meta">Context from the moderators</p>'
        f"{paragraphs(note.body)}</aside>"
        for note in getattr(comment, "context_notes", ())
    )
    author = escape(comment.author_name)
    return (
        f'<li id="c{comment.pk}" class="comment indent-{comment.indent} kind-{comment.kind}">'
        f'<article aria-label="Comment by {author}">'
        f'<header class="comment-meta"><span class="author">{author}</span>{replying_to} '
        f'<a href="{base}comments/{comment.pk}/">#{comment.pk}</a> '
        f"{comment_date_html(comment, dates)}{marks}</header>"
        f'<div class="body">{paragraphs(comment.body)}</div>{notes}</article>\n'
    )


def in_reply_to(comment, names):
    """What a screen reader says after a reply's author: to whom it replies (``names``:
    the authors of the comments listed so far, by pk)."""
    if comment.parent_id is None:
        return ""
    parent = names.get(comment.parent_id)
    to = escape(parent) if parent is not None else "an earlier comment"
    return f'<span class="visually-hidden">, in reply to {to}</span>'


def whole_thread_html(essay, comments):
    """``comments`` (from ``queries.thread``) as nested lists; every text is escaped."""
    base, now, dates = essay.get_absolute_url(), timezone.now(), Dates()
    nested = NestedList(min((c.level for c in comments), default=0))
    names = {}
    for comment in comments:
        replying_to = in_reply_to(comment, names)
        nested.item(comment.level, comment_html(comment, base, now, dates, replying_to))
        names[comment.pk] = comment.author_name
    return nested.html()


class Dates:
    """Django's ``date`` filter for the formats the lists use, in the current time zone,
    with the month names and the zone looked up once per list."""

    def __init__(self):
        self.months = {}
        self.zone = timezone.get_current_timezone()

    def month(self, number):
        if number not in self.months:
            self.months[number] = str(MONTHS_3[number]).title()
        return self.months[number]

    def short(self, value, year=True):
        """``M j, Y H:i`` (or ``M j, H:i``)."""
        local = timezone.localtime(value, self.zone)
        day = f"{self.month(local.month)} {local.day},"
        if year:
            day = f"{day} {local.year:04d}"
        return f"{day} {local.hour:02d}:{local.minute:02d}"

    def day(self, value):
        """``M j, Y`` of a date."""
        return f"{self.month(value.month)} {value.day}, {value.year:04d}"

    def iso(self, value):
        return timezone.localtime(value, self.zone).isoformat()


def comment_date_html(comment, dates):
    """When a comment was written, as every page and list shows it.

    Posted here: its posting time.  Imported: the day its source gave, with the
    year (``written_on``, see importing.parsing.written_day); when the source
    gave none, the import day labelled "imported", never the import time as if
    it were when the comment was written.
    """
    if not comment.imported:
        created = comment.created
        return f'<time datetime="{dates.iso(created)}">{dates.short(created)}</time>'
    if comment.written_on:
        day = comment.written_on
        return f'<time datetime="{day.isoformat()}">{dates.day(day)}</time>'
    day = timezone.localdate(comment.created)
    return f'imported <time datetime="{day.isoformat()}">{dates.day(day)}</time>'


BADGES = {
    Comment.Kind.BRIDGE: '<span class="badge">Moderators\' bridging note</span>',
    Comment.Kind.PROMPT: '<span class="badge">Opening prompt</span>',
}
PENDING_NOTICE = (
    '<p class="notice">Only you can see this comment for now: it is waiting for a moderator.</p>'
)


def rest_until(comment, now):
    """Until when replies under ``comment`` rest: as ``queries.mark_reply_rests`` marked
    it (pauses above it included), else its own pause."""
    if hasattr(comment, "rest_until"):
        return comment.rest_until
    return comment.replies_paused_until if comment.replies_paused(now) else None


def reader_comment_html(c, base, essay, user, now, dates, replying_to=""):
    """One comment of a reader's list (see comment_list_html), its ``<li>`` left open for
    its replies."""
    user_pk, signed_in = user.pk, user.is_authenticated
    when = comment_date_html(c, dates)
    edited = ' <span class="edited">edited</span>' if c.edited and c.is_shown else ""
    author = conditional_escape(c.author_name)
    # Readers' lists show everyone the readers' view (the placeholders), except that an
    # author sees their own waiting comment; both within visibility's rule.
    if c.status == Comment.Status.PENDING and comment_text_visible(comment=c, user=user):
        body = f'<div class="body">{paragraphs(c.body)}</div>\n{PENDING_NOTICE}'
    elif c.is_shown:
        body = f'<div class="body">{paragraphs(c.body)}</div>'
    else:
        body = placeholder_html(c)
    notes = "".join(
        # No name: a named aside is a landmark, and a thread's many would all be alike.
        '\n<aside class="context-note">'
        f'<p class="meta">Context from the moderators</p>{paragraphs(note.body)}</aside>'
        for note in getattr(c, "context_notes", ())
    )
    resting = rest_until(c, now)
    if resting and c.replies_paused(now):
        until = dates.short(resting, year=False)
        notes += (
            f'\n<p class="notice">Replies here are resting until {until}, to give everyone '
            "a moment; the pause covers every reply below too.</p>"
        )
    actions = ""
    if c.is_shown:
        links = []
        if essay.is_open and resting and not c.replies_paused(now):
            until = dates.short(resting, year=False)
            links.append(
                f'<span class="resting">Replies in this part of the conversation are resting '
                f"until {until}.</span>"
            )
        elif essay.is_open and not resting:
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
        f'{BADGES.get(c.kind, "")}<span class="author">{author}</span>{replying_to}\n'
        f'<a class="permalink" href="{base}comments/{c.pk}/">{when}</a>{edited}\n</header>\n'
        f"{body}{notes}{actions}\n</article>\n"
    )


def comment_list_html(comments, essay, user, base=None, fold_tail=(), known=()):
    """A reader's list of comments, nested by level (no recursion): see nested_lists.

    ``comments`` carry .context_notes; on the essay page also fold marks
    (``queries.mark_folds``) and, where a page stops inside a subthread,
    ``more_replies`` (``queries.mark_more_replies``).  ``known``: comments shown
    elsewhere on the page (a comment's ancestors), whose authors a reply may answer.
    A comment waiting for a moderator shows to its author only.  Every text is escaped.
    """
    base = base or essay.get_absolute_url()
    user_pk = user.pk
    now, dates = timezone.now(), Dates()
    names = {c.pk: c.author_name for c in known}
    nested = NestedList(min((c.level for c in comments), default=0))
    for c in comments:
        nested.close_folds(len(getattr(c, "closes_folds", ())))
        for _ in getattr(c, "opens_folds", ()):
            nested.open_fold(c.level)
        if c.status != Comment.Status.PENDING or (c.author_id and c.author_id == user_pk):
            replying_to = in_reply_to(c, names)
            nested.item(c.level, reader_comment_html(c, base, essay, user, now, dates, replying_to))
            names[c.pk] = c.author_name
        for more in getattr(c, "more_replies", ()):
            after = f"?after={more.after}" if more.after else ""
            plural = "y" if more.count == 1 else "ies"
            nested.item(
                more.comment.level + 1,
                f'<li class="more-replies indent-{more.indent}"><a href="{base}comments/'
                f'{more.comment.pk}/replies/{after}">{more.count} more repl{plural} to '
                f"{conditional_escape(more.comment.author_name)}</a>",
            )
    nested.close_folds(len(fold_tail))
    return nested.html()


class SignedInReader:
    """Any signed-in reader who wrote none of a list's comments: the list is the same for
    all of them (a Flag link on every comment, no waiting comment shown), so a thread
    page's is made once per version of the page and kept with its data, not per request.
    A reader who wrote one of them sees it with its Edit and Withdraw links, or waiting:
    theirs is made for them (``shown_alike``)."""

    pk = None
    is_authenticated = True


def shown_alike(comments, user):
    """Whether ``user`` (signed in) sees ``comments`` as ``SignedInReader`` does."""
    return all(c.author_id != user.pk for c in comments)
