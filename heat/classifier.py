"""The packaged offensive-language classifier, evaluated from its own fitted numbers.

alt-profanity-check (TF-IDF and calibrated linear SVMs trained on offensive
language) ships its model inside its PyPI package: nothing is downloaded.  Its
numbers are read once from the package's pickled scikit-learn objects, checked
against the package's own ``predict_prob``, and cached in an ``.npz``; a later
process loads them in milliseconds and scores without scikit-learn's ~35 ms of
overhead per call.  If the package's model ever changes shape, its own function
is used instead.
"""

import hashlib
import math
import os
import re
import threading
from collections import Counter
from functools import cache, cached_property
from importlib.util import find_spec
from itertools import repeat
from pathlib import Path

# Where the numbers are kept: the variable and default the Django settings document.
CACHE_ENV = "CALLIN_HEAT_MODEL_CACHE"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "cache"

TOKEN = re.compile(r"\b\w\w+\b")  # the classifier's own token pattern
WORD = re.compile(r"\w+")
# The same tokens for ASCII text, faster: every ASCII character that is not \w becomes a space.
_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
_PUNCTUATION = "’‘“”—–…"


def tokens(lower):
    """Every word (run of \\w) of a lowercased text; the classifier's tokens are those of two
    letters or more (its ``TOKEN`` pattern), and no vocabulary entry has one letter."""
    if not lower.isascii():
        spaced = lower
        for mark in _PUNCTUATION:
            if mark in spaced:
                spaced = spaced.replace(mark, " ")
        if not spaced.isascii():
            return WORD.findall(lower)
        lower = spaced
    return lower.translate(_NON_WORD).split()


