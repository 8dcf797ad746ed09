"""A whole thread as HTML in one pass, for the moderators' whole-thread page.

Thousands of comments through the template engine cost many times what
fetching them does; this writes the same flat list, indented by level, with
string formatting and Django's own escaping, so its time stays close to the
fetch and linear in the thread's size.
"""

import re
from html import escape

from django.utils import timezone
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
