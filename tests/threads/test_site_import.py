"""import_site on the sample exports in fixtures/sites/, and export_space's round trip."""

import json
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import heat
from moderation.models import Case, ModerationEvent
from tests.helpers import client_for, html_of
from threads.importing import site_loading
from threads.importing.html_text import html_blocks, html_paragraphs
from threads.limits import MAX_COMMENT_LENGTH
from threads.models import Comment, Essay

SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
NEW_DISQUS_POST = """  <post dsq:id="9008">
    <message><![CDATA[<p>A reply posted after the first export.</p>]]></message>
    <createdAt>2024-04-01T07:45:00Z</createdAt>
    <isDeleted>false</isDeleted>
    <isSpam>false</isSpam>
    <author><name>Fay</name></author>
    <thread dsq:id="7001"/>
    <parent dsq:id="9006"/>
  </post>
</disqus>
"""


def run(path):
    call_command("import_site", str(path), stdout=(out := Out()))
    return out.text


class Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def comments(essay):
    return {c.import_key: c for c in Comment.objects.filter(essay=essay).order_by("tree_id", "lft")}


@pytest.mark.django_db
def test_disqus_export_becomes_spaces_with_names_dates_and_only_wanted_posts():
    summary = run(SITES / "disqus.xml")
    assert "Created 4 comments in 1 spaces (1 new)" in summary
    # One space: the thread without posts and the deleted thread make none.
    essay = Essay.objects.get()
    assert essay.title == "On listening before answering"
    assert essay.source == "https://blog.example.org/2024/on-listening/"
    assert essay.blocks[0] == {"kind": "heading", "text": "Why listen"}
    found = comments(essay)
    # Spam (9002) and a deleted post without replies (9005) are left out; the deleted
    # parent of a kept reply (9003) is kept, hidden.
    assert set(found) == {"disqus:9001", "disqus:9006", "disqus:9003", "disqus:9004"}
    assert found["disqus:9003"].status == Comment.Status.HIDDEN
    assert found["disqus:9004"].parent_id == found["disqus:9003"].pk
    assert found["disqus:9006"].parent_id == found["disqus:9001"].pk
    first = found["disqus:9001"]
    assert first.author_name == "Ann Ortega" and first.imported
    assert str(first.written_on) == "2024-03-01"
    assert (
        first.body
        == "I tried this at work & it helped.\n\nSee my notes (https://example.org/notes)."
    )
    # The script is gone, the javascript: link keeps its words only.
    cleaned = found["disqus:9004"].body
    assert "alert" not in cleaned and "javascript" not in cleaned and "<b>" not in cleaned
    assert cleaned.startswith("Replying to a comment that was later deleted.\n\nclick bold")
    assert ModerationEvent.objects.filter(action="site_imported", essay=essay).count() == 1


@pytest.mark.django_db
def test_thread_page_shows_imported_names_and_source_days_never_hidden_text(reader):
    run(SITES / "disqus.xml")
    page = html_of(client_for(reader).get(Essay.objects.get().get_absolute_url()))
    assert "Ann Ortega" in page and "Cleo Park" in page
    assert 'datetime="2024-03-01"' in page
    assert "I said something I regret." not in page  # the deleted parent is hidden
    assert "Buy cheap watches" not in page and "alert(" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("scoring", [False, True])
def test_second_run_adds_nothing_and_a_later_export_adds_only_new_posts(
    tmp_path, settings, scoring
):
    settings.HEAT_SCORING = scoring
    run(SITES / "disqus.xml")
    assert "4 were already there" in run(SITES / "disqus.xml")
    assert Comment.objects.count() == 4
    later = tmp_path / "later.xml"
    later.write_text((SITES / "disqus.xml").read_text().replace("</disqus>\n", NEW_DISQUS_POST))
    assert "Created 1 comments in 1 spaces (0 new); 4 were already there" in run(later)
    found = comments(Essay.objects.get())
    assert found["disqus:9008"].parent_id == found["disqus:9006"].pk
    assert Comment.objects.count() == 5 and Essay.objects.count() == 1
    # The new reply goes into its existing tree one by one, its heat with it.
    reply = found["disqus:9008"]
    expected = heat.score_text(reply.body) if scoring else (None, [])
    assert (reply.heat, reply.heat_signals) == expected