class OffensiveModel:
    """alt-profanity-check's TF-IDF + calibrated linear SVMs, evaluated from their fitted
    numbers: ``prob`` in plain Python for one text, ``probs`` with numpy for many.

    The numbers come from the package's pickled scikit-learn objects, checked
    against the package's own ``predict_prob``, and are kept in an ``.npz`` in
    ``cache_dir`` (default: ``default_cache_dir()``) named after the package's data
    files: a later process loads them in milliseconds, without importing
    scikit-learn (a second or two, and about 80 MiB).  If the package's model ever
    changes shape, its own function is used instead.
    """

    PROBE = [
        "you absolute idiot",
        "thank you for this careful essay",
        "what a load of crap, honestly",
        "",
    ]

    def __init__(self, cache_dir=None):
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

        self.fast = False
        path = model_cache_path(cache_dir)
        try:
            with np.load(path) as saved:
                self._use(**{name: saved[name] for name in saved.files})
            self.fast = True
        except (OSError, ValueError, TypeError):  # missing, damaged, or of another shape
            self._from_package(path)

    def _use(self, words, idf, weights, intercepts, a, b):
        self.idf, self.weights, self.intercepts, self.a, self.b = idf, weights, intercepts, a, b
        self.vocabulary = {word: j for j, word in enumerate(words.tolist())}

    @cached_property
    def rows(self):
        """{word: (idf, weights)} for ``prob``: built on first use (batches do without)."""
        idf, weights = self.idf.tolist(), self.weights.tolist()
        return {word: (idf[j], tuple(weights[j])) for word, j in self.vocabulary.items()}

    def _from_package(self, path):
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)
        from profanity_check import profanity_check as package  # noqa: PLC0415 (start-up time: most processes never score a comment)

        self.package = package
        vectorizer, model = package.vectorizer, package.model
        try:
            members = model.calibrated_classifiers_
            words = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            numbers = {
                "words": np.array(words),
                "idf": np.asarray(vectorizer.idf_, dtype=float),
                "weights": np.column_stack([m.estimator.coef_.ravel() for m in members]),
                "intercepts": np.array([float(m.estimator.intercept_[0]) for m in members]),
                "a": np.array([float(m.calibrators[0].a_) for m in members]),
                "b": np.array([float(m.calibrators[0].b_) for m in members]),
            }
            shape_ok = (
                len(members) > 0
                and sorted(vectorizer.vocabulary_.values()) == list(range(len(words)))
                and numbers["weights"].shape == (len(words), len(members))
                and vectorizer.lowercase
                and vectorizer.ngram_range == (1, 1)
                and vectorizer.analyzer == "word"
                and vectorizer.token_pattern == r"(?u)\b\w\w+\b"
                and vectorizer.norm == "l2"
                and vectorizer.use_idf
                and not vectorizer.sublinear_tf
                and not vectorizer.binary
                and vectorizer.preprocessor is None
                and vectorizer.tokenizer is None
            )
        except (AttributeError, IndexError, TypeError, ValueError):
            shape_ok = False
        if not shape_ok:
            return
        self._use(**numbers)
        words = [tokens(t.lower()) for t in self.PROBE]
        expected = package.predict_prob(self.PROBE)
        self.fast = all(
            abs(self.prob(w)[0] - e) < 1e-6 and abs(got - e) < 1e-6
            for w, e, got in zip(words, expected, self._batch_probs(words), strict=True)
        )
        if self.fast:
            try:  # written whole, then renamed: a reader never sees half a file
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(f".{os.getpid()}.partial.npz")
                np.savez(partial, **numbers)
                os.replace(partial, path)
            except OSError:
                pass  # a read-only place: every process reads the package instead

    def _calibrated(self, decisions):
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

        return np.mean(1.0 / (1.0 + np.exp(np.clip(self.a * decisions + self.b, -700, 700))), -1)

    def prob(self, words):
        """(probability of offensive language, [(word, mean weight), …]) for one text's words."""
        rows = self.rows
        sq = 0.0
        sums = [0.0] * len(self.intercepts)
        named = []
        for word, count in Counter(words).items():
            row = rows.get(word)
            if row is None:
                continue
            value = count * row[0]
            sq += value * value
            weights = row[1]
            for i, w in enumerate(weights):
                sums[i] += value * w
            named.append((word, sum(weights) / len(weights)))
        norm = math.sqrt(sq) or 1.0
        total = 0.0
        for i, s in enumerate(sums):
            decision = s / norm + self.intercepts[i]
            total += 1.0 / (1.0 + math.exp(min(700.0, self.a[i] * decision + self.b[i])))
        return total / len(sums), named

    def probs(self, texts, words=None):
        """Probabilities for many texts (``words``: each text's ``tokens``, if at hand)."""
        if not self.fast:
            return [float(p) for p in self.package.predict_prob(list(texts))]
        if words is None:
            words = [tokens(t.lower()) for t in texts]
        return self._batch_probs(words)

    def _batch_probs(self, word_lists):
        """All the texts' TF-IDF vectors times the weights at once, as (text, word) pairs."""
        import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

        count, size = len(word_lists), len(self.idf)
        columns = []
        get = self.vocabulary.get
        for words in word_lists:
            columns += map(get, words, repeat(-1))
        columns = np.array(columns, dtype=np.int64)
        rows = np.repeat(np.arange(count), [len(w) for w in word_lists])
        known = columns >= 0
        pairs, repeats = np.unique(rows[known] * size + columns[known], return_counts=True)
        rows, columns = np.divmod(pairs, size)
        values = repeats * self.idf[columns]  # term frequency times idf
        norms = np.sqrt(np.bincount(rows, values * values, minlength=count))
        norms[norms == 0] = 1.0
        sums = [
            np.bincount(rows, values * self.weights[columns, i], minlength=count)
            for i in range(self.weights.shape[1])
        ]
        decisions = np.column_stack(sums) / norms[:, None] + self.intercepts
        return [float(p) for p in self._calibrated(decisions)]


@cache
def default_cache_dir():
    """``$CALLIN_HEAT_MODEL_CACHE``, else ``var/cache`` (read once per process)."""
    return Path(os.environ.get(CACHE_ENV, str(DEFAULT_CACHE_DIR)))


def model_cache_path(cache_dir=None):
    """The cache file for the installed package's model (named by its data files' digest).
    The package is found, not imported: importing it loads scikit-learn."""
    digest = hashlib.sha256()
    data = Path(find_spec("profanity_check").submodule_search_locations[0]) / "data"
    for name in ("model.joblib", "vectorizer.joblib"):
        digest.update((data / name).read_bytes())
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return folder / f"alt-profanity-check-{digest.hexdigest()[:16]}.npz"


_model = None
_model_lock = threading.Lock()


def load_classifier():
    """The process's classifier, loaded on first use: milliseconds from the cache, about
    a second from the package (scikit-learn is imported)."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = OffensiveModel()
    return _model
