"""The model's features: scoring's fast sums agree with the features training reads."""

import json

import numpy as np
from django.conf import settings

from heat.classifier import tokens
from heat.features import (
    _CHAR_SALT,
    _PRIME,
    _SIZE_SALT,
    CHAR_SIZES,
    MASK,
    featurize,
    phrase_buckets,
    weighted_sums,
    word_hashes,
)
from heat.model import load_model

TEXTS = [
    "",
    "!!! ???",  # no words at all
    "Why?",
    "oh look, the expert has arrived to explain organizing to us",
    "I strongly disagree, because the budget vote was never put to the members.",
    "日本語のテキスト and some English words",
    "a\x00b c",  # a NUL byte is a separator: no n-gram crosses it
    "word " * 300,  # longer than the characters read for n-grams
]


def _texts():
    path = settings.BASE_DIR / "fixtures" / "heat" / "contempt.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()[:200]]
    return TEXTS + [row["text"] for row in rows]


def test_weighted_sums_equal_the_sum_over_the_listed_features():
    lowers = [t.lower() for t in _texts()]
    words = [tokens(t) for t in lowers]
    weights = load_model().weights
    rows, buckets, scale = featurize(lowers, words)
    sums, fast_scale = weighted_sums(lowers, words, weights)
    expected = np.bincount(rows, weights[buckets].astype(np.float64), minlength=len(lowers))
    assert np.allclose(sums, expected, rtol=0, atol=1e-9)
    assert np.array_equal(fast_scale, scale)


def test_a_batch_gives_each_text_the_features_it_has_alone():
    lowers = [t.lower() for t in TEXTS]
    words = [tokens(t) for t in lowers]
    rows, buckets, _ = featurize(lowers, words)
    for i, (lower, text_words) in enumerate(zip(lowers, words, strict=True)):
        _, alone, _ = featurize([lower], [text_words])
        assert sorted(buckets[rows == i]) == sorted(alone)


def test_a_word_hashes_the_same_wherever_it_stands():
    words = ["contempt", "call-in", "naïve", "contempt"]
    first, lengths = word_hashes([words[:2], words[2:]])
    again, _ = word_hashes([words])
    assert list(lengths) == [2, 2]
    assert np.array_equal(first, again) and first[0] == first[3] and first[0] != first[1]
    assert [p for p, _ in phrase_buckets(["you", "again"])] == ["you", "again", "you again"]


def test_character_buckets_are_the_64_bit_polynomial_hashes():
    """The n-grams are hashed in 32-bit numpy arithmetic for speed; their buckets must be
    bits 11 to 28 of the salted 64-bit polynomial, as written here byte by byte."""
    lower = "naïve  café, the\x00end 日本"
    data = " ".join(lower.split()).encode()
    expected = []
    for size in CHAR_SIZES:
        for i in range(len(data) - size + 1):
            gram = data[i : i + size]
            if 0 in gram:
                continue
            value = 0
            for byte in gram:
                value = (value * _PRIME + byte) % 2**64
            expected.append(((value ^ (_SIZE_SALT[size] + _CHAR_SALT)) >> 11) & MASK)
    _, buckets, _ = featurize([lower], [[]])
    assert buckets.tolist() == expected
