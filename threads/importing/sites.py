"""Exports of other comment systems, read as a stream of records (no models, no database).

Three formats, told apart by their content, not their name:

- a **Disqus** XML export (root ``<disqus>``): every thread of a forum, then
  every post; a post names its thread and its parent by ``dsq:id``;
- a **WordPress** WXR export (an RSS document in WordPress's ``wp:``
  namespace): one ``<item>`` per post, its comments inside it;
- a **callin space** (JSON, written by ``export_space``).

``site_records(path)`` yields ``SiteSpace`` and ``SitePost`` records in file
order; the XML is read by lxml's ``iterparse`` hardened (entities never
expanded, nothing fetched, a document with a DTD refused) and each record is
dropped once read, so a file of any size is read in bounded memory.  A record
that cannot be imported raises ``ImportFailed`` naming it by its id.
Addresses, emails and IP addresses in the exports are never read.

A post of an XML export comes with its HTML (``SitePost.html``), not yet its
text: the importer turns it into text with ``post_text`` where it has a core
to spare (a scoring worker, ``site_scoring``), and only then is the post
complete (``SitePost.with_text``).
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from ..limits import ESSAY_TITLE_LENGTH, MAX_COMMENT_LENGTH
from .html_text import html_blocks, html_paragraphs
from .parsing import ImportFailed

DISQUS = "{http://disqus.com}"
DISQUS_LENGTH = len(DISQUS)
DSQ_ID = "{http://disqus.com/disqus-internals}id"
WP_PREFIX = "{http://wordpress.org/export/"
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://purl.org/rss/1.0/modules/excerpt/": "excerpt:",
    "http://purl.org/dc/elements/1.1/": "dc:",
}
SPACE_FORMAT = "callin-space"
AUTHOR_NAME_LENGTH = 150

# What becomes of a post: shown, waiting for a moderator, or not wanted (spam,
# deleted, trash, pingbacks): left out unless a kept reply needs it as its parent.
SHOWN, PENDING, HIDDEN, UNWANTED = "visible", "pending", "hidden", "unwanted"


@dataclass
class SiteSpace:
    key: str  # the space's id in the file, e.g. "disqus:123"
    link: str  # how a later run finds the space again (Essay.source)
    title: str
    author_name: str = ""
    blocks: list = field(default_factory=list)
    slug: str = ""  # a callin export keeps its slug
    settings: dict = field(default_factory=dict)  # a callin export's other fields


class PostHTML(NamedTuple):
    """A post's body as an XML export holds it, until ``post_text`` reads it."""

    html: str
    record: str  # how a message names the post, e.g. "post 456"
    newlines_break: bool = False  # see html_text.html_blocks


@dataclass
class SitePost:
    key: str  # the import key, e.g. "disqus:456"
    space: str  # its space's key
    parent: str | None
    author_name: str
    body: str
    source_date: str = ""  # e.g. "Mar 5, 2012"
    status: str = SHOWN
    extra: dict = field(default_factory=dict)  # a callin export's kind, featured, written_on
    heat: float | None = None  # set by the importer when heat scoring is on
    heat_signals: str = "[]"  # as JSON (see site_scoring)
    html: PostHTML | None = None  # an XML export's post: its body still to read (see above)

    def with_text(self, body):
        """The post with ``post_text`` of its HTML as its body: an empty one is not wanted."""
        self.body, self.html = body, None
        if not body:
            self.status = UNWANTED


def text_fits(source):
    """Whether ``post_text`` of a ``PostHTML`` cannot be too long, so that it may be read
    after the import has begun writing: a text is never longer than its HTML."""
    return len(source.html) <= MAX_COMMENT_LENGTH