@pytest.mark.django_db
def test_wordpress_export_holds_unapproved_comments_for_the_moderators():
    run(SITES / "wordpress.xml")
    essay = Essay.objects.get()  # the draft and the post without comments make no space
    assert essay.title == "Disagreeing well" and essay.author_name == "Mara Quint"
    assert {"kind": "heading", "text": "Three habits"} in essay.blocks
    assert not any("tracking" in block["text"] for block in essay.blocks)
    found = comments(essay)
    # Pingback 502 and spam 503 are left out; trashed 504 stays hidden for its reply 505.
    assert set(found) == {f"wordpress:41:{n}" for n in (501, 504, 505, 506)}
    assert found["wordpress:41:504"].status == Comment.Status.HIDDEN
    assert found["wordpress:41:505"].body == "Answering Omar. Still here."
    assert found["wordpress:41:501"].body.split("\n\n") == [
        "This helped me.",
        "Second paragraph, with a link (https://example.org/why).",
    ]
    pending = found["wordpress:41:506"]
    assert pending.status == Comment.Status.PENDING
    case = Case.objects.get(comment=pending)
    assert case.origin == Case.Origin.IMPORTED and case.state == Case.State.OPEN
    assert Case.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("disqus-broken.xml", "disqus-broken.xml: post 9102 has no message"),
        (
            "wordpress-broken.xml",
            "wordpress-broken.xml: comment 5x5 of post 41: the comment id is missing",
        ),
    ],
)
def test_a_broken_record_is_named_and_nothing_is_written(name, message):
    with pytest.raises(CommandError) as failed:
        run(SITES / name)
    assert str(failed.value).startswith(message) and "\n" not in str(failed.value)
    assert not Essay.objects.exists() and not Comment.objects.exists()


@pytest.mark.django_db
def test_a_file_of_neither_format_says_so(tmp_path):
    other = tmp_path / "feed.xml"
    other.write_text('<?xml version="1.0"?><feed><entry/></feed>')
    with pytest.raises(CommandError, match="neither a Disqus export, a WordPress export"):
        run(other)


@pytest.mark.django_db
def test_entities_are_never_expanded(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE disqus [<!ENTITY a "aaaaaaaaaa">]>'
        '<disqus xmlns="http://disqus.com">&a;</disqus>'
    )
    with pytest.raises(CommandError, match="declares a DTD or entities"):
        run(bomb)


@pytest.mark.django_db
def test_export_space_round_trip_gives_an_identical_space(tmp_path):
    run(SITES / "wordpress.xml")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export_space", "disagreeing-well", output=str(first))
    document = json.loads(first.read_text())
    assert document["format"] == "callin-space"
    assert [c["status"] for c in document["comments"]].count("hidden") == 1
    # Free the slug, import the export, export the new space: the same document.
    Essay.objects.filter(slug="disagreeing-well").update(slug="the-original")
    run(first)
    call_command("export_space", "disagreeing-well", output=str(second))
    assert second.read_text() == first.read_text()
    assert "4 were already there" in run(first)


def test_html_is_turned_into_plain_paragraphs():
    assert html_paragraphs('<p>a<script>x()</script> <a href="javascript:y">b</a></p><p>c</p>') == (
        "a b\n\nc"
    )
    assert html_blocks("<h3>Head</h3>text<br>line") == [
        {"kind": "heading", "text": "Head"},
        {"kind": "paragraph", "text": "text\nline"},
    ]
    assert html_paragraphs("one\n\ntwo\nthree", newlines_break=True) == "one\n\ntwo\nthree"


