"""Running the rules over one text: where they may match, and the signal their hits make.

Rules run only near the words they need, so a long calm comment costs little.
Text inside quotation marks is mentioned, not said, so the rules skip it.
Several hits of one rule signal add up (noisy-OR) to at most ``RULE_CAP``.
"""

import re

from .classifier import tokens
from .rulekit import NEGATED_BEFORE, NEGATION
from .rules import (
    GATE_WORDS,
    HEDGES,
    KEY_WORDS,
    RULE_INDEX,
    RULE_ORDER,
    RULE_WORDS,
    WORD_BITS,
)
from .words import LABELS

RULE_CAP = 0.95  # the most several hits of one rule signal add up to
# Every alternative starts with its quotation mark (the lookbehind comes after it), so the
# regex engine skips straight to those characters instead of trying each position.
QUOTED = re.compile(
    r"“[^”]{1,300}”|\"[^\"\n]{1,300}\"|'(?:(?<=^')|(?<=[\s(]'))[^'\n]{1,300}'(?=[\s.,;:!?)]|$)"
)
# Rules read this far around their key words (in characters); short texts are read whole.
WINDOW_BEFORE, WINDOW_AFTER, WHOLE_TEXT = 80, 160, 300


def signal(code, strength, evidence=()):
    evidence = list(dict.fromkeys(e[:60] for e in evidence if e))[:3]
    return {"code": code, "label": LABELS[code], "weight": round(strength, 2), "evidence": evidence}


class Text:
    """One text as the rules and the classifier read it: its words (the classifier's
    tokens), and those of them that some rule needs."""

    def __init__(self, raw):
        raw = raw or ""
        if "’" in raw or "‘" in raw:
            raw = raw.replace("’", "'").replace("‘", "'")
        self.raw = raw
        self.lower = raw.lower()
        self.words = tokens(self.lower)
        self.present = RULE_WORDS.intersection(self.words)
        self._quoted = None
        self._starts = {}
        self._occurrences = {}

    def starts(self, word):
        """Where ``word`` starts a rule's match ("left", "right", "media" only after "the")."""
        found = self._starts.get(word)
        if found is None:
            found = self._starts[word] = list(_occurrences(self.lower, word))
            if word in ("left", "right", "media"):
                found[:] = [i - 4 for i in found if self.lower[max(0, i - 4) : i] == "the "]
        return found

    def occurrences(self, word):
        """Where ``word`` occurs as a whole word (remembered: several rules ask)."""
        found = self._occurrences.get(word)
        if found is None:
            found = self._occurrences[word] = list(_occurrences(self.lower, word))
        return found

    def quoted(self, start):
        """Whether ``start`` falls inside quotation marks (mentioned, not said)."""
        if self._quoted is None:
            text = self.raw
            self._quoted = (
                [m.span() for m in QUOTED.finditer(text)]
                if ('"' in text or "'" in text or "“" in text)
                else []
            )
        return any(a <= start < b for a, b in self._quoted)


def _is_word(char):
    return char.isalnum() or char == "_"


def _occurrences(lower, word):
    """Start positions of ``word`` as a whole word in ``lower``."""
    n, size = len(lower), len(word)
    i = lower.find(word)
    while i != -1:
        end = i + size
        if (i == 0 or not _is_word(lower[i - 1])) and (end == n or not _is_word(lower[end])):
            yield i
        i = lower.find(word, end)


def _anchored(rule, text, words):
    """Matches of ``rule`` starting at whole-word occurrences of ``words``, in text order and
    not overlapping (as ``finditer`` would give them)."""
    lower = text.lower
    starts = []
    for word in words:
        starts += text.starts(word)
    end = 0
    for start in sorted(starts):
        if start >= end:
            match = rule.pattern.match(lower, start)
            if match:
                end = match.end()
                yield match


def _windowed(rule, text, words):
    """Matches of ``rule`` near whole-word occurrences of ``words`` (the text if short);
    overlapping windows are read as one."""
    lower = text.lower
    n = len(lower)
    if n <= WHOLE_TEXT:
        yield from rule.pattern.finditer(lower)
        return
    spans = sorted(
        (max(0, i - WINDOW_BEFORE), min(n, i + len(word) + WINDOW_AFTER))
        for word in words
        for i in text.occurrences(word)
    )
    start, end = spans[0] if spans else (0, 0)
    for a, b in spans[1:]:
        if a > end:
            yield from rule.pattern.finditer(lower, start, end)
            start = a
        end = max(end, b)
    if end > start:
        yield from rule.pattern.finditer(lower, start, end)


def _candidates(text):
    """{code: [rule, …]} of the rules whose needed words are all in the text."""
    words = GATE_WORDS.intersection(text.present)
    if not words:
        return {}
    present = 0
    for word in words:
        present |= WORD_BITS[word]
    found = {}
    for word in words & KEY_WORDS:
        for code, position, rule, mask in RULE_INDEX[word]:
            if present & mask == mask:
                found.setdefault(code, {})[position] = rule
    return {code: [rule for _, rule in sorted(rules.items())] for code, rules in found.items()}


def _rule_signal(code, text, rules):
    present = text.present
    lower, raw = text.lower, text.raw
    same_length = len(raw) == len(lower)  # evidence quotes the writer's own capitals
    seen = {}
    for rule in rules:
        if rule.anchors is None:
            matches = _windowed(rule, text, present.intersection(rule.needs[0]))
        else:
            matches = _anchored(rule, text, present.intersection(rule.anchors))
        for match in matches:
            start = match.start()
            if match.span() in seen or text.quoted(start):
                continue
            snippet = (raw if same_length else lower)[start : match.end()].strip(" ,.!?")
            before = lower[max(0, start - 24) : start]
            if rule.negatable and (NEGATION.search(snippet) or NEGATED_BEFORE.search(before)):
                continue
            if rule.skip_before and rule.skip_before.search(before):
                continue
            if rule.hedgeable and HEDGES.search(before):
                continue
            seen[match.span()] = (rule.strength, snippet)
    if not seen:
        return None
    hits = [hit for _, hit in sorted(seen.items(), key=lambda item: (-item[1][0], item[0]))]
    calm = 1.0
    for strength, _ in hits:
        calm *= 1.0 - strength
    return signal(code, min(RULE_CAP, 1.0 - calm), [snippet for _, snippet in hits])


def rule_signals(text):
    """The rule signals of one ``Text``, in ``RULE_ORDER``."""
    candidates = _candidates(text)
    signals = (
        _rule_signal(code, text, candidates[code]) for code in RULE_ORDER if code in candidates
    )
    return [s for s in signals if s]
