"""Watched words: wildcards, block / hold / flag on posting, site-wide words, CSV."""

import pytest

from moderation import watched, workflow
from moderation.models import Case, ModerationEvent, Notice, WatchedWord
from tests.helpers import (
    case_action,
    client_for,
    flashes,
    form_errors,
    fresh,
    html_of,
    last_event,
    reply,
)
from threads.models import Comment, Essay

pytestmark = pytest.mark.usefixtures("no_heat")


def found(pattern, text):
    match = watched.to_regex(pattern).search(text)
    return match.group(0) if match else None


# --- patterns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what an idiotic idea", "idiotic"),
        ("Idiots, all of them", "Idiots"),
        ("IDIOT", "IDIOT"),
        ("an idiot.", "idiot"),
        # A hyphen ends a word: the wildcard matches the word after it.
        ("a semi-idiotic plan", "idiotic"),
        # Inside a longer word there is no match: patterns start and end on word boundaries.
        ("myidiot", None),
        ("nonidiotic", None),
        ("id iot", None),
    ],
)
def test_a_trailing_wildcard_matches_whole_words_that_start_with_the_pattern(text, expected):
    assert found("idiot*", text) == expected


@pytest.mark.parametrize(
    "pattern, text, expected",
    [("idiot", "You idiot!", "idiot"), ("idiot", "Idiots", None), ("idiot", "idiotic", None)],
)
def test_a_plain_word_matches_only_itself(pattern, text, expected):
    assert found(pattern, text) == expected


@pytest.mark.parametrize(
    "pattern, text, expected",
    [
        ("*hole", "what an Asshole", "Asshole"),
        ("*hole", "holes everywhere", None),
        ("*hole", "a hole", "hole"),
        ("f*k", "what the fork", "fork"),
        ("f*k", "fine thank", None),
    ],
)
def test_wildcards_at_the_start_and_in_the_middle_stay_within_one_word(pattern, text, expected):
    assert found(pattern, text) == expected


@pytest.mark.parametrize(
    "pattern, text, expected",
    [
        ("Fake News", "that is FAKE NEWS again", "FAKE NEWS"),
        ("fake news", "fake newsletter", None),
        ("don't care", "I don't care", "don't care"),
        ("  kys  ", "just kys", "kys"),
    ],
)
def test_phrases_apostrophes_and_case(pattern, text, expected):
    assert found(pattern, text) == expected


def test_regex_characters_are_taken_literally_or_refused():
    assert found("a-b", "a-b") == "a-b"
    assert found("a-b", "axb") is None


@pytest.mark.parametrize("pattern", ["", "   ", "*", "** *", "a.b", "foo(", "x|y", "<b>", "[ab]"])
def test_bad_patterns_are_refused(pattern, moderator, space):
    with pytest.raises(watched.BadPattern):
        watched.to_regex(pattern)
    with pytest.raises(watched.BadPattern):
        watched.add_word(moderator, space, pattern, "flag")
    assert not WatchedWord.objects.exists()
    assert not ModerationEvent.objects.filter(action="watched_word_set").exists()


def test_an_unknown_action_is_refused(moderator, space):
    with pytest.raises(watched.BadPattern, match="Choose flag, hold or block."):
        watched.add_word(moderator, space, "pineapple", "delete")
    assert not WatchedWord.objects.exists()


def test_adding_a_word_stores_it_lowercased_and_logs_it(moderator, space):
    word = watched.add_word(moderator, space, "  PineApple*  ", "flag")
    assert word.pattern == "pineapple*" and word.essay == space and word.created_by == moderator
    event = last_event("watched_word_set")
    assert event.actor == moderator and event.essay_id == space.pk
    assert event.after == {"pattern": "pineapple*", "action": "flag", "site_wide": False}
    # Setting it again changes its action; it stays one word.
    watched.add_word(moderator, space, "pineapple*", "block")
    assert WatchedWord.objects.get().action == "block"
    watched.remove_word(moderator, fresh(word))
    assert not WatchedWord.objects.exists()
    assert last_event("watched_word_removed").before == {
        "pattern": "pineapple*",
        "action": "block",
        "site_wide": False,
    }