@pytest.mark.parametrize(
    "html",
    ['<a href="https://x.example/">see <script>steal()', '<a href="https://x.example/"><style>'],
)
def test_a_link_left_open_around_an_unclosed_script_ends_with_the_text(html):
    """A comment cut off inside a dropped tag within a link once made the import hang
    (converted in a thread here, so that a hang fails the test instead of the run)."""
    done = []
    worker = threading.Thread(target=lambda: done.append(html_paragraphs(html)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert done, "the conversion did not finish"
    words = done[0]
    assert "steal" not in words
    assert words in ("see (https://x.example/)", "https://x.example/")


@pytest.mark.django_db
def test_organizer_uploads_an_export_on_a_space_page(organizer_client, space):
    url = f"/organize/{space.slug}/import/"
    with (SITES / "wordpress.xml").open("rb") as upload:
        response = organizer_client.post(url, {"comment_file": upload}, follow=True)
    assert "Created 4 comments in 1 spaces (1 new)" in html_of(response)
    assert Essay.objects.filter(slug="disagreeing-well").exists()
    with (SITES / "disqus-broken.xml").open("rb") as upload:
        response = organizer_client.post(url, {"comment_file": upload})
    assert response.status_code == 400
    assert "disqus-broken.xml: post 9102 has no message" in html_of(response)
    assert not Essay.objects.filter(title="A thread with a broken post").exists()


@pytest.mark.parametrize(
    "html",
    [
        "<p>I tried &amp; it <em>helped</em>.</p><p>Second <b>one</b></p>",
        '<div class="x>y">a</div>b<ul><li>c</li></ul><span title="1>2">d</span>',
        "<p>x</p><p></p>  <P>Upper</P><p/>",
        '<p>a<img src="x">b</p><hr>c<br/>',
        "a<b</p> <3 < p> </ x<!-- c <p> --><![CDATA[raw <b>]]><!DOCTYPE html><?x ?>",
        '<a title=\'x>y\' href="https://q.example">q</a><span title="a<b">s<tag\'</li><!-- open',
    ],
)
def test_the_tokens_are_the_token_patterns_own(html):
    """``_tokens`` finds text and plain tags without the full pattern, and must find
    exactly what it would."""
    from threads.importing import html_text

    def plain(end, tag, attrs, text):
        return end or "", tag or "", attrs or "", text

    expected = [
        plain(m["end"], m["tag"], m["attrs"], m["text"] if m["text"] is not None else m["cdata"])
        for m in html_text.TOKEN.finditer(html)
    ]
    assert [plain(*token) for token in html_text._tokens(html)] == expected


def disqus_file(path, bodies):
    """A Disqus export whose posts in thread 1 say ``bodies``, each replying to the last."""
    posts = [(500 + i, 1, 499 + i if i else None, body, False) for i, body in enumerate(bodies)]
    return disqus_threads(path, posts)


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [0, 2])
def test_posts_are_scored_while_read_each_with_its_own_heat(
    tmp_path, settings, monkeypatch, workers
):
    # Batches of 3 posts: with workers, scored in worker processes ahead of the reader.
    monkeypatch.setattr(site_loading, "SCORED_TOGETHER", 3)
    settings.HEAT_SCORING, settings.HEAT_WORKERS = True, workers
    bodies = [f"Point {i} is fair, and I agree with most of it." for i in range(8)]
    bodies[4] = "Shut up, you idiot!!! Never trust liberals!"
    run(disqus_file(tmp_path / "heat.xml", bodies))
    found = list(Comment.objects.order_by("tree_id", "lft"))
    assert [c.body for c in found] == bodies
    assert [(c.heat, c.heat_signals) for c in found] == [heat.score_text(b) for b in bodies]
    assert [c.heat > settings.HEAT_THRESHOLD for c in found] == [i == 4 for i in range(8)]


@pytest.mark.django_db
def test_with_scoring_off_imported_posts_have_no_heat(tmp_path, settings):
    settings.HEAT_SCORING = False
    run(disqus_file(tmp_path / "calm.xml", ["Shut up, you idiot!!!", "A fair point."]))
    assert list(Comment.objects.values_list("heat", flat=True)) == [None, None]


def disqus_threads(path, posts):
    """A Disqus export of threads 1 to 3 and ``posts``: (id, thread, parent id or None, body,
    deleted)."""
    threads = "".join(
        f'<thread dsq:id="{t}"><link>https://blog.example.org/p{t}/</link>'
        f"<title>Post {t}</title><message/><createdAt>2024-01-01T08:00:00Z</createdAt>"
        "<isDeleted>false</isDeleted></thread>\n"
        for t in (1, 2, 3)
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        + threads
        + "".join(
            f'<post dsq:id="{dsq_id}"><message><![CDATA[<p>{body}</p>]]></message>'
            f"<createdAt>2024-02-01T10:00:00Z</createdAt><isDeleted>{str(deleted).lower()}"
            f'</isDeleted><isSpam>false</isSpam><author><name>R</name></author><thread dsq:id="'
            f'{thread}"/>' + (f'<parent dsq:id="{parent}"/>' if parent else "") + "</post>\n"
            for dsq_id, thread, parent, body, deleted in posts
        )
        + "</disqus>\n"
    )
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [0, 2])
def test_posts_left_unscored_while_read_are_scored_as_their_space_is_written(
    tmp_path, settings, monkeypatch, workers
):
    # Deleted posts are not scored while the file is read (most are never written); one
    # that a reply needs is written hidden, scored with its space.  Batches of 2 posts
    # from three threads, interleaved: the workers are busy and leave batches to the writer.
    monkeypatch.setattr(site_loading, "SCORED_TOGETHER", 2)
    settings.HEAT_SCORING, settings.HEAT_WORKERS = True, workers
    posts, bodies = [], {}
    for i in range(30):
        thread = 1 + i % 3
        body = f"Reply {i}: you idiot, shut up!!!" if i % 7 == 3 else f"Point {i} is fair."
        parent = 100 + i - 3 if i >= 3 and i % 2 else None
        posts.append((100 + i, thread, parent, body, i in (1, 4, 6)))
        bodies[f"disqus:{100 + i}"] = body
    run(disqus_threads(tmp_path / "mixed.xml", posts))
    found = {c.import_key: c for c in Comment.objects.all()}
    # 104 and 106 have replies (107, 109): kept hidden; 101 has none: left out.
    assert set(bodies) - set(found) == {"disqus:101"}
    assert sorted(k for k, c in found.items() if c.status == "hidden") == [
        "disqus:104",
        "disqus:106",
    ]
    for key, comment in found.items():
        assert (comment.heat, comment.heat_signals) == heat.score_text(bodies[key]), key
    assert sorted(k for k, c in found.items() if c.heat > settings.HEAT_THRESHOLD) == [
        "disqus:103",
        "disqus:110",
        "disqus:117",
        "disqus:124",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("scoring", [False, True])
def test_replies_in_a_loop_stop_the_import_at_their_space(tmp_path, settings, scoring):
    settings.HEAT_SCORING, settings.HEAT_WORKERS = scoring, 2
    posts = [(10 + i, 1 + i % 3, None, f"Point {i} is fair.", False) for i in range(3000)]
    posts[1] = (11, 2, 41, "A reply to a later reply.", False)
    posts[31] = (41, 2, 11, "A reply to the earlier reply.", False)
    with pytest.raises(CommandError) as failed:
        run(disqus_threads(tmp_path / "loop.xml", posts))
    assert str(failed.value) == "disqus:11: its replies form a loop"
    # The space before it is written; the one with the loop and those after it are not.
    assert list(Essay.objects.values_list("source", flat=True)) == ["https://blog.example.org/p1/"]
    assert Comment.objects.count() == 1000


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [0, 2])
def test_posts_read_in_worker_processes_keep_every_check(tmp_path, settings, monkeypatch, workers):
    # Batches of 2: with workers, a batch's HTML is read in a worker process while the file
    # is read (the first batches are always sent) or, most of the rest (the workers are busy
    # starting), as its space is written.  Either way a post with no text is left out and a
    # post too long stops the import with nothing written.
    monkeypatch.setattr(site_loading, "SCORED_TOGETHER", 2)
    settings.HEAT_SCORING, settings.HEAT_WORKERS = True, workers
    posts = [(100 + i, 1 + i % 3, None, f"Point {i} is fair.", False) for i in range(30)]
    posts[1] = (101, 2, None, "<script>only()</script>", False)
    posts[27] = (127, 1, None, "<style>p {}</style>", False)
    too_long = [*posts[:3], (103, 1, None, "x" * (MAX_COMMENT_LENGTH + 1), False), *posts[4:]]
    with pytest.raises(CommandError) as failed:
        run(disqus_threads(tmp_path / "long.xml", too_long))
    assert str(failed.value) == (
        f"long.xml: post 103 is longer than {MAX_COMMENT_LENGTH:,} characters"
    )
    assert not Essay.objects.exists() and not Comment.objects.exists()
    run(disqus_threads(tmp_path / "empty.xml", posts))
    found = {c.import_key: c for c in Comment.objects.all()}
    assert len(found) == 28 and not {"disqus:101", "disqus:127"} & set(found)
    assert found["disqus:103"].body == "Point 3 is fair."
    assert all(c.heat is not None for c in found.values())
