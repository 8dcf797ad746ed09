"""Every state change of moderation lives here; views and commands call these.

Each function runs in one transaction, locks the rows it changes, checks the
state it expects (a form posted from a stale page carries the case version it
saw) and writes one ``ModerationEvent`` per change.  Nothing here deletes a
comment: hiding changes its status, and every action has an undo that is
logged too.

The submodules, lowest first (each imports only from those before it; the
contract "moderation's modules build one way" in pyproject.toml checks it):
``cases`` (refusals, locking, opening system cases, text checks), ``ladder``;
then side by side ``intake`` (flags, holds, claims), ``notes`` and
``deescalation`` (with ``moderation.heat_cases``); ``moderation.submissions``
(a reader's comment, new or edited); ``callin`` (the conversation with the
author, whose revision goes through ``submissions``), ``resolution`` (closing
a case: resolving, approving), and on
top ``queue_actions`` (bulk), ``undo`` and ``expiry`` (``tick``).

``Refused`` is ``threads.errors.Refused``: one error type from posting up.
"""

from .callin import (
    author_reply,
    author_revise,
    author_withdraw,
    call_in,
    message_author,
    pause_visibility,
    restore_visibility,
)
from .cases import (
    OPEN_STATES,
    Conflict,
    Refused,
    clean_text,
    lock_case,
    notify,
    open_system_case,
)
from .deescalation import collapse, expand, pause_replies, resume_replies, set_slow_mode
from .expiry import tick
from .intake import (
    claim,
    flag_comment,
    flagger_weight,
    open_case,
    unclaim,
)
from .ladder import (
    NEXT_STEP,
    RUNG_NAMES,
    acknowledge_warning,
    lift_sanction,
    posting_refusal,
    sanction,
    standing,
)
from .notes import add_bridging_note, annotate, retract_annotation
from .queue_actions import bulk
from .resolution import approve, feature, reopen, resolve, unhide
from .undo import UNDONE, NothingToUndo, undo_last, undo_target

__all__ = [
    "NEXT_STEP",
    "OPEN_STATES",
    "RUNG_NAMES",
    "UNDONE",
    "Conflict",
    "NothingToUndo",
    "Refused",
    "acknowledge_warning",
    "add_bridging_note",
    "annotate",
    "approve",
    "author_reply",
    "author_revise",
    "author_withdraw",
    "bulk",
    "call_in",
    "claim",
    "clean_text",
    "collapse",
    "expand",
    "feature",
    "flag_comment",
    "flagger_weight",
    "lift_sanction",
    "lock_case",
    "message_author",
    "notify",
    "open_case",
    "open_system_case",
    "pause_replies",
    "pause_visibility",
    "posting_refusal",
    "reopen",
    "resolve",
    "restore_visibility",
    "resume_replies",
    "retract_annotation",
    "sanction",
    "set_slow_mode",
    "standing",
    "tick",
    "unclaim",
    "undo_last",
    "undo_target",
    "unhide",
]
