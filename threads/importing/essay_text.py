"""An essay's text to blocks (headings and paragraphs), one rule for every way it arrives.

An essay is pasted or uploaded in the seed format (one paragraph per line), written on
the new-space page or edited later (paragraphs separated by a blank line).  The two
ways differ only in where a paragraph ends; which paragraph is a heading is decided
here, once, by ``essay_blocks``:

- a paragraph that starts with "## " is a heading (the marker is left out);
- so is a short one (at most ``MAX_HEADING_WORDS`` words) without closing punctuation
  *that introduces text*: the next paragraph is an ordinary one.  A closing "Thanks for
  reading", or a sign-off's name, has nothing after it to introduce and stays a paragraph.

``blocks_as_text`` writes blocks back in the written form, every heading with its "## ",
so an essay opened for editing reads back into the same blocks.
"""

import hashlib

SENTENCE_END = tuple(".!?…:;,\"”’'")
MAX_HEADING_WORDS = 20
HEADING_MARK = "## "


def heading_shaped(text):
    """Short and without closing punctuation: reads as a heading when text follows it."""
    return len(text.split()) <= MAX_HEADING_WORDS and not text.endswith(SENTENCE_END)


def essay_blocks(paragraphs):
    """Paragraphs (stripped, non-empty strings) to blocks, by the rule above."""
    paragraphs = list(paragraphs)
    blocks = []
    for at, text in enumerate(paragraphs):
        after = paragraphs[at + 1] if at + 1 < len(paragraphs) else None
        if text.startswith(HEADING_MARK):
            blocks.append({"kind": "heading", "text": text[len(HEADING_MARK) :].strip()})
        elif (
            heading_shaped(text)
            and after is not None
            and not after.startswith(HEADING_MARK)
            and not heading_shaped(after)
        ):
            blocks.append({"kind": "heading", "text": text})
        else:
            blocks.append({"kind": "paragraph", "text": text})
    return [block for block in blocks if block["text"]]


def line_paragraphs(lines):
    """The seed format: every line that is not blank is a paragraph."""
    return [line.strip() for line in lines if line.strip()]


def written_paragraphs(text):
    """The written form: a blank line ends a paragraph (its lines are joined with a
    space), and a line starting with "## " is a heading of its own."""
    paragraphs, lines = [], []

    def flush():
        if lines:
            paragraphs.append(" ".join(lines))
            lines.clear()

    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith(HEADING_MARK):
            flush()
            paragraphs.append(line)
        elif line:
            lines.append(line)
        else:
            flush()
    flush()
    return paragraphs


def written_blocks(text):
    """Text written on the pages (new space, edit) to blocks."""
    return essay_blocks(written_paragraphs(text))


def blocks_as_text(blocks):
    """Blocks in the written form: a blank line between blocks, "## " before headings."""
    return "\n\n".join(
        (HEADING_MARK if block.get("kind") == "heading" else "") + str(block.get("text", ""))
        for block in blocks or ()
    )


def blocks_digest(blocks):
    """A short fingerprint of an essay's blocks: a form carries the one it started from,
    so a save over someone else's newer edit is refused rather than lost."""
    return hashlib.sha256(blocks_as_text(blocks).encode()).hexdigest()[:16]
