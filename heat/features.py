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


# word -> its hash, computed once per word: a comment's words are mostly ones seen before,
# and a dictionary look-up costs less than hashing the bytes again.
_remembered = {}


def _word_hash(word):
    """A word's 64-bit hash: a polynomial over its bytes, stable across processes."""
    value, power = 0, 1
    for byte in word.encode("utf-8", "surrogatepass"):
        power = power * _PRIME & _M64
        value = (value + byte * power) & _M64
    value = ((value ^ (value >> 29)) * _MIX) & _M64
    value -= (value >> 63) << 64  # kept as a signed 64-bit number: numpy reads those faster
    if len(_remembered) >= _MAX_REMEMBERED:
        _remembered.clear()
    _remembered[word] = value
    return value


def word_hashes(word_lists):
    """(hashes, lengths): every word's hash, the words of all texts in a row, and how many
    words each text has."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    words = word_lists[0] if len(word_lists) == 1 else list(chain.from_iterable(word_lists))
    hashes = list(map(_remembered.get, words))
    if None in hashes:
        hashes = [_word_hash(w) if h is None else h for w, h in zip(words, hashes, strict=True)]
    lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
    return np.fromiter(hashes, dtype=np.int64, count=len(hashes)).view(np.uint64), lengths


def _parts(lowers, word_lists):
    """The batch's features in two parts.

    Words and word pairs: ``(rows, buckets)``, feature ``k`` is bucket ``buckets[k]`` of
    text ``rows[k]`` (the words first, then the pairs).  Characters: ``(starts, grams,
    valid)``, row ``j`` of ``grams`` holds the n-grams of size ``CHAR_SIZES[j]`` at each byte
    of all texts in one buffer (text ``i``'s from byte ``starts[i]``), and ``valid`` says
    which of them are n-grams of a text, not crossing the separator after it.  Buckets are
    uint64 below ``2**BITS``.
    """
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    count = len(lowers)
    mask = np.uint64(MASK)
    flat, lengths = word_hashes(word_lists)
    word_rows = np.repeat(np.arange(count), lengths)
    pairs_ok = word_rows[1:] == word_rows[:-1]
    pair_hashes = (flat[:-1] * np.uint64(_PAIR) + flat[1:]) >> np.uint64(17)
    words = (
        np.concatenate([word_rows, word_rows[1:][pairs_ok]]),
        np.concatenate([flat >> np.uint64(23), pair_hashes[pairs_ok]]) & mask,
    )
    # All texts in one buffer, each followed by a separator no n-gram may cross, and padded so
    # that an n-gram of each size starts at every byte.
    encoded = [
        " ".join(lower[:CHAR_LIMIT].split()).encode("utf-8", "surrogatepass") for lower in lowers
    ]
    joined = b"\x00".join(encoded) + b"\x00"
    n, longest = len(joined), max(CHAR_SIZES)
    buffer = np.frombuffer(joined + b"\x00" * (longest - 1), dtype=np.uint8).astype(np.uint64)
    spans = np.fromiter(map(len, encoded), dtype=np.int64, count=count) + 1
    grams = np.empty((len(CHAR_SIZES), n), dtype=np.uint64)
    valid = np.empty((len(CHAR_SIZES), n), dtype=bool)
    nonzero = buffer != 0
    rolling, inside = buffer, nonzero
    for size in range(2, longest + 1):
        rolling = rolling[:-1] * np.uint64(_PRIME) + buffer[size - 1 :]
        inside = inside[:-1] & nonzero[size - 1 :]
        if size in CHAR_SIZES:
            grams[CHAR_SIZES.index(size)] = rolling[:n]
            valid[CHAR_SIZES.index(size)] = inside[:n]
    salts = np.array([_SIZE_SALT[size] + _CHAR_SALT for size in CHAR_SIZES], dtype=np.uint64)
    grams = ((grams ^ salts[:, None]) >> np.uint64(11)) & mask
    return words, (np.cumsum(spans) - spans, grams, valid)


def featurize(lowers, word_lists):
    """(rows, buckets, scale) for a batch: feature ``k`` of the batch is bucket
    ``buckets[k]`` of text ``rows[k]``, and text ``i``'s features each count ``scale[i]``.

    ``lowers``: the lowercased texts; ``word_lists``: their words (``heat.classifier.tokens``).
    Training reads this; scoring needs only ``weighted_sums``, the same numbers faster.
    """
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    count = len(lowers)
    (word_rows, word_buckets), (starts, grams, valid) = _parts(lowers, word_lists)
    char_rows = np.repeat(np.arange(count), np.diff(starts, append=grams.shape[1]))
    rows = np.concatenate([word_rows, *(char_rows[ok] for ok in valid)])
    buckets = np.concatenate([word_buckets, *(g[ok] for g, ok in zip(grams, valid, strict=True))])
    totals = np.bincount(rows, minlength=count)
    scale = 1.0 / np.sqrt(np.maximum(totals, MIN_FEATURES))
    return rows, buckets.astype(np.int64), scale


def weighted_sums(lowers, word_lists, weights):
    """(sums, scale): for each text of a batch, the sum of ``weights`` over its features
    (``featurize``'s buckets) and its ``scale``, without listing the features one by one:
    the n-grams' weights are summed per text where they lie in the buffer."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    count = len(lowers)
    (word_rows, word_buckets), (starts, grams, valid) = _parts(lowers, word_lists)
    # Buckets are below 2**BITS, so the views are exact; sums are float64 whatever the weights.
    picked = weights[word_buckets.view(np.int64)].astype(np.float64)
    sums = np.zeros(count)  # (a bincount of no words at all would give integers)
    sums += np.bincount(word_rows, picked, minlength=count)
    totals = np.bincount(word_rows, minlength=count)
    picked = weights[grams.view(np.int64)].astype(np.float64)
    picked[~valid] = 0.0
    sums += np.add.reduceat(picked, starts, axis=1).sum(axis=0)
    totals += np.add.reduceat(valid, starts, axis=1, dtype=np.int64).sum(axis=0)
    return sums, 1.0 / np.sqrt(np.maximum(totals, MIN_FEATURES))


def phrase_buckets(words):
    """[(phrase, bucket), …] of one text's words and word pairs, as ``featurize`` hashes them."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    hashes, _ = word_hashes([words])
    found = [(w, int(h >> np.uint64(23)) & MASK) for w, h in zip(words, hashes, strict=True)]
    pairs = (hashes[:-1] * np.uint64(_PAIR) + hashes[1:]) >> np.uint64(17)
    found += [(f"{a} {b}", int(h) & MASK) for a, b, h in zip(words, words[1:], pairs, strict=False)]
    return found
