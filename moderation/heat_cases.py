"""System cases for heated comments: a reader's comment posted or edited above its space's
heat threshold is brought to the moderators.  Nothing about the comment changes."""

import heat
from threads.models import Comment
from threads.scoring import threshold_for

from .audit import record
from .models import Case, Reason
from .workflow.cases import open_system_case


def open_case_if_heated(comment):
    """Open a system case on a reader's comment whose heat is above its space's threshold.

    Runs inside the transaction that saved the comment.  The case (origin
    "heat", opened by nobody, its event's reason starting with "heated") only
    brings the comment to the moderators.  If a case is already open on it, the
    heat is noted there instead.  Returns the case, or None when the comment is
    not heated.
    """
    if comment.kind != Comment.Kind.COMMENT or not heat.is_heated(
        comment.heat, threshold_for(comment.essay)
    ):
        return None
    summary = heat.signal_summary(comment.heat_signals)
    why = f"{Reason.HEATED.value}: heat {comment.heat:.2f} ({summary})"
    case, created = open_system_case(comment, Case.Origin.HEAT, why)
    if not created:
        record(
            None,
            "heat_noted",
            case=case,
            after={"heat": comment.heat, "signals": [s["code"] for s in comment.heat_signals]},
            reason=why,
        )
    return case
