"""The trained contempt model that ships in the repository: numbers in, probability out.

``heat/model/contempt.npz`` holds plain numpy arrays that ``heat.training`` fitted
(``make train-heat``): a logistic regression over the hashed features of
``heat.features`` and the signals' strengths, and a smaller one that says which
kind of heat a text holds (mocking, silencing…), so a high score that no rule
explains still comes with a plain-word reason.  Scoring is a few numpy sums; no
scikit-learn at run time.
"""

import threading
from pathlib import Path

from .features import BITS, MASK, weighted_sums

MODEL_PATH = Path(__file__).resolve().parent / "model" / "contempt.npz"
# The dense features, in order: each signal's strength (0 when it did not fire), then the
# offensive-language classifier's probability.
SIGNAL_CODES = (
    "threat",
    "insult",
    "group",
    "shaming",
    "dismissive",
    "bad_faith",
    "mockery",
    "silencing",
    "condemning",
    "exposure",
    "identity",
    "enemy",
    "offensive",
    "caps",
    "exclamation",
    "link",
)
DENSE_SIZE = len(SIGNAL_CODES) + 1
# The kinds of heat the reason model tells apart, as signal codes (docs/heat.md's categories).
REASONS = ("mockery", "silencing", "condemning", "exposure", "identity", "enemy", "insult")
REASON_BITS = 14  # the reason model folds the buckets into 2 ** 14
REASON_MASK = (1 << REASON_BITS) - 1


def dense_row(signals, prob):
    """The dense features of one text: its signals' strengths and the classifier's probability."""
    strengths = dict.fromkeys(SIGNAL_CODES, 0.0)
    for s in signals:
        if s["weight"] > strengths[s["code"]]:
            strengths[s["code"]] = s["weight"]
    return [*strengths.values(), prob]


class ContemptModel:
    """The shipped numbers: ``probs`` for a batch, ``reason`` for one featurized text."""

    def __init__(self, path=MODEL_PATH):
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

        with np.load(path) as saved:
            numbers = {name: saved[name] for name in saved.files}
        if int(numbers["bits"]) != BITS or numbers["dense"].shape != (DENSE_SIZE,):
            raise ValueError(f"{path}: made for other features; run `make train-heat`")
        # Stored as float32: read as such (half the memory a look-up walks), summed as float64.
        self.weights = numbers["weights"].astype(np.float32)
        self.dense = numbers["dense"].astype(np.float64)
        self.intercept = float(numbers["intercept"])
        self.reason_weights = numbers["reason_weights"].astype(np.float64)
        self.reason_intercepts = numbers["reason_intercepts"].astype(np.float64)

    def probs(self, lowers, word_lists, dense):
        """Probability of heat for each text of a batch: the lowercased texts, their words
        (``heat.classifier.tokens``) and their dense rows."""
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

        sums, scale = weighted_sums(lowers, word_lists, self.weights)
        logits = sums * scale + np.asarray(dense, dtype=np.float64) @ self.dense + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -50, 50)))

    def reason(self, buckets, scale):
        """The kind of heat (a code of ``REASONS``) one text's features point to."""
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

        folded = buckets & REASON_MASK
        logits = self.reason_weights[:, folded].sum(axis=1) * scale + self.reason_intercepts
        return REASONS[int(np.argmax(logits))]

    def word_weights(self, hash_values):
        """The weights of hashed words or word pairs (to quote what raised a score), as
        floats: one look-up for them all."""
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

        return self.weights[np.asarray(hash_values, dtype=np.int64) & MASK].tolist()


_model = None
_lock = threading.Lock()


def load_model():
    """The process's contempt model, read on first use (a few milliseconds)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = ContemptModel()
    return _model
