"""What the trained contempt model reads of a text: hashed words, word pairs and characters.

Every feature is a bucket number, the same in training (``heat.training``) and in
scoring (``heat.model``): word unigrams and bigrams, and character 3- to 5-grams
of the lowercased text's first ``CHAR_LIMIT`` characters, each hashed with a
polynomial over its bytes (stable across processes, unlike ``hash``).  A text's
features are its buckets with repeats; each counts ``1 / sqrt(number of
features)`` (at least ``MIN_FEATURES``), so a long comment does not outweigh a
short one.  A whole batch is done at once, in a few numpy passes over its bytes.
"""

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


def word_hashes(word_lists):
    """(hashes, lengths): every word's 64-bit hash, the words of all texts in a row, and
    how many words each text has."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    joined = b"\x00".join(
        "\x00".join(words).encode("utf-8", "surrogatepass") for words in word_lists
    )
    lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
    data = np.frombuffer(joined + b"\x00", dtype=np.uint8)
    inside = np.flatnonzero(data)  # positions of the words' bytes
    if not len(inside):
        return np.zeros(0, dtype=np.uint64), lengths
    starts = np.flatnonzero(np.diff(inside, prepend=-2) != 1)  # each word's first byte
    offsets = np.arange(len(inside)) - np.repeat(starts, np.diff(starts, append=len(inside)))
    powers = np.cumprod(np.full(int(offsets.max()) + 1, _PRIME, dtype=np.uint64))
    values = data[inside].astype(np.uint64) * powers[offsets]
    hashes = np.add.reduceat(values, starts)
    return (hashes ^ (hashes >> np.uint64(29))) * np.uint64(_MIX), lengths


def featurize(lowers, word_lists):
    """(rows, buckets, scale) for a batch: feature ``k`` of the batch is bucket
    ``buckets[k]`` of text ``rows[k]``, and text ``i``'s features each count ``scale[i]``.

    ``lowers``: the lowercased texts; ``word_lists``: their words (``heat.classifier.tokens``).
    """
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    count = len(lowers)
    # Words and word pairs.
    flat, lengths = word_hashes(word_lists)
    word_rows = np.repeat(np.arange(count), lengths)
    pairs_ok = word_rows[1:] == word_rows[:-1]
    pair_hashes = (flat[:-1] * np.uint64(_PAIR) + flat[1:]) >> np.uint64(17)
    # Characters: all texts in one buffer, each followed by a separator no n-gram may cross.
    encoded = [
        " ".join(lower[:CHAR_LIMIT].split()).encode("utf-8", "surrogatepass") for lower in lowers
    ]
    buffer = np.frombuffer(b"\x00".join(encoded) + b"\x00", dtype=np.uint8).astype(np.uint64)
    sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=count)
    char_rows = np.repeat(np.arange(count), sizes + 1)
    parts_rows = [word_rows, word_rows[1:][pairs_ok]]
    parts_buckets = [flat >> np.uint64(23), pair_hashes[pairs_ok]]
    rolling = buffer.copy()
    valid = buffer != 0
    for size in range(2, max(CHAR_SIZES) + 1):
        n = len(buffer) - size + 1
        if n <= 0:
            break
        rolling = rolling[:n] * np.uint64(_PRIME) + buffer[size - 1 :]
        valid = valid[:n] & (buffer[size - 1 :] != 0)
        if size in CHAR_SIZES:
            parts_rows.append(char_rows[:n][valid])
            parts_buckets.append(
                (rolling[valid] ^ np.uint64(_SIZE_SALT[size] + _CHAR_SALT)) >> np.uint64(11)
            )
    rows = np.concatenate(parts_rows)
    buckets = (np.concatenate(parts_buckets) & np.uint64(MASK)).astype(np.int64)
    totals = np.bincount(rows, minlength=count)
    scale = 1.0 / np.sqrt(np.maximum(totals, MIN_FEATURES))
    return rows, buckets, scale


def phrase_buckets(words):
    """[(phrase, bucket), …] of one text's words and word pairs, as ``featurize`` hashes them."""
    import numpy as np  # noqa: PLC0415 (start-up time: most processes never score a comment)

    hashes, _ = word_hashes([words])
    found = [(w, int(h >> np.uint64(23)) & MASK) for w, h in zip(words, hashes, strict=True)]
    pairs = (hashes[:-1] * np.uint64(_PAIR) + hashes[1:]) >> np.uint64(17)
    found += [(f"{a} {b}", int(h) & MASK) for a, b, h in zip(words, words[1:], pairs, strict=False)]
    return found