def post_text(source, file):
    """The text of a post's ``PostHTML``; ImportFailed names the post when it is too long."""
    body = html_paragraphs(source.html, newlines_break=source.newlines_break)
    return checked_body(body, source.record, file)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def source_day(day):
    """A date as the comment's ``source_date`` ("Mar 5, 2012": parsing.written_day reads it)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def parse_time(text, record):
    """Disqus "2012-03-05T10:12:33Z" and WordPress "2012-03-05 10:12:33" (UTC) as a day."""
    text = (text or "").strip()
    if not text or text.startswith("0000-00-00"):
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ImportFailed(f"{record}: the date {text[:40]!r} is not a date") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return source_day(moment.date())


def clean_name(text, fallback):
    name = " ".join((text or "").split())[:AUTHOR_NAME_LENGTH]
    return name or fallback


def checked_body(body, record, file):
    if len(body) > MAX_COMMENT_LENGTH:
        raise ImportFailed(f"{file}: {record} is longer than {MAX_COMMENT_LENGTH:,} characters")
    return body


def detect(path):
    """ "disqus", "wordpress" or "callin" from the file's first bytes and root element."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from None
    if head.startswith(b"{"):
        return "callin"
    if head.startswith(b"<"):
        try:
            for event, item in _iterparse(path, ("start-ns", "start")):
                if event == "start-ns" and item[1].startswith(WP_PREFIX[1:]):
                    return "wordpress"
                if event == "start":
                    _refuse_dtd(item, path.name)
                    if item.tag == f"{DISQUS}disqus":
                        return "disqus"
                    if item.tag != "rss":
                        break
        except etree.XMLSyntaxError as exc:
            raise xml_failed(path.name, exc) from None
    raise ImportFailed(
        f"{path.name}: neither a Disqus export, a WordPress export (WXR) nor a callin space export"
    )


def _iterparse(path, events, tag=None):
    """lxml's iterparse, hardened: no entity expanded, no DTD loaded, nothing fetched."""
    return etree.iterparse(
        str(path),
        events=events,
        tag=tag,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )


def _refuse_dtd(element, name):
    """Exports never need a DTD; one in a file is refused rather than read."""
    if element.getroottree().docinfo.internalDTD is not None:
        raise ImportFailed(f"{name}: the XML declares a DTD or entities, which are not read")


def xml_failed(name, exc):
    return ImportFailed(f"{name}: not well-formed XML (line {exc.lineno or 0})")


def site_records(path, kind=None):
    """(kind, records): the file's format and an iterator of its SiteSpace and SitePost."""
    kind = kind or detect(path)
    reader = {"disqus": disqus_records, "wordpress": wordpress_records, "callin": space_records}
    return kind, reader[kind](Path(path))


def _elements(path, wanted, depth):
    """(tag, element) for each end of a ``wanted`` element ``depth`` levels below the root.

    Each one is removed from its parent once the caller is done with it, so
    nothing read stays in memory."""
    root = None
    try:
        for _, element in _iterparse(path, ("end",), tag=wanted):
            if root is None:
                _refuse_dtd(element, path.name)
                root = element.getroottree().getroot()
            parent = element.getparent()
            if (parent if depth == 1 else parent.getparent()) is root:
                yield element.tag, element
                parent.remove(element)
    except etree.XMLSyntaxError as exc:
        raise xml_failed(path.name, exc) from None


# --- Disqus -----------------------------------------------------------------


def _children(element):
    """{local name: child} of a Disqus element (one pass, rather than a find per field)."""
    return {child.tag[DISQUS_LENGTH:]: child for child in element}


def _text(children, name):
    found = children.get(name)
    return (found.text or "").strip() if found is not None else ""


def _flag(children, name):
    return _text(children, name).lower() == "true"


