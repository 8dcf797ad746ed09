"""What the trained contempt model reads of a text: hashed words, word pairs and characters.

Every feature is a bucket number, the same in training (``heat.training``) and in
scoring (``heat.model``): word unigrams and bigrams, and character 3- to 5-grams
of the lowercased text's first ``CHAR_LIMIT`` characters, each hashed with a
polynomial over its bytes (stable across processes, unlike ``hash``).  A text's
features are its buckets with repeats; each counts ``1 / sqrt(number of
features)`` (at least ``MIN_FEATURES``), so a long comment does not outweigh a
short one.  A whole batch is done at once, in a few numpy passes over its bytes.
"""

from itertools import chain

BITS = 18  # buckets: 2 ** 18
MASK = (1 << BITS) - 1
CHAR_SIZES = (3, 4, 5)
CHAR_LIMIT = 400  # characters read for n-grams (the corpus's texts are all shorter)
# A text with fewer features counts as if it had this many: a few words ("Thanks", "Why?")
# are too little to go on, so the rules and the classifier decide them.
MIN_FEATURES = 100
_PRIME = 1_000_003
_PAIR = 0x9E3779B1  # mixes the first word's hash into a bigram's
_SIZE_SALT = {3: 0x51ED27, 4: 0x2F1D3B, 5: 0x6A09E6}  # keeps 3-, 4- and 5-grams apart
_CHAR_SALT = 0x3C6EF372  # keeps characters apart from words
_MIX = 0xBF58476D1CE4E5B9


_M64 = (1 << 64) - 1
_MAX_REMEMBERED = 200_000  # words whose hashes a process keeps (a few MiB at most)


def _word_hash(word):
    """A word's 64-bit hash: a polynomial over its bytes, stable across processes."""
    value, power = 0, 1
    for byte in word.encode("utf-8", "surrogatepass"):
        power = power * _PRIME & _M64
        value = (value + byte * power) & _M64
    value = ((value ^ (value >> 29)) * _MIX) & _M64
    return value - ((value >> 63) << 64)  # signed 64-bit: numpy reads those faster


class _Remembered(dict):
    """word -> its hash, computed once per word: a comment's words are mostly ones seen
    before, and a dictionary look-up costs less than hashing the bytes again.  A miss
    computes the hash (``__missing__``), so a batch is looked up with ``map`` in C."""

    def __missing__(self, word):
        if len(self) >= _MAX_REMEMBERED:
            self.clear()
        value = self[word] = _word_hash(word)
        return value


_remembered = _Remembered()


def word_hashes(word_lists):
    """(hashes, lengths): every word's hash, the words of all texts in a row, and how many
    words each text has."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    words = word_lists[0] if len(word_lists) == 1 else list(chain.from_iterable(word_lists))
    hashes = np.fromiter(map(_remembered.__getitem__, words), dtype=np.int64, count=len(words))
    lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
    return hashes.view(np.uint64), lengths


def _word_parts(word_lists):
    """(rows, buckets) of a batch's words and word pairs: feature ``k`` is bucket
    ``buckets[k]`` (uint64 below ``2**BITS``) of text ``rows[k]``, the words first."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    mask = np.uint64(MASK)
    flat, lengths = word_hashes(word_lists)
    word_rows = np.repeat(np.arange(len(word_lists)), lengths)
    pairs_ok = word_rows[1:] == word_rows[:-1]
    pair_hashes = (flat[:-1] * np.uint64(_PAIR) + flat[1:]) >> np.uint64(17)
    return (
        np.concatenate([word_rows, word_rows[1:][pairs_ok]]),
        np.concatenate([flat >> np.uint64(23), pair_hashes[pairs_ok]]) & mask,
    )


