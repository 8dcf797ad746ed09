"""The moderation log in words: each action as a sentence, each before/after value as
what it means ("Waiting for the author", "readers see a placeholder", "10 minutes").

The log stores codes (``case_resolved``, ``{"state": "open"}``) because they are stable
and hashed into the chain; people read what this module makes of them.
"""

from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from heat import LABELS as HEAT_LABELS
from threads.durations import duration_words
from threads.models import Comment, Essay

from .appeal_models import Appeal
from .models import Annotation, Case, HideReason, NoteLabel, Reason, SavedReply, WatchedWord
from .workflow import RUNG_NAMES

# Action → what the actor did, as the rest of a sentence that starts with their name.
ACTIONS = {
    "case_opened": "opened the case",
    "flag_added": "flagged the comment",
    "flag_updated": "changed their flag",
    "auto_held": "held the comment back: the flags' weight reached the space's threshold",
    "heat_noted": "opened the case on the comment's heat",
    "comment_held": "held the edited comment for approval",
    "auto_hold_released": "showed the comment again after its author edited it",
    "case_claimed": "took the case",
    "case_unclaimed": "left the case",
    "call_in_sent": "sent the author a call-in",
    "message_sent": "wrote to the author",
    "author_replied": "answered the call-in",
    "author_revised": "revised the comment",
    "author_withdrew": "withdrew the comment",
    "call_in_expired": "marked the call-in as unanswered after its time ran out",
    "visibility_paused": "put the comment behind a placeholder while they talk",
    "visibility_restored": "showed the comment to readers again",
    "replies_paused": "paused new replies",
    "replies_resumed": "let replies resume",
    "subthread_collapsed": "folded the replies behind a calm notice",
    "subthread_expanded": "unfolded the replies",
    "slow_mode_set": "set slow mode for the space",
    "slow_mode_lifted": "lifted slow mode",
    "annotation_added": "added a note",
    "annotation_retracted": "retracted a note",
    "bridging_note_added": "posted a bridging note in the thread",
    "comment_approved": "approved the comment",
    "comment_hidden": "hid the comment",
    "comment_unhidden": "showed the hidden comment again",
    "comment_featured": "featured the comment",
    "comment_unfeatured": "stopped featuring the comment",
    "case_resolved": "resolved the case",
    "case_reopened": "reopened the case",
    "action_undone": "took back an action",
    "sanction_warning": "gave the author a formal warning",
    "sanction_posting_pause": "paused the author's posting",
    "sanction_suspension": "suspended the author",
    "sanction_warning_lifted": "lifted the formal warning",
    "sanction_posting_pause_lifted": "lifted the posting pause",
    "sanction_suspension_lifted": "lifted the suspension",
    "posting_pause_ended": "ended the posting pause when its time was up",
    "warning_acknowledged": "acknowledged the formal warning",
    "author_appealed": "appealed the decision",
    "appeal_decided": "decided the appeal",
    "watched_word_set": "set a watched word",
    "watched_word_removed": "removed a watched word",
    "saved_reply_added": "saved a reusable text",
    "saved_reply_removed": "removed a reusable text",
    "space_created": "created the space",
    "space_updated": "changed the space",
    "space_text_edited": "edited the essay's text",
    "space_opened": "opened the discussion",
    "space_closed": "closed the discussion",
    "prompt_added": "added an opening prompt",
    "comments_imported": "imported comments",
    "site_imported": "imported a site export",
    "admin_comment_changed": "changed the comment in the admin",
    "admin_case_changed": "changed the case in the admin",
    "admin_flag_changed": "changed a flag in the admin",
    "webhook_saved": "saved a webhook",
}

# The log's filter: every action, by what it reads as.
ACTION_CHOICES = sorted(
    ((code, words.capitalize()) for code, words in ACTIONS.items()), key=lambda pair: pair[1]
)

