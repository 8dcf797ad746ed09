"""HTML from other comment systems turned into callin's plain paragraphs.

callin stores text, never markup: pages escape it when they show it.  So the
safe conversion is to keep the words and drop every tag.  Block tags end a
paragraph, headings are kept apart (essays show them as headings), ``<br>``
breaks a line, and the text of ``script``, ``style`` and other embedded
content is dropped whole.  A link keeps its address beside its text ("text
(https://...)"), and only http(s) and mailto addresses are kept: a
``javascript:`` link loses its address and keeps its words.
"""

import re
from html import unescape

BLOCK_TAGS = {
    "p", "div", "blockquote", "li", "ul", "ol", "pre", "section", "article", "figure",
    "figcaption", "table", "tr", "dd", "dt", "dl", "hr", "address", "aside", "header",
    "footer", "main", "nav", "details", "summary",
}  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Their content is never text a reader wrote for the page.
DROPPED_TAGS = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "head", "title", "select", "textarea", "button", "canvas", "audio", "video",
}  # fmt: skip
VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# A tag (its attributes may hold quoted ">"), a comment or CDATA, a doctype or
# processing instruction; anything else up to the next "<" is text (a "<" that
# opens no tag is text too).
TOKEN = re.compile(
    r"<(?P<end>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>(?:\"[^\"]*\"|'[^']*'|[^'\">])*)>"
    r"|<!--.*?(?:-->|$)|<!\[CDATA\[(?P<cdata>.*?)(?:\]\]>|$)|<[!?][^>]*>?"
    r"|(?P<text>[^<]+|<)",
    re.DOTALL,
)
HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
BLANK_LINE = re.compile(r"\n[ \t\r]*\n\s*")
# Control characters other than tab and newlines, as UTF-8 bytes: deleted from the encoded
# text (twice as fast as a regex; no multi-byte character holds one of these bytes).
CONTROL_BYTES = bytes([*range(9), 11, 12, *range(14, 32), 127])


# The common tag (no quote or "<" before its ">"), matched without trying TOKEN's other kinds.
PLAIN_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^<>\"']*)>")


def _tokens(html):
    """``TOKEN.finditer(html)``'s tokens as (end, tag, attrs, text): the same tokens, found
    with ``str.find`` for text and ``PLAIN_TAG`` for most tags (a regex scans text about
    ten times slower than ``find``, and text is most of a comment)."""
    at, size = 0, len(html)
    while at < size:
        if html[at] != "<":
            stop = html.find("<", at)
            stop = size if stop < 0 else stop
            yield "", "", "", html[at:stop]
            at = stop
        elif found := PLAIN_TAG.match(html, at):
            yield (*found.groups(), None)
            at = found.end()
        else:  # a tag with quoted attributes, a comment, CDATA, a "<" that opens no tag
            found = TOKEN.match(html, at)
            text = found["text"] if found["text"] is not None else found["cdata"]
            yield found["end"], found["tag"], found["attrs"], text
            at = found.end()


class _Blocks:
    """Block and inline structure from a stream of tags and text (see ``TOKEN``)."""

    def __init__(self, newlines_break):
        self.newlines_break = newlines_break
        self.blocks, self.line, self.lines = [], [], []
        self.kind, self.dropping, self.links = "paragraph", [], []

    # --- text ---
    def handle_data(self, data):
        if self.dropping:
            return
        if self.newlines_break:
            parts = BLANK_LINE.split(data)
            for number, part in enumerate(parts):
                if number:
                    self.end_block()
                for line_number, line in enumerate(part.split("\n")):
                    if line_number:
                        self.break_line()
                    self.line.append(line)
        else:
            self.line.append(data.replace("\n", " "))

    def break_line(self):
        if self.line:  # (a block's start and end both break the line: most are empty)
            if line := " ".join("".join(self.line).split()):  # runs of spaces as one
                self.lines.append(line)
            self.line = []

    def end_block(self):
        self.break_line()
        if self.lines:
            self.blocks.append({"kind": self.kind, "text": "\n".join(self.lines)})
            self.lines = []
        self.kind = "paragraph"

    # --- tags ---
    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_TAGS:
            if tag not in VOID_TAGS:
                self.dropping.append(tag)
            return
        if self.dropping:
            return
        if tag == "br":
            self.break_line()
        elif tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self.end_block()
            if tag in HEADING_TAGS:
                self.kind = "heading"
        elif tag == "a":
            found = HREF.search(attrs)
            href = unescape(next(filter(None, found.groups()), "")).strip() if found else ""
            self.links.append((href if href.lower().startswith(SAFE_SCHEMES) else "", self.line))
            self.line = []

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in BLOCK_TAGS or tag in HEADING_TAGS:
            self.end_block()
        elif tag == "a" and self.links:
            href, before = self.links.pop()
            words = "".join(self.line).strip()
            shown = href.removeprefix("mailto:")
            if href and words and words.rstrip("/") != shown.rstrip("/"):
                words = f"{words} ({shown})"
            elif href and not words:
                words = shown
            self.line = [*before, words]

    def feed(self, html):
        for end, tag, attrs, text in _tokens(html):
            if text is not None:
                self.handle_data(unescape(text))
            elif tag:
                tag = tag.lower()
                if end:
                    self.handle_endtag(tag)
                else:
                    self.handle_starttag(tag, attrs)
                    if attrs.rstrip().endswith("/") and tag not in VOID_TAGS:
                        self.handle_endtag(tag)  # "<p/>": nothing inside

    def close(self):
        self.dropping.clear()  # a dropped tag left open ends with the text (the links close)
        while self.links:
            self.handle_endtag("a")
        self.end_block()


def html_blocks(html, newlines_break=False):
    """HTML to [{"kind": "paragraph" | "heading", "text": ...}], no markup left.

    ``newlines_break``: WordPress stores comments as typed (its pages add the
    paragraphs), so a blank line ends a paragraph and a newline breaks a line;
    elsewhere newlines in HTML are plain spaces.
    """
    html = (html or "").encode(errors="surrogatepass").translate(None, CONTROL_BYTES)
    html = html.decode(errors="surrogatepass")
    if "<" not in html and "&" not in html and not newlines_break:  # plain text: one paragraph
        text = " ".join(html.split())
        return [{"kind": "paragraph", "text": text}] if text else []
    parser = _Blocks(newlines_break)
    parser.feed(html)
    parser.close()
    return parser.blocks


def html_paragraphs(html, newlines_break=False):
    """HTML to a comment body: paragraphs separated by blank lines (headings included)."""
    return "\n\n".join(block["text"] for block in html_blocks(html, newlines_break))
