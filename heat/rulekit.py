"""How a rule is written: a pattern, the strength of one hit, and the words it needs.

``heat.rules`` (insults, threats, sweeping claims, shaming, dismissal, bad faith)
and ``heat.contempt`` (mockery, silencing, condemning the person, threats to
expose, dismissing someone for who they are, enemy labels) both write their rules
with ``rule``; ``heat.matching`` runs them.
"""

import re
from dataclasses import dataclass

# "you're not stupid": a negated insult is none.
NEGATION = re.compile(r"\b(?:not|never|no)\b|n't")
# "I don't think you're a bad person": a judgement denied just before it is none either.
NEGATED_BEFORE = re.compile(r"(?:\b(?:not|never)|n't)\s+(?:\w+\s+){0,2}$")
# "I was an idiot", "calling someone a fool": not an insult aimed at a person.
SELF_OR_MENTION = re.compile(
    r"(?:\b(?:i|i'm|i\s+am|i\s+was|i\s+felt\s+like|me|myself|we\s+were)"
    r"|\bcall(?:s|ed|ing)?\s+(?:\w+\s+)?)\s*$"
)


def alt(words):
    """A regex alternation of ``words``, longest first."""
    return "|".join(sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Rule:
    """One pattern of a rule signal, the strength of one hit, and the words it needs.

    ``needs`` is a tuple of word sets: the text must hold a word of each set
    before the pattern runs at all, so most texts never pay for the regex.
    Patterns read the lowercased text.
    """

    strength: float
    pattern: re.Pattern
    needs: tuple
    negatable: bool = False  # "you're not stupid" does not count
    skip_before: re.Pattern | None = None  # text just before the match that cancels it
    hedgeable: bool = False  # "many liberals are…" does not count
    # Words the pattern starts at: it is tried only there, instead of scanning the text.
    anchors: frozenset | None = None


def rule(strength, needs, pattern, **kw):
    """``needs``: a set of words, or a string of word groups separated by "&"."""
    if isinstance(needs, str):
        needs = tuple(frozenset(group.split()) for group in needs.split("&"))
    elif isinstance(needs, frozenset):
        needs = (needs,)
    if isinstance(kw.get("anchors"), str):
        kw["anchors"] = frozenset(kw["anchors"].split())
    return Rule(strength, re.compile(pattern), tuple(needs), **kw)


def all_of(*groups):
    """``needs`` of several word groups: a text must hold a word of each."""
    return tuple(frozenset(g.split()) if isinstance(g, str) else frozenset(g) for g in groups)
