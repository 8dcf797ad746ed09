"""Nudges before posting: a reader's reply above the space's heat threshold comes back
once with a calm prompt ("Edit" or "Post anyway"); nothing is blocked.  Each nudge is
a ``Nudge`` row, so the dashboard can say what readers did after one."""

import hashlib
from dataclasses import dataclass

from django.core import signing
from django.db.models import Count
from django.utils import timezone

import heat
from threads.scoring import heat_scoring_on, threshold_for

from .models import Nudge

# What the nudge says it saw, for the strongest signal that says why, and a call-in phrasing
# for that kind of heat: a way to keep the point and lose the call-out.
ADVICE = {
    "mockery": (
        "This reads as mocking the person.",
        "Say what you disagree with, plainly: “I read this differently. Here is where, and why: …”",
    ),
    "silencing": (
        "This tells someone to leave or be quiet.",
        "Ask instead of sending them off: “I'd like to understand where you're coming from. "
        "What makes you see it this way?”",
    ),
    "condemning": (
        "This passes judgement on the person rather than on what they said.",
        "Name what was said or done and what you hope changes: “When you wrote …, it landed "
        "as …. Would you reconsider that part?”",
    ),
    "exposure": (
        "This threatens to expose someone.",
        "Take it to the space's process instead: “This worried me, so I've asked the "
        "moderators to look at it.”",
    ),
    "identity": (
        "This dismisses someone for who they are.",
        "Answer the argument, not the person: “Here is where your point misses what I've seen: …”",
    ),
    "enemy": (
        "This casts someone as an enemy.",
        "Ask about the view instead of naming a side: “What makes you see it this way? Here "
        "is what worries me about it: …”",
    ),
    "insult": (
        "This insults the person.",
        "Aim at the idea: “I think this argument is wrong, because …”",
    ),
    "threat": (
        "This reads as a threat.",
        "Say what you need to stop or change, and ask the moderators for help if it goes on.",
    ),
    "group": (
        "This makes a sweeping claim about a group.",
        "Speak of the people and the acts you mean: “Some of the people I've organized with …”",
    ),
    "shaming": (
        "This shames the person.",
        "Say how it affected you and what you would ask: “That hurt, because …. Would you …?”",
    ),
    "dismissive": (
        "This brushes the person off.",
        "Engage with one point: “The part I disagree with is …, because …”",
    ),
    "bad_faith": (
        "This accuses someone of bad faith.",
        "Assume good faith and ask: “I might be misreading you. Did you mean …?”",
    ),
    "offensive": (
        "This uses offensive language.",
        "Make the same point without the swearing: the point carries further.",
    ),
}
GENERAL_ADVICE = (
    "This may read as heated.",
    "Try saying what you disagree with and why: “I see this differently, because …”",
)


def nudge_advice(signals):
    """(what the nudge saw, in plain words; a call-in phrasing for it) from a text's signals,
    strongest first: the first signal that says why, else general words."""
    for s in signals:
        if s["code"] in ADVICE:
            return ADVICE[s["code"]]
    return GENERAL_ADVICE


# The signing salt of the hidden field; unchanged since nudges lived in moderation.heat, so
# a form opened before an upgrade still carries a valid nudge.
NUDGE_SALT = "callin.moderation.heat.nudge"


def _digest(text):
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:24]


@dataclass
class NudgeCheck:
    """What the reply form does with one submission (see ``check_reply``)."""

    heat: float
    signals: list
    threshold: float
    show: bool  # the form comes back with the prompt instead of posting
    token: str = ""  # hidden field carrying the nudge to the next submission
    nudge_id: int | None = None
    result: str | None = None  # recorded on the nudge once the comment is posted
    repeated: bool = False  # the same text came back after a nudge

    @property
    def reading(self):
        """What the nudge saw, in plain words: "This reads as mocking the person."."""
        return nudge_advice(self.signals)[0]

    @property
    def call_in(self):
        """A call-in phrasing for what it saw."""
        return nudge_advice(self.signals)[1]

    def posted(self):
        """The comment went in: record what the author did after the nudge."""
        if self.nudge_id and self.result:
            Nudge.objects.filter(pk=self.nudge_id, result=Nudge.Result.SHOWN).update(
                result=self.result
            )


def _carried_nudge(token, user, essay):
    """(nudge, digest of the nudged text) from a hidden-field token, if still open."""
    if not token:
        return None, None
    try:
        data = signing.loads(token, salt=NUDGE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None, None
    nudge = Nudge.objects.filter(
        pk=data.get("id"), user=user, essay=essay, result=Nudge.Result.SHOWN
    ).first()
    return (nudge, data.get("text")) if nudge else (None, None)


def check_reply(essay, user, body, token="", post_anyway=False):
    """Decide whether a reader's reply gets a nudge before it is posted.

    - First submission above the threshold: a ``Nudge`` row (shown) is written
      and the form comes back with the prompt; nothing is blocked.
    - Next submission carrying that nudge: "Post anyway" posts it (result
      posted_anyway); changed text posts it (result edited); the same text
      through the plain button shows the prompt again.
    """
    scoring = heat_scoring_on()
    value, signals = heat.score_text(body) if scoring else (0.0, [])
    threshold = threshold_for(essay)
    above = scoring and heat.is_heated(value, threshold)
    check = NudgeCheck(heat=value, signals=signals, threshold=threshold, show=False)
    nudge, nudged_text = _carried_nudge(token, user, essay)
    if nudge is not None:
        check.nudge_id, check.token = nudge.pk, token
        if post_anyway:
            check.result = Nudge.Result.POSTED_ANYWAY
        elif _digest(body) != nudged_text:
            check.result = Nudge.Result.EDITED
        elif above:
            check.show, check.repeated = True, True
        else:  # the threshold moved since: post it as it is
            check.result = Nudge.Result.POSTED_ANYWAY
        return check
    if above and not post_anyway:
        nudge = Nudge.objects.create(essay=essay, user=user, heat=value, created=timezone.now())
        check.show, check.nudge_id = True, nudge.pk
        check.token = signing.dumps({"id": nudge.pk, "text": _digest(body)}, salt=NUDGE_SALT)
    return check


def nudge_rates(since=None, essay=None):
    """Nudges shown, and what followed: edited, posted anyway, no decision (yet)."""
    nudges = Nudge.objects.all()
    if since is not None:
        nudges = nudges.filter(created__gte=since)
    if essay is not None:
        nudges = nudges.filter(essay=essay)
    counts = dict(nudges.values_list("result").annotate(n=Count("id")).order_by())
    shown = sum(counts.values())
    edited = counts.get(Nudge.Result.EDITED, 0)
    anyway = counts.get(Nudge.Result.POSTED_ANYWAY, 0)
    undecided = counts.get(Nudge.Result.SHOWN, 0)

    def rate(n):
        return round(n / shown, 3) if shown else None

    return {
        "shown": shown,
        "edited": edited,
        "posted_anyway": anyway,
        "no_decision": undecided,
        "edited_rate": rate(edited),
        "posted_anyway_rate": rate(anyway),
        "no_decision_rate": rate(undecided),
    }