def test_the_strongest_action_wins(moderator, space):
    watched.add_word(moderator, space, "pineapple*", "flag")
    watched.add_word(moderator, space, "durian", "hold")
    watched.add_word(moderator, space, "kumquat", "block")
    words = watched.words_for(space)
    text = "pineapples, durian and a kumquat"
    assert [w.action for w, _ in watched.matches(text, words)] == ["block", "hold", "flag"]
    assert watched.strongest(watched.matches(text, words)) == "block"
    assert watched.strongest(watched.matches("pineapple and durian", words)) == "hold"
    assert watched.strongest(watched.matches("a plain text", words)) is None


def test_highlight_spans():
    spans = watched.highlight_spans("Pineapples and durian, pineapple.", ["pineapple*", "durian"])
    assert spans == [
        ("Pineapples", True),
        (" and ", False),
        ("durian", True),
        (", ", False),
        ("pineapple", True),
        (".", False),
    ]
    assert watched.highlight_spans("No words.", []) == [("No words.", False)]


# --- block ------------------------------------------------------------------------------------


def test_a_block_word_refuses_the_post_with_the_word(moderator, space, author):
    watched.add_word(moderator, space, "kumquat*", "block")
    before = Comment.objects.count()
    response = reply(client_for(author), space, "I love Kumquats so much.")
    assert response.status_code == 400
    assert "This space does not allow “Kumquats”. Please rephrase and post again." in form_errors(
        response
    )
    assert Comment.objects.count() == before
    assert not Case.objects.exists()
    assert not Notice.objects.exists()
    # Without the word the same author posts.
    assert reply(client_for(author), space, "I love plums so much.").status_code == 302


def test_a_block_word_also_refuses_a_reply(moderator, space, author, comment):
    watched.add_word(moderator, space, "kumquat", "block")
    response = reply(client_for(author), space, "kumquat", parent=comment)
    assert response.status_code == 400
    assert comment.get_descendant_count() == fresh(comment).get_descendant_count() == 0


# --- hold -------------------------------------------------------------------------------------


def test_a_hold_word_keeps_the_comment_waiting_for_a_moderator(moderator, space, author, flagger):
    watched.add_word(moderator, space, "durian*", "hold")
    response = reply(client_for(author), space, "Durians smell wonderful to me.")
    assert response.status_code == 302
    comment = Comment.objects.get(body="Durians smell wonderful to me.")
    assert comment.status == Comment.Status.PENDING and comment.author == author

    case = Case.objects.get(comment=comment)
    assert case.origin == Case.Origin.WATCHED_WORD and case.opened_by is None
    assert case.state == Case.State.OPEN and case.watched_words == ["durian*"]
    event = last_event("case_opened")
    assert event.actor is None and event.case_id == case.pk
    assert event.reason == "watched words: hold"

    [notice] = Notice.objects.filter(user=author)
    assert "waiting for a moderator" in notice.body and notice.body.startswith("Thank you")
    assert "durian" not in notice.body.lower()
    assert notice.link == comment.get_absolute_url()

    follow = client_for(author).get(f"/essays/{space.slug}/")
    assert "Durians smell wonderful" in html_of(follow)
    assert "Only you can see this comment for now" in html_of(follow)
    for viewer in (client_for(flagger), client_for()):
        page = html_of(viewer.get(f"/essays/{space.slug}/"))
        assert "Durians smell wonderful" not in page
        assert f'id="c{comment.pk}"' not in page


def test_the_author_is_told_kindly_on_the_page(moderator, space, author):
    watched.add_word(moderator, space, "durian", "hold")
    response = client_for(author).post(
        f"/essays/{space.slug}/reply/", {"body": "A durian."}, follow=True
    )
    assert flashes(response) == ["Thank you. Your comment is waiting for a moderator."]


