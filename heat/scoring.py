"""Scoring: one text or a batch of texts to (heat, signals).

The signals explain; the trained model (``heat.model``) decides.  Each signal has
a strength in [0, 1]: the rules' hits, the offensive-language classifier, the
text's look.  Heat is the model's score, which reads the text's hashed words and
characters and those strengths together (a threat or a sweeping claim about a
group keeps at least its rule's strength; a text of one or two words is scored
by its signals alone, as a noisy-OR).  When the model scores a
text high and no rule says why, a signal of the kind of heat it saw is added
("mocking the person"), quoting the words that weighed most.  Signals come
sorted strongest first; each is a dict: ``code``, ``label`` (plain words),
``weight`` (its strength) and ``evidence`` (up to three snippets of the text).
"""

import re
from functools import lru_cache

from .classifier import load_classifier
from .features import featurize, phrase_buckets
from .matching import Text, rule_signals, signal
from .model import SIGNAL_CODES, dense_row, load_model

OFFENSIVE_MIN_PROB = 0.5  # the classifier's probability where its signal starts
OFFENSIVE_STRENGTH = (0.3, 0.65)  # strength at that probability, and at probability 1
OFFENSIVE_WORD_WEIGHT = 1.0  # words whose mean SVM weight reaches this are named as evidence
CAPS_STRENGTH = (0.25, 0.55)  # a few shouted words; mostly capitals
EXCLAMATION_STRENGTH = 0.15
LINK_STRENGTH = (0.15, 0.25)  # one link; several
LINK_HINT = re.compile(r"\.(?:com|org|net|io|co|info|ly|me|xyz|biz|example)\b")
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|io|co|info|ly|me|xyz|biz|example)\b\S*",
    re.IGNORECASE,
)
_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))
# Every ASCII capital becomes "A" and every other byte a space: b"AAAA" then finds a run of four.
_CAPITALS_ONLY = bytes(65 if 65 <= b <= 90 else 32 for b in range(256))
CAPS_MIN = 8  # fewer capital letters than this cannot make the caps signal
CAPS_WORDS = re.compile(r"\b[A-Z][A-Z']{1,}\b")
LETTER = re.compile(r"[^\W\d_]")
UPPER = re.compile(r"[A-Z]")
MIN_WORDS = 3  # a text of fewer words ("lol", "Thanks!") is scored by its signals alone
REASON_MIN = 0.7  # above the default threshold, a score no rule explains names its kind
EXPLAINED_BY = 0.6  # a signal of a kind of heat this strong already says why
MIN_WORD_WEIGHT = 0.5  # words and pairs quoted as the model's evidence weigh at least this
# A threat, a sweeping claim about a group or a rule of contempt keeps the heat its rule
# gives, whatever the model says: on the training texts no civil one fires them at 0.72
# or more, and one such hit is enough to call a comment heated.
FLOOR_CODES = frozenset(
    {"threat", "group", "mockery", "silencing", "condemning", "exposure", "identity", "enemy"}
)
# The rule signals that say who is targeted and how (the text's look does not say why).
SAYS_WHY = frozenset(SIGNAL_CODES) - {"offensive", "caps", "exclamation", "link"}
# Texts scored in one numpy pass: the n-gram arrays of a few hundred texts stay in the CPU's
# caches; 2,000 at once ran at half the rate per text (bench_heat, 20,000 texts in one call).
CHUNK = 256


def _signals(text, prob, words):
    """The signals of one ``Text`` given the classifier's probability and its words."""
    signals = rule_signals(text)

    if prob >= OFFENSIVE_MIN_PROB:
        low, high = OFFENSIVE_STRENGTH
        strength = low + (high - low) * (prob - OFFENSIVE_MIN_PROB) / (1 - OFFENSIVE_MIN_PROB)
        named = sorted((w for w in words if w[1] >= OFFENSIVE_WORD_WEIGHT), key=lambda w: -w[1])
        signals.append(signal("offensive", strength, [w for w, _ in named]))

    raw = text.raw
    encoded = raw.encode("utf-8", "ignore")  # only ASCII capitals are counted
    capitals = len(encoded) - len(encoded.translate(None, _CAPITALS))
    if capitals >= CAPS_MIN and b"AAAA" in encoded.translate(_CAPITALS_ONLY):
        shouted = CAPS_WORDS.findall(raw)
        long_ones = [w for w in shouted if len(w) >= 4]
        letters = len(LETTER.findall(raw))
        if letters >= 12 and sum(map(len, shouted)) >= 0.7 * letters:
            signals.append(signal("caps", CAPS_STRENGTH[1], [raw.strip()[:40]]))
        elif len(long_ones) >= 2 or (long_ones and len(UPPER.findall(raw)) >= CAPS_MIN):
            signals.append(signal("caps", CAPS_STRENGTH[0], long_ones))

    bangs = raw.count("!")
    if "!!" in raw or bangs >= 3:
        signals.append(signal("exclamation", EXCLAMATION_STRENGTH, ["!" * min(3, bangs)]))

    lower = text.lower
    if "." in raw and ("http" in lower or "www." in lower or LINK_HINT.search(lower)):
        links = _links(raw)
        if links:
            strength = LINK_STRENGTH[1] if len(links) > 1 else LINK_STRENGTH[0]
            signals.append(signal("link", strength, links))

    return signals


def _links(raw):
    """``LINK.findall(raw)``, a word at a time: a link holds no whitespace and runs to the next
    (``\\S*``, ``\\S+``), so a whitespace-separated word holds one link at most, and only a word
    with "." or "://" can hold one.  Searching those few words costs a fraction of scanning
    the whole text (on which ``LINK`` tries its second branch at every word)."""
    found = []
    for word in raw.split():  # str.split() splits where \s matches, to the character
        if "." in word or "://" in word:
            match = LINK.search(word)
            if match:
                found.append(match.group())
    return found


