"""The case page: /moderation/cases/<id>/."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import workflow
from moderation.log_words import action_words
from moderation.models import Annotation, Case, Flag, Message, ModerationEvent
from tests.helpers import (
    bulk_cases,
    bulk_comments,
    bulk_replies,
    bulk_users,
    client_for,
    flashes,
    make_comment,
    make_user,
    page_scripts,
)
from threads.models import Essay

# Pinned for any size of case and any number of cases in the database: session, user,
# user permissions, group permissions, the unread count of the navigation (5); the case
# with its comment, author, essay and people joined, siblings before, siblings after,
# the conversation, ancestors, replies, flags, earlier cases, the author's comment
# count, notes, revisions (for the diffs), events (12); the author's standing (their
# sanctions' kinds, whether they were called in) and their sanctions, saved replies (4);
# the previous and next case in the queue, the last event's id for the live part (3).
CASE_PAGE_QUERIES = 24


def context_ids(response):
    """Ids of the comments in the "in context" and "replies" lists, in page order."""
    return [int(pk) for pk in re.findall(r'id="ctx(\d+)"', response.content.decode())]


def section(response, heading):
    """The HTML from an <h2> with this text to the next <h2>."""
    html = response.content.decode()
    start = html.index(f">{heading}</h2>")
    end = html.find("<h2", start)
    return html[start : end if end != -1 else None]


@pytest.fixture
def thread(
    essay,
    writer,
):
    """A root with nine replies; the writer's comment is the fifth, with two levels of replies."""
    root = make_comment(essay, body="The root of the discussion.", author=make_user("rootauthor"))
    before = [make_comment(essay, body=f"Sibling before {i}.", parent=root) for i in range(4)]
    target = make_comment(
        essay, body="You clearly have no idea.\nSecond line.", parent=root, author=writer
    )
    after = [make_comment(essay, body=f"Sibling after {i}.", parent=root) for i in range(4)]
    reply = make_comment(essay, body="A reply to the writer.", parent=target)
    nested = make_comment(essay, body="A reply to the reply.", parent=reply)
    return {
        "root": root,
        "before": before,
        "target": target,
        "after": after,
        "reply": reply,
        "nested": nested,
    }


@pytest.fixture
def full_case(thread, writer, reader, other_reader, moderator, essay):
    """A case with flags, notes, a conversation with a revision, and an earlier case."""
    target = thread["target"]
    # An earlier case about another comment of the same author, resolved.
    earlier = make_comment(essay, body="An earlier remark by the writer.", author=writer)
    _, old = workflow.flag_comment(other_reader, earlier, "off_topic")
    workflow.resolve(moderator, old, "annotated", "Context added.")
    workflow.annotate(moderator, earlier, "author_note", "Often sharp, always sorry later.")
    stranger = make_comment(essay, body="Someone else.", author=reader)
    workflow.annotate(moderator, stranger, "author_note", "A note about another person.")

    workflow.flag_comment(reader, target, "heated", "NOTE-ONE: this will escalate.")
    _, case = workflow.flag_comment(other_reader, target, "harmful", "NOTE-TWO: an insult.")
    workflow.annotate(moderator, target, "comment_note", "Private: watch this thread.", case)
    workflow.annotate(moderator, target, "context", "Context: see part two.", case)
    workflow.call_in(moderator, case, "Hello, would you reread your comment?")
    workflow.author_reply(writer, case, "I was upset, sorry.")
    workflow.author_revise(writer, case, "I see it differently.\nSecond line.")
    return Case.objects.get(pk=case.pk), old


def test_comment_in_context(moderator, thread, full_case):
    case, _ = full_case
    response = client_for(moderator).get(f"/moderation/cases/{case.pk}/")
    assert response.status_code == 200
    t = thread
    # The parent, the comment, its replies; then, folded, the three other replies to the
    # same parent nearest before and after.
    assert context_ids(response) == [
        t["root"].pk,
        t["target"].pk,
        t["reply"].pk,
        t["nested"].pk,
        *[c.pk for c in t["before"][1:]],
        *[c.pk for c in t["after"][:3]],
    ]
    html = response.content.decode()
    assert f'id="ctx{t["target"].pk}"' in html
    assert f'focus-comment" id="ctx{t["target"].pk}" data-flagged>' in html
    assert "<p>I see it differently.<br>Second line.</p>" in html  # the current text, in full
    assert "Replies to it (2)" in html
    assert 'class="comment indent-2' in html  # the reply to the reply is indented further