def test_a_moderator_approves_a_held_comment_from_the_case_page(moderator, space, author, flagger):
    watched.add_word(moderator, space, "durian", "hold")
    reply(client_for(author), space, "A durian for everyone.")
    comment = Comment.objects.get(body="A durian for everyone.")
    case = Case.objects.get(comment=comment)
    client = client_for(moderator)
    html = html_of(client.get(f"/moderation/cases/{case.pk}/"))
    assert "This comment is waiting for approval (watched word)." in html
    assert "Approve and show it" in html
    assert "awaiting approval" in html_of(client.get("/moderation/"))

    response = case_action(client, case, "approve")
    assert flashes(response) == ["The comment is approved and shown."]
    assert fresh(comment).status == Comment.Status.VISIBLE
    case = fresh(case)
    assert case.state == Case.State.RESOLVED and case.outcome == Case.Outcome.NO_ACTION
    assert case.resolved_by == moderator
    assert last_event("comment_approved").actor == moderator
    assert last_event("comment_approved").after == {"status": "visible"}
    assert "Approve and show it" not in html_of(response)
    assert Notice.objects.filter(user=author, body__contains="approved").count() == 1
    assert "A durian for everyone." in html_of(client_for(flagger).get(f"/essays/{space.slug}/"))
    assert "A durian for everyone." in html_of(client_for().get(f"/essays/{space.slug}/"))


def test_only_a_waiting_comment_is_approved(moderator, case):
    with pytest.raises(workflow.Refused, match="not waiting for approval"):
        workflow.approve(moderator, case)
    assert fresh(case).state == Case.State.OPEN
    assert not ModerationEvent.objects.filter(action="comment_approved").exists()


def test_a_held_comment_can_be_hidden_instead(moderator, space, author):
    watched.add_word(moderator, space, "durian", "hold")
    reply(client_for(author), space, "A durian.")
    case = Case.objects.get(comment__body="A durian.")
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="spam")
    assert fresh(case.comment).status == Comment.Status.HIDDEN
    with pytest.raises(workflow.Refused):
        workflow.approve(moderator, case)


def test_nobody_else_can_approve(space, author, flagger, moderator):
    watched.add_word(moderator, space, "durian", "hold")
    reply(client_for(author), space, "A durian.")
    case = Case.objects.get(comment__body="A durian.")
    for user in (author, flagger):
        response = client_for(user).post(
            f"/moderation/cases/{case.pk}/approve/", {"version": case.version}
        )
        assert response.status_code == 403
    assert fresh(case.comment).status == Comment.Status.PENDING


# --- flag -------------------------------------------------------------------------------------


def test_a_flag_word_posts_and_opens_a_system_case_with_highlights(moderator, space, author):
    watched.add_word(moderator, space, "pineapple*", "flag")
    response = reply(client_for(author), space, "Pineapples belong on pizza, said the pineapple.")
    assert response.status_code == 302
    comment = Comment.objects.get(author=author)
    assert comment.status == Comment.Status.VISIBLE
    case = Case.objects.get(comment=comment)
    assert case.origin == Case.Origin.WATCHED_WORD and case.opened_by is None
    assert case.watched_words == ["pineapple*"] and case.flag_count == 0
    assert not Notice.objects.filter(user=author).exists()

    html = html_of(client_for(moderator).get(f"/moderation/cases/{case.pk}/"))
    assert "Watched words found (pineapple*)" in html
    assert "<mark>Pineapples</mark> belong on pizza, said the <mark>pineapple</mark>." in html
    assert "Opened by callin itself (watched word), without a flag." in html


