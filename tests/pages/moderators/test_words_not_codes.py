"""People read words, not codes (issue 14, point 3): revisions as word-level changes, the
log in sentences with readable before/after and filters as choices, times in words,
chips with their labels."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.log_words import ACTIONS, event_changes
from moderation.models import Annotation, Case, ModerationEvent
from tests.helpers import client_for, fresh
from threads.diffs import word_diff
from threads.durations import ago_words, duration_words, wait_words
from threads.errors import Refused
from threads.posting import post_comment

# A snake_case code ("case_resolved", "needs_context") or a Python dict's repr ("{'state").
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
DICT_REPR = re.compile(r"\{'|\{\"|': ")


class _Text(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(response):
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join("".join(parser.parts).split())


def assert_words_only(response):
    assert response.status_code == 200
    text = visible_text(response)
    assert not SNAKE.findall(text), SNAKE.findall(text)
    assert not DICT_REPR.search(text), DICT_REPR.search(text)
    assert "@@" not in text and "+++" not in text


@pytest.fixture
def worked_case(moderator, author, case):
    """A case taken through most of the workflow: claimed, called in, revised by its author,
    replies paused, slow mode, a note, resolved."""
    workflow.claim(moderator, case)
    workflow.call_in(moderator, case, "Would you reread this?", pause_visibility=True)
    workflow.author_revise(author, case, "I think you may have missed a point here.")
    workflow.pause_replies(moderator, case.comment, timedelta(minutes=30), case=case)
    workflow.set_slow_mode(moderator, case.essay, 600, timedelta(hours=2), case=case)
    workflow.annotate(moderator, case.comment, Annotation.Kind.CONTEXT, "Some context.", case=case)
    workflow.resolve(moderator, case, Case.Outcome.REVISED, reason="Thanks for revising")
    return case


def test_word_diff_marks_words_not_lines():
    pieces = word_diff(
        "Honestly, anyone who defends liberals is an idiot.",
        "Honestly, I think anyone who defends liberals is mistaken.",
    )
    assert pieces == [
        ("same", "Honestly,"),
        ("inserted", " I think"),
        ("same", " anyone who defends liberals is "),
        ("deleted", "an idiot"),
        ("inserted", "mistaken"),
        ("same", "."),
    ]


@pytest.mark.parametrize(
    "seconds, words",
    [
        (0, "no time"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (600, "10 minutes"),
        (5400, "1 hour 30 minutes"),
        (86400 + 300, "1 day"),
        (2 * 86400 + 3 * 3600, "2 days 3 hours"),
    ],
)
def test_durations_in_words(seconds, words):
    assert duration_words(seconds) == words


def test_moments_and_waits_in_words():
    now = timezone.now()
    assert ago_words(now, now) == "just now"
    assert ago_words(now - timedelta(seconds=59), now) == "just now"
    assert ago_words(now - timedelta(minutes=7, seconds=20), now) == "7 minutes ago"
    assert ago_words(now - timedelta(hours=1), now) == "1 hour ago"
    assert wait_words(380) == "7 minutes"
    assert wait_words(20) == "1 minute"


def test_case_page_shows_the_revision_word_by_word(moderator, worked_case):
    response = client_for(moderator).get(f"/moderation/cases/{worked_case.pk}/")
    assert_words_only(response)
    html = response.content.decode()
    assert "<ins>" in html and "<del>" in html
    assert "missed a point" in html
    text = visible_text(response)
    # The case history, in sentences.
    assert "mod took the case" in text
    assert "mod sent the author a call-in" in text
    assert "author revised the comment" in text
    assert "mod resolved the case" in text
    assert "state: Author answered → Resolved" in text
    assert "outcome: Revised by its author" in text


def test_log_reads_as_sentences_with_readable_changes(moderator, worked_case):
    response = client_for(moderator).get("/moderation/log/")
    assert_words_only(response)
    text = visible_text(response)
    assert "mod paused new replies" in text
    assert "Readers: see the comment → see a placeholder" in text
    assert "Slow mode: off → one comment every 10 minutes" in text
    assert "On it: nobody → mod" in text
    assert "just now" in text and not re.search(r"\b0 minutes", text)


def test_log_filters_are_choices(moderator, worked_case):
    html = client_for(moderator).get("/moderation/log/").content.decode()
    for name in ("action", "actor", "essay"):
        assert re.search(rf'<select name="{name}"', html), name
    assert '<option value="case_resolved">Resolved the case</option>' in html
    assert '<option value="mod">mod</option>' in html
    response = client_for(moderator).get("/moderation/log/?action=case_resolved")
    assert 'value="case_resolved" selected' in response.content.decode()
    text = visible_text(response)
    assert "mod resolved the case" in text and "took the case" not in text


def test_every_action_and_change_reads_as_words(moderator, worked_case):
    assert all(not SNAKE.search(words) for words in ACTIONS.values())
    for event in ModerationEvent.objects.all():
        for what, was, now in event_changes(event):
            for words in (what, was, now):
                assert not SNAKE.search(words) and not DICT_REPR.search(words), (event, words)


def test_queue_chip_shows_the_reasons_label(moderator, flagger, comment):
    workflow.flag_comment(flagger, comment, "needs_context")
    response = client_for(moderator).get("/moderation/")
    assert_words_only(response)
    assert "Needs context" in visible_text(response)


def test_slow_mode_reads_in_minutes(reader, essay, moderator):
    workflow.set_slow_mode(moderator, essay, 600)
    response = client_for(reader).get(f"/essays/{essay.slug}/")
    text = visible_text(response)
    assert "a pause of 10 minutes between" in text
    assert "seconds" not in text
    post_comment(fresh(essay), reader, "A first thought.")
    with pytest.raises(Refused) as refused:
        post_comment(fresh(essay), reader, "A second thought.")
    assert "You can post again in 10 minutes." in str(refused.value)