# What each before/after key is, for people.
FIELDS = {
    "state": "state",
    "outcome": "outcome",
    "origin": "how it began",
    "status": "the comment",
    "claimed_by": "on it",
    "visibility_paused": "readers",
    "replies_paused_until": "replies paused until",
    "collapsed": "replies",
    "collapsed_until": "folded until",
    "slow_mode_seconds": "slow mode",
    "slow_mode_until": "slow mode until",
    "until": "until",
    "ends_at": "ends",
    "standing": "author's standing",
    "featured": "featured",
    "retracted": "note",
    "resolution_reason": "reason given",
    "no_answer": "no answer",
    "weight": "weight of the flags",
    "reason": "reason",
    "note": "note",
    "kind": "kind",
    "label": "label",
    "heat": "heat",
    "signals": "signals",
    "pattern": "word",
    "action": "what it does",
    "site_wide": "everywhere",
    "discussion": "discussion",
    "created": "new",
    "existing": "already there",
    "blocks": "paragraphs and headings",
    "file": "file",
    "format": "format",
    "body": "text",
    "title": "title",
    "text": "essay text",
    "annotation": "note",
    "sanction": "sanction",
    "saved_reply": "saved text",
    "prompt": "prompt",
    "webhook": "webhook",
    "event": "event",
    "appeal": "appeal",
    "appealed": "decision appealed",
    "decision": "appeal decided",
    "hide_reason": "reason chosen",
}

# Values that are one of a set of codes, read as their labels (keys with one meaning).
CHOICES = {
    "state": dict(Case.State.choices),
    "outcome": dict(Case.Outcome.choices),
    "origin": dict(Case.Origin.choices),
    "status": dict(Comment.Status.choices),
    "reason": {**dict(HideReason.choices), **dict(Reason.choices)},
    "kind": {**dict(Annotation.Kind.choices), **dict(SavedReply.Kind.choices)},
    "label": dict(NoteLabel.choices),
    "discussion": dict(Essay.Discussion.choices),
    "action": {**dict(WatchedWord.Action.choices), **ACTIONS},
    "standing": RUNG_NAMES,
    "appealed": dict(Appeal.Kind.choices),
    "decision": dict(Appeal.Outcome.choices),
    "hide_reason": dict(HideReason.choices),
}

FLAGS = {
    "visibility_paused": ("see a placeholder", "see the comment"),
    "collapsed": ("folded", "shown"),
    "featured": ("featured", "not featured"),
    "retracted": ("retracted", "shown"),
    "site_wide": ("yes", "only this space"),
    "no_answer": ("no answer", "answered"),
}
# What an empty value means for keys where "nothing" would say too little.
NONE = {
    "claimed_by": "nobody",
    "replies_paused_until": "not paused",
    "collapsed_until": "until unfolded",
    "slow_mode_until": "no end set",
    "until": "no end set",
    "ends_at": "no end date",
    "outcome": "none yet",
}
NUMBERED = {"annotation", "sanction", "saved_reply", "prompt", "webhook", "event", "note", "appeal"}
LONGEST = 200


def action_words(action):
    """What the actor did (``case_claimed`` → "took the case"); an action this table
    does not know yet still reads as words."""
    return ACTIONS.get(action) or action.replace("_", " ")


def field_words(key):
    if key in FIELDS:
        return FIELDS[key]
    try:
        return str(Essay._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key.replace("_", " ")


def _moment(value):
    """An ISO date and time ("2030-03-04T09:00:00+00:00") as "Mar 4 2030, 09:00"."""
    try:
        when = parse_datetime(value)
    except ValueError:
        return None
    if not isinstance(when, datetime):
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return f"{timezone.localtime(when):%b %-d %Y, %H:%M}"


def value_words(key, value):
    """One before/after value as people read it."""
    if value is None or value == "":
        return NONE.get(key, "nothing")
    if key in FLAGS and isinstance(value, bool):
        return FLAGS[key][0 if value else 1]
    if key == "slow_mode_seconds":
        return f"one comment every {duration_words(value)}" if value else "off"
    if key in CHOICES and not isinstance(value, (list, dict)):
        return str(CHOICES[key].get(value, value))
    if key in NUMBERED and isinstance(value, int):
        return f"#{value}"
    if key == "signals" and isinstance(value, list):
        return ", ".join(HEAT_LABELS.get(code, str(code)) for code in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(value_words(key, v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{field_words(k)}: {value_words(k, v)}" for k, v in value.items())
    if isinstance(value, str) and "T" in value and (moment := _moment(value)):
        return moment
    text = str(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def event_changes(event):
    """``[(what, before, after)]`` in words for the keys the event changed; ``before`` is
    "" when the event only says what is now, ``after`` when it only says what was (a
    state its undo would put back, changed by an event of its own)."""
    before, after = event.before or {}, event.after or {}
    rows = []
    for key in [*after, *(k for k in before if k not in after)]:
        if key in before and key in after and before[key] == after[key]:
            continue
        was = value_words(key, before[key]) if key in before else ""
        now = value_words(key, after[key]) if key in after else ""
        rows.append((field_words(key).capitalize(), was, now))
    return rows