def test_a_flag_word_joins_an_open_case(moderator, space, author, flagger):
    """Editing is not posting, so take a flagged case and post a second flagged comment."""
    watched.add_word(moderator, space, "pineapple", "flag")
    reply(client_for(author), space, "One pineapple.")
    reply(client_for(author), space, "Another pineapple.")
    assert Case.objects.filter(origin=Case.Origin.WATCHED_WORD).count() == 2


def test_text_without_watched_words_opens_nothing(moderator, space, author):
    watched.add_word(moderator, space, "pineapple", "flag")
    reply(client_for(author), space, "Pineapples are plural.")
    assert Comment.objects.get(author=author).status == Comment.Status.VISIBLE
    assert not Case.objects.exists()


# --- site-wide words ---------------------------------------------------------------------------


def test_site_wide_words_apply_to_every_space_and_space_words_to_one(moderator, author):
    first = Essay.objects.create(slug="first", title="First")
    second = Essay.objects.create(slug="second", title="Second")
    watched.add_word(moderator, None, "kumquat", "block")
    watched.add_word(moderator, first, "durian", "block")
    assert last_event("watched_word_set").after["site_wide"] is False
    assert WatchedWord.objects.get(pattern="kumquat").essay is None

    client = client_for(author)
    for space in (first, second):
        assert reply(client, space, "A kumquat.").status_code == 400
    assert reply(client, first, "A durian.").status_code == 400
    assert reply(client, second, "A durian.").status_code == 302
    assert list(Comment.objects.values_list("essay__slug", "body")) == [("second", "A durian.")]


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_import_and_export_round_trip(moderator):
    first = Essay.objects.create(slug="first", title="First")
    second = Essay.objects.create(slug="second", title="Second")
    text = "pattern,action\nPineapple*,flag\ndurian, Hold\n\nkumquat,block\n"
    assert watched.import_csv(moderator, first, text) == {"added": 3, "changed": 0, "unchanged": 0}
    exported = watched.export_csv(first)
    assert exported.splitlines() == [
        "pattern,action",
        "durian,hold",
        "kumquat,block",
        "pineapple*,flag",
    ]
    assert watched.import_csv(moderator, second, exported)["added"] == 3
    assert watched.export_csv(second) == exported
    assert ModerationEvent.objects.filter(action="watched_word_set").count() == 6
    # Importing the same file again changes nothing and logs nothing.
    assert watched.import_csv(moderator, second, exported) == {
        "added": 0,
        "changed": 0,
        "unchanged": 3,
    }
    assert ModerationEvent.objects.filter(action="watched_word_set").count() == 6
    # Site-wide words are exported on their own.
    assert watched.export_csv(None).splitlines() == ["pattern,action"]


def test_csv_import_without_a_header_and_with_quotes(moderator, space):
    assert watched.import_csv(moderator, space, '\ufeff"fake news",hold\r\nkys,block\r\n') == {
        "added": 2,
        "changed": 0,
        "unchanged": 0,
    }
    assert set(WatchedWord.objects.values_list("pattern", "action")) == {
        ("fake news", "hold"),
        ("kys", "block"),
    }


@pytest.mark.parametrize(
    "bad_row, message",
    [
        ("a.b,flag", "line 3: “a.b”: use letters, digits, spaces"),
        ("durian,delete", "line 3: Choose flag, hold or block."),
        ("durian,", "line 3: Choose flag, hold or block."),
        ("durian,hold,extra", "line 3: expected two columns, pattern and action (found 3)"),
        ("durian", "line 3: expected two columns, pattern and action (found 1)"),
        ("pineapple,block", "line 3: “pineapple” is already on line 2 with another action"),
        (
            "x" * 101 + ",flag",
            "line 3: “xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…”: a watched word is at most",
        ),
        ("pattern,action", "line 3: Choose flag, hold or block."),
    ],
)
def test_csv_import_is_all_or_nothing(moderator, space, bad_row, message):
    watched.add_word(moderator, space, "existing", "flag")
    events = ModerationEvent.objects.count()
    text = f"pattern,action\npineapple,flag\n{bad_row}\nkumquat,block\n"
    with pytest.raises(watched.BadPattern) as info:
        watched.import_csv(moderator, space, text)
    assert str(info.value).startswith(message)
    assert list(WatchedWord.objects.values_list("pattern", flat=True)) == ["existing"]
    assert ModerationEvent.objects.count() == events