def test_flags_with_their_notes(moderator, full_case):
    case, _ = full_case
    flags = section(client_for(moderator).get(f"/moderation/cases/{case.pk}/"), "Flags")
    assert "Heated (likely to escalate)" in flags
    assert "Harmful (attacks a person or group)" in flags
    assert "NOTE-ONE: this will escalate." in flags
    assert "NOTE-TWO: an insult." in flags
    assert "from reader" in flags and "from other" in flags
    assert flags.index("NOTE-ONE") < flags.index("NOTE-TWO")  # oldest first


def test_author_history_and_notes(moderator, full_case):
    case, old = full_case
    response = client_for(moderator).get(f"/moderation/cases/{case.pk}/")
    author = section(response, "The author")
    assert "(account “writer”)" in author
    assert "2 comments." in author
    assert f'<a href="/moderation/cases/{old.pk}/">#{old.pk}</a> Resolved: Context added' in author
    assert "An earlier remark by the writer." in author
    notes = section(response, "Notes")
    assert "Private: watch this thread." in notes
    assert "Context: see part two." in notes
    # Notes about the author, written on another of their comments, follow them here.
    assert "Often sharp, always sorry later." in notes
    assert "A note about another person." not in notes


def test_conversation_with_the_revision_diff(moderator, full_case):
    case, _ = full_case
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    talk = html[html.index('id="talk-h"') : html.index(">Note</h2>")]
    assert talk.index("Hello, would you reread your comment?") < talk.index("I was upset, sorry.")
    assert "The author revised the comment" in talk
    diff = re.search(r'<p class="diff"[^>]*>(.*?)</p>', talk, re.S).group(1)
    # Word by word: what was taken out, what was put in, the rest as it was.
    hidden = r'<span class="visually-hidden">[^<]*</span>'
    marked = [
        (tag, unescape(re.sub(hidden, "", text)))
        for tag, text in re.findall(r"<(ins|del)>(.*?)</\1>", diff)
    ]
    assert marked == [("del", "You clearly have no idea"), ("ins", "I see it differently")]
    assert "Second line." in diff and "@@" not in diff
    # After a call-in, the page offers a follow-up message, not a second call-in.
    assert "Send call-in" not in talk
    assert f'action="/moderation/cases/{case.pk}/message/"' in talk


def test_case_history_lists_every_event_in_order(moderator, full_case):
    case, _ = full_case
    history = section(client_for(moderator).get(f"/moderation/cases/{case.pk}/"), "Case history")
    actions = [a.strip() for a in re.findall(r"</strong> ([^(.<]+)", history)]
    assert actions == [
        action_words(action)
        for action in ModerationEvent.objects.filter(case=case)
        .order_by("created", "id")
        .values_list("action", flat=True)
    ]
    assert actions[:3] == [
        "opened the case",
        "flagged the comment",
        "flagged the comment",
    ]
    assert actions[-3:] == [
        "sent the author a call-in",
        "answered the call-in",
        "revised the comment",
    ]


def call_in_text(response):
    found = re.search(
        r'<textarea name="body" id="call-in-message"[^>]*>(.*?)</textarea>',
        response.content.decode(),
        re.S,
    )
    assert found, "no call-in form"
    return unescape(found.group(1))


@pytest.fixture
def two_reason_case(flagged_case, other_reader, essay):
    Essay.objects.filter(pk=essay.pk).update(
        guidelines="Disagree with ideas, not people's worth.\n\nAsk before you assume."
    )
    workflow.flag_comment(other_reader, flagged_case.comment, "harmful")
    return Case.objects.get(pk=flagged_case.pk)


def test_call_in_template_quotes_the_guidelines_and_names_the_reasons(moderator, two_reason_case):
    client = client_for(moderator)
    response = client.get(f"/moderation/cases/{two_reason_case.pk}/?template=clarify")
    text = call_in_text(response)
    assert text.startswith("Hello writer,")
    assert "some readers are unsure what you meant" in text
    assert re.search(r"it was flagged as (heated or harmful|harmful or heated)\.", text)
    assert "  “Disagree with ideas, not people's worth.”\n  “Ask before you assume.”" in text
    assert "“An essay”" in text
    assert re.search(
        r'<option value="clarify" data-text="[^"]*" selected>', response.content.decode()
    )
    # Who flagged and what they wrote stay out of the call-in.
    assert "reader" not in text.replace("readers", "")
    assert "Feels like a pile-on." not in text