def disqus_records(path):
    thread, post = f"{DISQUS}thread", f"{DISQUS}post"
    deleted_threads = set()
    for tag, element in _elements(path, (thread, post), depth=1):
        dsq_id = element.get(DSQ_ID, "").strip()
        children = _children(element)
        if tag == thread:
            if not dsq_id:
                raise ImportFailed(f"{path.name}: a thread has no dsq:id")
            if _flag(children, "isDeleted"):
                deleted_threads.add(dsq_id)
                continue
            yield _disqus_thread(children, dsq_id, path.name)
        else:
            record = f"post {dsq_id or '(no dsq:id)'}"
            if not dsq_id:
                raise ImportFailed(f"{path.name}: {record}: a post has no dsq:id")
            in_thread = children.get("thread")
            thread_id = in_thread.get(DSQ_ID, "").strip() if in_thread is not None else ""
            if not thread_id:
                raise ImportFailed(f"{path.name}: {record} names no thread")
            if thread_id in deleted_threads:
                continue
            yield _disqus_post(children, dsq_id, thread_id, record, path.name)


def _author_name(children):
    author = children.get("author")
    return _text(_children(author), "name") if author is not None else ""


def _disqus_thread(children, dsq_id, name):
    link = _text(children, "link")
    title = " ".join(_text(children, "title").split()) or link or f"Thread {dsq_id}"
    if len(title) > ESSAY_TITLE_LENGTH:
        raise ImportFailed(f"{name}: thread {dsq_id}: the title is too long to be a title")
    return SiteSpace(
        key=f"disqus:{dsq_id}",
        link=link or f"disqus:{dsq_id}",
        title=title,
        author_name=clean_name(_author_name(children), ""),
        blocks=html_blocks(_text(children, "message")),
    )


def _disqus_post(children, dsq_id, thread_id, record, name):
    message = children.get("message")
    if message is None:
        raise ImportFailed(f"{name}: {record} has no message")
    parent = children.get("parent")
    parent_id = parent.get(DSQ_ID, "").strip() if parent is not None else ""
    unwanted = _flag(children, "isSpam") or _flag(children, "isDeleted")
    return SitePost(
        key=f"disqus:{dsq_id}",
        space=f"disqus:{thread_id}",
        parent=f"disqus:{parent_id}" if parent_id else None,
        author_name=clean_name(_author_name(children), "Anonymous"),
        body="",
        source_date=parse_time(_text(children, "createdAt"), f"{name}: {record}"),
        status=UNWANTED if unwanted else SHOWN,
        html=PostHTML(message.text or "", record),
    )


# --- WordPress (WXR) ---------------------------------------------------------

WP_POST_TYPES = {"post", "page"}
WP_COMMENT_STATUS = {"1": SHOWN, "approve": SHOWN, "0": PENDING, "hold": PENDING}


def _wp_tag(tag):
    """ "{http://wordpress.org/export/1.2/}comment" -> "wp:comment" (any WXR version)."""
    if tag.startswith(WP_PREFIX):
        return "wp:" + tag.rpartition("}")[2]
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return NAMESPACES.get(namespace, namespace + ":") + local
    return tag


def _wp_fields(element):
    return {_wp_tag(child.tag): (child.text or "").strip() for child in element}


def wordpress_records(path):
    for _, item in _elements(path, ("item",), depth=2):
        fields = _wp_fields(item)
        post_id = fields.get("wp:post_id", "")
        if fields.get("wp:post_type") not in WP_POST_TYPES or fields.get("wp:status") != "publish":
            continue
        if not post_id:
            raise ImportFailed(f"{path.name}: a post has no wp:post_id")
        comments = [c for c in item if _wp_tag(c.tag) == "wp:comment"]
        if not comments:
            continue
        title = " ".join(fields.get("title", "").split()) or f"Post {post_id}"
        if len(title) > ESSAY_TITLE_LENGTH:
            raise ImportFailed(f"{path.name}: post {post_id}: the title is too long to be a title")
        yield SiteSpace(
            key=f"wordpress:{post_id}",
            link=fields.get("link") or f"wordpress:{post_id}",
            title=title,
            author_name=clean_name(fields.get("dc:creator", ""), ""),
            blocks=html_blocks(fields.get("content:encoded", "")),
        )
        for comment in comments:
            yield _wp_comment(_wp_fields(comment), post_id, path.name)