def test_csv_line_numbers_count_blank_lines_and_the_header(moderator, space):
    with pytest.raises(watched.BadPattern, match=r"^line 6: "):
        watched.import_csv(moderator, space, "pattern,action\n\nok,flag\n\n \nb@d,flag\n")
    with pytest.raises(watched.BadPattern, match=r"^line 1: "):
        watched.import_csv(moderator, space, "b@d,flag\n")
    assert not WatchedWord.objects.exists()


def test_the_same_word_twice_with_the_same_action_is_one_word(moderator, space):
    assert watched.import_csv(moderator, space, "durian,hold\nDurian,hold\n")["added"] == 1
    assert WatchedWord.objects.get().pattern == "durian"


def test_changing_an_action_logs_the_old_one(moderator, space):
    watched.add_word(moderator, space, "durian", "flag")
    assert watched.import_csv(moderator, space, "durian,block\n")["changed"] == 1
    event = last_event("watched_word_set")
    assert event.before == {"action": "flag"} and event.after["action"] == "block"


def test_removing_a_word_twice_is_refused_the_second_time(moderator, space):
    word = watched.add_word(moderator, space, "durian", "flag")
    watched.remove_word(moderator, word)
    with pytest.raises(watched.BadPattern, match="no longer watched"):
        watched.remove_word(moderator, word)
    assert ModerationEvent.objects.filter(action="watched_word_removed").count() == 1


# --- "test a text" --------------------------------------------------------------------------


def test_check_text_lists_every_match_and_the_strongest_action(moderator, space):
    watched.add_word(moderator, space, "durian*", "hold")
    watched.add_word(moderator, None, "pineapple", "flag")
    watched.add_word(moderator, space, "plum", "flag")
    result = watched.check_text("Durians, a pineapple and more durian.", watched.words_for(space))
    assert [(w.pattern, hits) for w, hits in result.found] == [
        ("durian*", ["Durians", "durian"]),
        ("pineapple", ["pineapple"]),
    ]
    assert result.action == "hold" and result.refusal == ""
    assert [piece for piece, hit in result.spans if hit] == ["Durians", "pineapple", "durian"]


def test_check_text_says_what_a_blocked_reader_reads(moderator, space):
    watched.add_word(moderator, space, "kumquat*", "block")
    result = watched.check_text("Kumquats!", watched.words_for(space))
    assert result.action == "block"
    assert result.refusal == "This space does not allow “Kumquats”. Please rephrase and post again."
    nothing = watched.check_text("Plums.", watched.words_for(space))
    assert (nothing.found, nothing.action, nothing.spans) == ([], None, [("Plums.", False)])


def test_one_site_wide_word_per_pattern_even_at_the_same_moment(moderator, monkeypatch):
    from django.db import IntegrityError, transaction
    from django.db.models.query import QuerySet

    watched.add_word(moderator, None, "kumquat", "flag")
    with pytest.raises(IntegrityError), transaction.atomic():
        WatchedWord.objects.create(essay=None, pattern="kumquat", action="block")
    # Someone else's insert lands between the lookup and ours: a clear refusal, no 500.
    monkeypatch.setattr(QuerySet, "first", lambda self: None)
    with pytest.raises(watched.BadPattern, match="was just set by someone else"):
        watched.add_word(moderator, None, "kumquat", "block")
    monkeypatch.undo()
    assert list(WatchedWord.objects.values_list("pattern", "action")) == [("kumquat", "flag")]
    assert ModerationEvent.objects.filter(action="watched_word_set").count() == 1