def test_call_in_templates_differ_and_default_to_reflect(moderator, two_reason_case):
    client = client_for(moderator)
    url = f"/moderation/cases/{two_reason_case.pk}/"
    texts = {
        key: call_in_text(client.get(f"{url}?template={key}")) for key in ("reflect", "revise")
    }
    assert texts["reflect"] != texts["revise"]
    assert "Would you consider revising it" in texts["revise"]
    assert call_in_text(client.get(url)) == texts["reflect"]
    assert call_in_text(client.get(f"{url}?template=nonsense")) == texts["reflect"]


def test_call_in_from_the_page_text_is_sent(moderator, two_reason_case):
    client = client_for(moderator)
    url = f"/moderation/cases/{two_reason_case.pk}/"
    page = client.get(f"{url}?template=clarify")
    version = re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)
    response = client.post(
        f"{url}call-in/", {"version": version, "body": call_in_text(page)}, follow=True
    )
    assert flashes(response) == ["The call-in is sent privately to the author."]
    message = Message.objects.get(case=two_reason_case)
    assert message.body == call_in_text(page).strip()


def test_imported_comment_says_call_ins_are_not_delivered(moderator, reader, essay):
    comment = make_comment(essay, body="An imported comment.", author_name="Someone Imported")
    _, case = workflow.flag_comment(reader, comment, "heated")
    html = client_for(moderator).get(f"/moderation/cases/{case.pk}/").content.decode()
    assert "imported: no account, so a call-in could not reach them" in html


# --- query counts ------------------------------------------------------------------------


