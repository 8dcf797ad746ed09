"""The words a queue row shows (``moderation.snippets``): the flagged part, in context."""

from moderation.snippets import SNIPPET_LENGTH, flagged_part

LONG_START = "We can discuss tactics and such, but the players must share one end goal. " * 3


def test_a_short_comment_is_shown_whole_with_the_evidence_marked():
    signals = [{"code": "group", "weight": 0.7, "evidence": ["never listen"]}]
    text = "Honestly, you people never listen and never will."
    assert flagged_part(text, (), signals) == (
        "Honestly, you people ",
        "never listen",
        " and never will.",
    )


def test_a_long_comment_is_cut_around_the_evidence():
    signals = [
        {"code": "caps", "weight": 0.2, "evidence": ["We can"]},
        {"code": "group", "weight": 0.72, "evidence": ["Never trust liberals"]},
    ]
    text = LONG_START + "Never trust liberals! They don't care about many other groups."
    before, marked, after = flagged_part(text, (), signals)
    assert marked == "Never trust liberals"  # the strongest signal's evidence
    assert before.startswith("…") and not before.startswith("…We can discuss")
    assert after == "! They don't care about many other groups."
    assert len(before + marked + after) <= SNIPPET_LENGTH + 2


def test_a_watched_word_comes_before_the_heat_evidence():
    signals = [{"code": "group", "weight": 0.9, "evidence": ["you people"]}]
    text = "You people are all sheeple, I say."
    assert flagged_part(text, ["sheep*"], signals)[1] == "sheeple"


def test_evidence_not_found_in_the_text_shows_its_start():
    text = "A calm remark. " * 20
    before, marked, after = flagged_part(text, ["idiot*"], [{"weight": 1, "evidence": ["gone"]}])
    assert marked == after == ""
    assert before.startswith("A calm remark.") and before.endswith("…")
    assert len(before) <= SNIPPET_LENGTH + 1


def test_line_breaks_read_as_spaces():
    assert flagged_part("One line.\n\nAnother   line.") == ("One line. Another line.", "", "")