def _wp_comment(fields, post_id, name):
    comment_id = fields.get("wp:comment_id", "")
    record = f"comment {comment_id or '(no wp:comment_id)'} of post {post_id}"
    if not (comment_id.isascii() and comment_id.isdigit()):
        raise ImportFailed(f"{name}: {record}: the comment id is missing or not a number")
    parent = fields.get("wp:comment_parent", "0") or "0"
    if not (parent.isascii() and parent.isdigit()):
        raise ImportFailed(f"{name}: {record}: its parent {parent[:20]!r} is not a comment id")
    kind = fields.get("wp:comment_type", "") or "comment"
    status = WP_COMMENT_STATUS.get(fields.get("wp:comment_approved", ""), UNWANTED)
    day = parse_time(
        fields.get("wp:comment_date_gmt") or fields.get("wp:comment_date"), f"{name}: {record}"
    )
    return SitePost(
        key=f"wordpress:{post_id}:{comment_id}",
        space=f"wordpress:{post_id}",
        parent=f"wordpress:{post_id}:{parent}" if parent != "0" else None,
        author_name=clean_name(fields.get("wp:comment_author", ""), "Anonymous"),
        body="",
        source_date=day,
        status=status if kind == "comment" else UNWANTED,
        html=PostHTML(fields.get("wp:comment_content", ""), record, newlines_break=True),
    )


# --- callin space (export_space) ---------------------------------------------


def space_records(path):
    """A space written by ``export_space``: one JSON document (see moderation.space_export)."""
    try:
        with path.open(encoding="utf-8-sig") as stream:
            document = json.load(stream)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path.name}: not a callin space export ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != SPACE_FORMAT:
        raise ImportFailed(
            f"{path.name}: neither a Disqus export, a WordPress export (WXR) "
            "nor a callin space export"
        )
    try:
        space = document["space"]
        key = f"callin:{space['slug']}"
        yield SiteSpace(
            key=key,
            link=space.get("source") or key,
            title=space["title"],
            author_name=space.get("author_name", ""),
            blocks=list(space.get("blocks", [])),
            slug=space["slug"],
            settings={k: v for k, v in space.items() if k not in SPACE_OWN_FIELDS},
        )
    except (KeyError, TypeError):
        raise ImportFailed(f"{path.name}: the space has no slug or title") from None
    for number, comment in enumerate(document.get("comments", []), start=1):
        yield _space_comment(comment, key, number, path.name)


SPACE_OWN_FIELDS = {"slug", "title", "author_name", "blocks"}


SPACE_STATUSES = {SHOWN, PENDING, HIDDEN, "withdrawn"}
SPACE_KINDS = {"comment", "prompt", "bridge"}


def _space_comment(comment, space, number, name):
    """A comment of a callin export; its ``id`` is its import key here (see space_export)."""
    try:
        ref = str(comment["id"])
        body = comment["body"]
        written_on = comment.get("written_on")
        if written_on:
            date.fromisoformat(written_on)
        status = comment.get("status", SHOWN)
        kind = comment.get("kind", "comment")
        if (
            not isinstance(body, str)
            or status not in SPACE_STATUSES
            or kind not in SPACE_KINDS
            or len(ref) > 80
        ):
            raise TypeError
    except (KeyError, TypeError, ValueError):
        raise ImportFailed(
            f"{name}: comment {number} lacks an id or a body, or has a bad status or date"
        ) from None
    parent = comment.get("parent")
    return SitePost(
        key=ref,
        space=space,
        parent=str(parent) if parent else None,
        author_name=clean_name(comment.get("author_name", ""), "Anonymous"),
        body=checked_body(body, f"comment {ref}", name),
        source_date=str(comment.get("source_date", ""))[:40],
        status=status,
        extra={
            "kind": kind,
            "featured": bool(comment.get("featured")),
            "written_on": written_on,
            "edited": bool(comment.get("edited")),
        },
    )
