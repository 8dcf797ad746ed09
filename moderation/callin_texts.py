"""Starting texts for call-ins: moderators pick one, then edit it before sending.

They speak to the author privately and with respect, quote the space's
guidelines, name the flag reasons in general terms (never who flagged or what
they wrote), and offer the four ways forward: reflect, clarify, revise, withdraw.
"""

from .models import Reason

# The text a call-in starts from unless the moderator picks another.
DEFAULT_CALL_IN = "reflect"
CALL_IN_TEXTS = {
    "reflect": (
        "Invite to reflect",
        "Hello {author},\n\n"
        "Thank you for taking part in the discussion of “{essay}”. Some readers felt that "
        "your comment might land as {reasons}. We are not removing anything: we are writing "
        "to you privately first, because we think you can say what you mean in a way that "
        "keeps the conversation open.\n\n"
        "The guidelines of this space ask:\n{guidelines}\n\n"
        "Would you take a moment to reread your comment? You can answer us here, clarify "
        "what you meant, revise the comment, or withdraw it. Whatever you choose, thank you "
        "for reading this.\n\n— The moderators",
    ),
    "clarify": (
        "Ask to clarify",
        "Hello {author},\n\n"
        "Your comment on “{essay}” has started a conversation, and some readers are unsure "
        "what you meant: it was flagged as {reasons}. Could you tell us, or the thread, a "
        "little more about what you had in mind? A revision that adds context often helps "
        "more than a reply.\n\n"
        "For reference, this space's guidelines:\n{guidelines}\n\n— The moderators",
    ),
    "revise": (
        "Suggest a revision",
        "Hello {author},\n\n"
        "We think your point in the discussion of “{essay}” matters, and we would like "
        "readers to hear it. As written, the comment was flagged as {reasons}, and it may "
        "make people defend themselves instead of listening. Would you consider revising it "
        "(your earlier text is kept, and the comment will show it was edited), or "
        "withdrawing it if you feel it no longer says what you mean?\n\n"
        "This space's guidelines:\n{guidelines}\n\n— The moderators",
    ),
}


def describe_reasons(reasons):
    labels = [Reason(r).label.split(" (")[0].lower() for r in reasons if r in Reason.values]
    if not labels:
        return "out of step with this space's guidelines"
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


class _KeepUnknown(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def call_in_choices(saved_replies):
    """(key, label) of the built-in texts and the moderators' saved call-ins."""
    return [(key, label) for key, (label, _) in CALL_IN_TEXTS.items()] + [
        (f"saved-{reply.pk}", reply.title)
        for reply in saved_replies
        if reply.kind == reply.Kind.CALL_IN
    ]


def render_call_in(key, case, saved_replies=()):
    """The text of call-in ``key`` (built in, or "saved-<id>") filled in for ``case``.

    Texts may use {author}, {essay}, {reasons} and {guidelines}.
    """
    saved = {f"saved-{r.pk}": r.body for r in saved_replies if r.kind == r.Kind.CALL_IN}
    text = saved.get(key) or CALL_IN_TEXTS.get(key, CALL_IN_TEXTS[DEFAULT_CALL_IN])[1]
    guidelines = "\n".join(
        f"  “{line.strip()}”" for line in case.essay.guidelines.splitlines() if line.strip()
    )
    values = _KeepUnknown(
        author=case.comment.author_name,
        essay=case.essay.title,
        reasons=describe_reasons(case.reasons),
        guidelines=guidelines or "  (this space has no written guidelines yet)",
    )
    try:
        return text.format_map(values)
    except (ValueError, IndexError):  # stray braces in a saved text: use it as written
        return text