def grow(case, n, prefix):
    """Give ``case`` n flags (by n readers), n replies, n events, n earlier cases of its
    author, and n / 5 messages and notes (each note renders a form: kept fewer for speed)."""
    now = timezone.now()
    comment = case.comment
    readers = bulk_users(n, prefix)
    Flag.objects.bulk_create(
        Flag(
            comment=comment,
            flagger=user,
            case=case,
            reason="heated",
            note=f"note {i}",
            created=now,
            updated=now,
        )
        for i, user in enumerate(readers)
    )
    bulk_replies(comment, n, author=readers[0])
    Message.objects.bulk_create(
        Message(
            case=case, kind=Message.Kind.MODERATOR, sender=readers[i % 5], body="More.", created=now
        )
        for i in range(n // 5)
    )
    Annotation.objects.bulk_create(
        Annotation(
            kind="comment_note",
            comment=comment,
            case=case,
            body=f"Note {i}.",
            created_by=readers[i % 7],
            created=now,
        )
        for i in range(n // 5)
    )
    ModerationEvent.objects.bulk_create(
        ModerationEvent(
            action="bulk",
            actor=readers[i % 11],
            case=case,
            comment=comment,
            essay_id=case.essay_id,
            created=now,
        )
        for i in range(n)
    )
    earlier = Case(
        comment=comment,
        essay_id=case.essay_id,
        opened_at=now - timedelta(days=1),
        state=Case.State.RESOLVED,
        outcome=Case.Outcome.NO_ACTION,
    )
    earlier.set_weight(0)
    Case.objects.bulk_create(
        Case(
            **{
                f.attname: getattr(earlier, f.attname)
                for f in Case._meta.concrete_fields
                if f.attname != "id"
            }
        )
        for _ in range(n)
    )


@pytest.fixture
def sized_case(
    reader,
    moderator,
    essay,
):
    """A case on a new comment with a call-in, a revision and ``n`` of everything."""

    def make(n, name):
        author = make_user(name)
        root = make_comment(essay, body=f"Root for {name}.")
        comment = make_comment(essay, body=f"Comment by {name}.", parent=root, author=author)
        _, case = workflow.flag_comment(reader, comment, "harmful", "A note.")
        workflow.call_in(moderator, case, "Hello, would you reread your comment?")
        workflow.author_revise(author, case, f"Revised comment by {name}.")
        comment.refresh_from_db()
        grow(Case.objects.get(pk=case.pk), n, name)
        return Case.objects.get(pk=case.pk)

    return make


def page_queries(client, case):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/moderation/cases/{case.pk}/")
    assert response.status_code == 200
    return len(queries), response


def test_query_count_does_not_grow_with_the_case(
    moderator, sized_case, django_assert_max_num_queries
):
    small, large = sized_case(10, "small"), sized_case(1000, "large")
    assert large.flags.count() == 1001
    client = client_for(moderator)
    small_count, _ = page_queries(client, small)
    large_count, response = page_queries(client, large)
    assert small_count == large_count == CASE_PAGE_QUERIES
    html = response.content.decode()
    assert "Replies to it (200+)" in html
    assert html.count("note 999") == 1
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        client.get(f"/moderation/cases/{large.pk}/?template=revise")


def test_query_count_does_not_grow_with_the_database(
    moderator,
    sized_case,
    essay,
    django_assert_max_num_queries,
):
    case = sized_case(10, "small")
    client = client_for(moderator)
    before, _ = page_queries(client, case)
    bulk_cases(bulk_comments(essay, 1000))
    assert Case.objects.count() > 1000
    after, _ = page_queries(client, case)
    assert before == after == CASE_PAGE_QUERIES
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        client.get(f"/moderation/cases/{case.pk}/")


# --- acting in place and keyboard shortcuts -----------------------------------------------

SAFE_HTMX = {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}


def test_page_loads_the_vendored_htmx_and_the_shortcuts(moderator, flagged_case):
    from django.contrib.staticfiles import finders

    response = client_for(moderator).get(f"/moderation/cases/{flagged_case.pk}/")
    config = page_scripts(response)
    # htmx would otherwise add an inline <style> and eval code, which the CSP forbids.
    assert config.items() >= SAFE_HTMX.items()
    htmx = finders.find("js/htmx.min.js")
    with open(htmx, encoding="utf-8") as f:
        assert 'version:"2.' in f.read()
    assert finders.find("js/moderation-keys.js")


def test_every_form_acts_in_place_and_without_javascript(moderator, flagged_case):
    html = client_for(moderator).get(f"/moderation/cases/{flagged_case.pk}/").content.decode()
    part = html[html.index('<div id="case-page"') :]
    assert part.startswith('<div id="case-page" hx-target="this" hx-swap="outerHTML')
    forms = re.findall(r'<form method="post" action="([^"]+)"([^>]*)>(.*?)</form>', part, re.S)
    assert len(forms) >= 10
    for action, attrs, body in forms:
        assert action.startswith(f"/moderation/cases/{flagged_case.pk}/")
        assert f'hx-post="{action}"' in attrs
        assert 'name="csrfmiddlewaretoken"' in body


def form_with(html, element_id):
    """The action of the form holding the element with this id."""
    for action, body in re.findall(
        r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S
    ):
        if f'id="{element_id}"' in body:
            return action
    return None


def test_the_shortcuts_find_their_forms(moderator, flagged_case):
    """The ids static/js/moderation-keys.js looks up (c, n, p, r, ? and the button)."""
    base = f"/moderation/cases/{flagged_case.pk}/"
    html = client_for(moderator).get(base).content.decode()
    assert form_with(html, "call-in-message") == base + "call-in/"
    assert form_with(html, "note-body") == base + "annotate/"
    assert (
        f'action="{base}pause-replies/" hx-post="{base}pause-replies/" id="pause-replies-form"'
        in html
    )
    assert re.search(r'<select name="outcome" id="resolve-outcome" required>', html)
    assert form_with(html, "resolve-outcome") == base + "resolve/"
    assert '<dialog id="keys-help"' in html and 'id="keys-help-open"' in html
    assert 'id="undo-form"' not in html  # nothing to undo yet

    # After a call-in, c goes to the follow-up message.
    workflow.call_in(moderator, flagged_case, "Hello, would you reread your comment?")
    html = client_for(moderator).get(base).content.decode()
    assert form_with(html, "call-in-message") == base + "message/"


def test_undo_button_says_what_it_takes_back(moderator, flagged_case):
    base = f"/moderation/cases/{flagged_case.pk}/"
    workflow.pause_replies(moderator, flagged_case.comment, timedelta(hours=1), flagged_case)
    html = client_for(moderator).get(base).content.decode()
    assert f'action="{base}undo/" hx-post="{base}undo/" id="undo-form"' in html
    assert "Undo: pausing replies</button>" in html

    workflow.call_in(moderator, flagged_case, "Hello, would you reread your comment?")
    html = client_for(moderator).get(base).content.decode()
    assert 'id="undo-form"' not in html
    assert "a call-in cannot be unsent" in html
