"""One action applied to many cases of the moderators' queue at once."""

from ..models import Case
from .cases import Refused
from .intake import claim
from .resolution import resolve


def bulk(actor, versions, action, outcome="", hide_reason=None, reason=""):
    """Apply one action to many cases, each in its own transaction and with its own events.

    ``versions`` maps case id to the version the moderator saw.  The rules of
    the single actions hold (a stale case, or hiding without a call-in and
    without a severe reason, is refused).  Returns (done ids, {id: refusal}).
    """
    done, refused = [], {}
    cases = Case.objects.in_bulk(list(versions))
    for pk, version in versions.items():
        case = cases.get(pk)
        try:
            if case is None:
                raise Refused("No such case.")
            if action == "claim":
                claim(actor, case, version)
            elif action == "resolve":
                resolve(actor, case, outcome, reason, None, version)
            elif action == "hide":
                resolve(actor, case, Case.Outcome.HIDDEN, reason, hide_reason, version)
            else:
                raise Refused("Choose an action.")
        except Refused as exc:
            refused[pk] = str(exc)
        else:
            done.append(pk)
    return done, refused