def _char_parts(lowers):
    """(starts, grams, crossing, totals) of a batch's character n-grams.

    All texts are in one buffer, each followed by a zero byte that no n-gram may cross,
    and padded so that an n-gram of each size starts at every byte.  Row ``j`` of
    ``grams`` holds the buckets (intp) of the n-grams of size ``CHAR_SIZES[j]`` at each
    byte (text ``i``'s from byte ``starts[i]``); ``crossing[j]`` lists the bytes where
    such an n-gram would hold a zero byte (the separator, or one of the text's own), which
    are no features; ``totals[i]`` is how many n-grams text ``i`` has.
    """
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    count = len(lowers)
    encoded = [
        " ".join(lower[:CHAR_LIMIT].split()).encode("utf-8", "surrogatepass") for lower in lowers
    ]
    joined = b"\x00".join([*encoded, b""])  # each text followed by a zero byte
    n, longest = len(joined), max(CHAR_SIZES)
    data = np.frombuffer(joined + b"\x00" * (longest - 1), dtype=np.uint8)
    spans = np.fromiter(map(len, encoded), dtype=np.int64, count=count) + 1
    starts = np.cumsum(spans) - spans
    # The hashes in uint32, not uint64: a bucket is bits 11 to 28 of the 64-bit polynomial,
    # and the low 32 bits of a polynomial modulo 2**64 are that polynomial modulo 2**32,
    # so the buckets are the same at half the memory traffic.
    buffer = data.astype(np.uint32)
    grams = np.empty((len(CHAR_SIZES), n), dtype=np.intp)
    rolling = buffer
    for size in range(2, longest + 1):
        rolling = rolling[:-1] * np.uint32(_PRIME)
        rolling += buffer[size - 1 :]
        if size in CHAR_SIZES:
            row = grams[CHAR_SIZES.index(size)]
            salt = np.uint32(_SIZE_SALT[size] + _CHAR_SALT)
            np.bitwise_xor(rolling[:n], salt, out=row, casting="unsafe")
            row >>= 11
            row &= MASK
    # An n-gram of size s is no feature where one of its s bytes is zero: the s starts up to
    # each zero byte.  Between two zero bytes, a run of m bytes holds m - s + 1 n-grams.
    zeros = np.flatnonzero(data[:n] == 0)
    crossing = [(zeros[:, None] - np.arange(size)).ravel() for size in CHAR_SIZES]
    crossing = [c[c >= 0] for c in crossing]
    runs = zeros - np.concatenate(([-1], zeros[:-1])) - 1  # (np.diff's prepend costs more)
    per_run = sum(np.maximum(runs - size + 1, 0) for size in CHAR_SIZES)
    owner = np.searchsorted(starts, zeros, side="right") - 1  # the text each run ends in
    totals = np.bincount(owner, per_run, minlength=count).astype(np.int64)
    return starts, grams, crossing, totals


def featurize(lowers, word_lists):
    """(rows, buckets, scale) for a batch: feature ``k`` of the batch is bucket
    ``buckets[k]`` of text ``rows[k]``, and text ``i``'s features each count ``scale[i]``.

    ``lowers``: the lowercased texts; ``word_lists``: their words (``heat.classifier.tokens``).
    Training reads this; scoring needs only ``weighted_sums``, the same numbers faster.
    """
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    count = len(lowers)
    word_rows, word_buckets = _word_parts(word_lists)
    starts, grams, crossing, _ = _char_parts(lowers)
    valid = np.ones(grams.shape, dtype=bool)
    for ok, bad in zip(valid, crossing, strict=True):
        ok[bad] = False
    char_rows = np.repeat(np.arange(count), np.diff(starts, append=grams.shape[1]))
    rows = np.concatenate([word_rows, *(char_rows[ok] for ok in valid)])
    buckets = np.concatenate(
        [word_buckets.view(np.int64), *(g[ok] for g, ok in zip(grams, valid, strict=True))]
    )
    totals = np.bincount(rows, minlength=count)
    scale = 1.0 / np.sqrt(np.maximum(totals, MIN_FEATURES))
    return rows, buckets.astype(np.int64), scale


def weighted_sums(lowers, word_lists, weights):
    """(sums, scale): for each text of a batch, the sum of ``weights`` over its features
    (``featurize``'s buckets) and its ``scale``, without listing the features one by one:
    the n-grams' weights are summed per text where they lie in the buffer."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    count = len(lowers)
    word_rows, word_buckets = _word_parts(word_lists)
    # Buckets are below 2**BITS, so the view is exact; sums are float64 whatever the weights.
    picked = weights[word_buckets.view(np.int64)].astype(np.float64)
    sums = np.zeros(count)  # (a bincount of no words at all would give integers)
    sums += np.bincount(word_rows, picked, minlength=count)
    totals = np.bincount(word_rows, minlength=count)
    starts, grams, crossing, char_totals = _char_parts(lowers)
    picked = np.empty(grams.shape)
    for row, buckets, bad in zip(picked, grams, crossing, strict=True):
        row[:] = weights[buckets]
        row[bad] = 0.0
    sums += np.add.reduceat(picked, starts, axis=1).sum(axis=0)
    totals += char_totals
    return sums, 1.0 / np.sqrt(np.maximum(totals, MIN_FEATURES))


def phrase_buckets(words):
    """[(phrase, bucket), …] of one text's words and word pairs, as ``featurize`` hashes them."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    hashes, _ = word_hashes([words])
    mask = np.uint64(MASK)
    buckets = (hashes >> np.uint64(23)) & mask
    pairs = ((hashes[:-1] * np.uint64(_PAIR) + hashes[1:]) >> np.uint64(17)) & mask
    phrases = [*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))]
    return list(zip(phrases, buckets.tolist() + pairs.tolist(), strict=True))