def _model_reasons(model, texts, values):
    """For each text, the signal naming the kind of heat the model saw (at its heat in
    ``values``), quoting its weightiest words.  One ``featurize`` for all of them: a
    text's features in a batch are those it has alone, in the same order (stably sorted
    by text below), and a call costs far more than a text's share of a batch."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    rows, buckets, scale = featurize([t.lower for t in texts], [t.words for t in texts])
    counts = np.bincount(rows, minlength=len(texts))
    per_text = np.split(buckets[np.argsort(rows, kind="stable")], np.cumsum(counts)[:-1])
    reasons = []
    for text, value, features, text_scale in zip(texts, values, per_text, scale, strict=True):
        found = phrase_buckets(text.words)
        weights = model.word_weights([bucket for _, bucket in found])
        weighed = sorted(zip(weights, [phrase for phrase, _ in found], strict=True), reverse=True)
        evidence = [phrase for weight, phrase in weighed if weight >= MIN_WORD_WEIGHT][:3]
        reasons.append(signal(model.reason(features, text_scale), value, evidence))
    return reasons


def _signal_lists(texts, probs, word_lists):
    return [_signals(t, p, w) for t, p, w in zip(texts, probs, word_lists, strict=True)]


def model_features(texts):
    """The model's features of raw texts (rows, buckets, scale, dense rows): what
    ``heat.training`` fits on, exactly as scoring computes them."""
    texts = [Text(t) for t in texts]
    probs = load_classifier().probs([t.raw for t in texts], [t.words for t in texts])
    signal_lists = _signal_lists(texts, probs, [[] for _ in texts])
    rows, buckets, scale = featurize([t.lower for t in texts], [t.words for t in texts])
    return rows, buckets, scale, [dense_row(s, p) for s, p in zip(signal_lists, probs, strict=True)]


def _score(texts, probs, word_lists):
    """[(heat, signals), …] of ``Text`` objects given the classifier's probabilities."""
    signal_lists = _signal_lists(texts, probs, word_lists)
    dense = [dense_row(s, p) for s, p in zip(signal_lists, probs, strict=True)]
    model = load_model()
    values = model.probs([t.lower for t in texts], [t.words for t in texts], dense)
    results, unexplained = [], []
    for i, (text, signals) in enumerate(zip(texts, signal_lists, strict=True)):
        floor = max((s["weight"] for s in signals if s["code"] in FLOOR_CODES), default=0.0)
        if len(text.words) >= MIN_WORDS:
            value = max(round(float(values[i]), 3), floor)
        else:  # too little for the model to go on: the signals decide, as a noisy-OR
            calm = 1.0
            for s in signals:
                calm *= 1.0 - s["weight"]
            value = round(1.0 - calm, 3)
        explained = any(s["code"] in SAYS_WHY and s["weight"] >= EXPLAINED_BY for s in signals)
        if value > REASON_MIN and not explained and len(text.words) >= MIN_WORDS:
            unexplained.append(i)
        results.append((value, signals))
    if unexplained:
        reasons = _model_reasons(
            model, [texts[i] for i in unexplained], [results[i][0] for i in unexplained]
        )
        for i, reason in zip(unexplained, reasons, strict=True):
            signal_lists[i].append(reason)
    for signals in signal_lists:
        signals.sort(key=lambda s: -s["weight"])
    return results


@lru_cache(maxsize=256)
def _frozen_score(raw):
    """``score_text``'s result as tuples, so the cache hands out no shared lists."""
    text = Text(raw)
    classifier = load_classifier()
    if classifier.fast:
        prob, words = classifier.prob(text.words)
    else:
        prob, words = classifier.probs([text.raw])[0], []
    [(heat, signals)] = _score([text], [prob], [words])
    return heat, tuple(
        tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in s.items()) for s in signals
    )


def score_text(text):
    """(heat in [0, 1], signals) for one text; the last few texts are remembered (a reply
    is scored for its nudge, then again as it is posted)."""
    heat, signals = _frozen_score(text or "")
    return heat, [{k: (list(v) if isinstance(v, tuple) else v) for k, v in s} for s in signals]


def forget_scored_texts():
    """Empty ``score_text``'s memory (a benchmark times each text afresh)."""
    _frozen_score.cache_clear()


def score_texts(texts):
    """[(heat, signals), …] for many texts, in order, the classifier and the model run on
    ``CHUNK`` texts at a time."""
    texts = list(texts)
    results = []
    for start in range(0, len(texts), CHUNK):
        results += _score_chunk([Text(t) for t in texts[start : start + CHUNK]])
    return results


def _score_chunk(texts):
    classifier = load_classifier()
    probs = classifier.probs([t.raw for t in texts], [t.words for t in texts])
    # Name the words behind the (rare) offensive ones; the batch product gives no words.
    word_lists = [
        classifier.prob(t.words)[1] if classifier.fast and p >= OFFENSIVE_MIN_PROB else []
        for t, p in zip(texts, probs, strict=True)
    ]
    return _score(texts, probs, word_lists)


def is_heated(heat, threshold):
    """Above the threshold (strictly), as the nudge, the cases and evaluate_heat read it."""
    return heat is not None and heat > threshold


def signal_summary(signals):
    """The signals' labels joined for one line of text: "insult aimed at a person; all caps"."""
    return "; ".join(s["label"] for s in signals)
