"""Heat that sees contempt: the new rule signals, the frozen split's floors, and seed 000."""

import json
from pathlib import Path

import pytest
from django.conf import settings

import heat
from threads.models import Comment

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "heat"


def rows(name, split=None):
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    found = [json.loads(line) for line in lines if line.strip()]
    return [r for r in found if split is None or r["split"] == split]


def figures(items, threshold):
    scores = [h for h, _ in heat.score_texts([r["text"] for r in items])]
    tp = sum(h > threshold and r["heated"] for h, r in zip(scores, items, strict=True))
    fp = sum(h > threshold and not r["heated"] for h, r in zip(scores, items, strict=True))
    fn = sum(not h > threshold and r["heated"] for h, r in zip(scores, items, strict=True))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        ("Congrats on discovering that rent is high. Want a medal?", "mockery", "Want a medal"),
        ("Honestly, you should just log off.", "silencing", "log off"),
        ("Nobody asked you. Sit this one out.", "silencing", "Sit this one out"),
        ("You're a disgrace to this union.", "condemning", "You're a disgrace"),
        ("I wonder what your landlord would think of these posts.", "exposure", "landlord"),
        ("Screenshots taken. Everyone is going to know.", "exposure", "Screenshots taken"),
        ("ok boomer, the world moved on", "identity", "ok boomer"),
        ("Of course the guy with the tenure track job thinks we should wait.", "identity", "guy"),
        ("You sound like a cop.", "enemy", "You sound like a cop"),
        ("Hi officer. Asking for the budget again?", "enemy", "Hi officer"),
    ],
)
def test_each_kind_of_contempt_has_a_rule_that_names_it_in_plain_words(text, code, evidence):
    value, signals = heat.score_text(text)
    found = {s["code"]: s for s in signals}
    assert code in found, signals
    assert found[code]["label"] == heat.LABELS[code]
    assert any(evidence in e for e in found[code]["evidence"]), found[code]["evidence"]
    assert heat.is_heated(value, settings.HEAT_THRESHOLD)


@pytest.mark.parametrize(
    "text",
    [
        "My brother is a cop and we talked about this essay over dinner.",
        "I was a coward during the strike and I'm still ashamed of it.",
        'The word "traitor" gets thrown around here a lot and I think it is harmful.',
        "I'm going to log off for tonight and answer tomorrow when I'm calmer.",
        "I'm done with this thread. Thanks to everyone who engaged in good faith.",
        "The police as an institution protect property first, and it makes me furious.",
        "Hard disagree: the essay never asks anyone to tolerate abuse, and here is why.",
    ],
)
def test_the_civil_counterparts_stay_calm(text):
    value, signals = heat.score_text(text)
    assert not heat.is_heated(value, settings.HEAT_THRESHOLD), signals
    new = {"mockery", "silencing", "condemning", "exposure", "identity", "enemy"}
    assert not new & {s["code"] for s in signals if s["weight"] >= 0.5}


@pytest.mark.parametrize(
    "text",
    [
        "Could you post the agenda before Friday?",
        "See you at the assembly, bring your neighbours.",
        "Did you end up calling the housing office?",
        "You have a point about the dues, I'll raise it with the treasurer.",
        "Hope you and the kids are doing okay after the move.",
        "I disagree with you about the timeline, and I think the minutes show it.",
    ],
)
def test_short_civil_replies_to_you_stay_calm(text):
    """The corpus's heated texts were shorter and said "you" more than its civil ones, and the
    model had learned that (these scored 0.76 to 0.98); civil texts of that shape now train it."""
    value, signals = heat.score_text(text)
    assert not heat.is_heated(value, settings.HEAT_THRESHOLD), (value, signals)


@pytest.mark.parametrize(
    "text",
    [
        "Shut up, clown.",
        "Get out of here, fed.",
        "Grifter gonna grift.",
        "Scab behaviour, as always.",
        "Brain the size of a pea.",
        "Dumbest take on this site.",
    ],
)
def test_short_heated_replies_that_name_no_one_stay_heated(text):
    """Three to six words, no "you" and no name. The last two fire no rule of contempt (their
    signals alone give 0 and 0.61): scoring such texts by their signals, the fix tried for short
    plain replies (docs/heat.md, "Short replies"), would lose them, as it lost training texts."""
    value, signals = heat.score_text(text)
    assert heat.is_heated(value, settings.HEAT_THRESHOLD), (value, signals)


@pytest.mark.parametrize(
    ("text", "code", "evidence"),
    [
        ("Reply again and I'm posting your DMs in the tenants' chat.", "exposure", "your DMs"),
        ("That account of yours won't stay anonymous much longer.", "exposure", "anonymous"),
        ("One more post and I'm done being discreet.", "exposure", "One more post"),
        ("Sorry, tiny violin playing for how hard it is to be disagreed with.", "mockery", "tiny"),
        ("Thanks for the insight, Captain Obvious.", "mockery", "Captain Obvious"),
    ],
)
def test_threats_to_expose_and_stock_sarcasm_are_named(text, code, evidence):
    """Rules of exposure_threat and mockery added with the second round of features: the
    speaker handing over someone's messages or screenshots, a condition with a threat after
    it, taking away anonymity; stock sarcasm aimed at whoever it is said to."""
    value, signals = heat.score_text(text)
    found = {s["code"]: s for s in signals}
    assert code in found, signals
    assert any(evidence in e for e in found[code]["evidence"]), found[code]["evidence"]
    assert heat.is_heated(value, settings.HEAT_THRESHOLD)


@pytest.mark.parametrize(
    "text",
    [
        "I'm sending the screenshots to the moderators so they can look at it.",
        "I'm posting the screenshots of the rent notice in the group chat so everyone sees it.",
        "I'll share my screenshots of the rent survey at the meeting.",
        "One more thing and then I will stop: the dues question matters.",
        "The landlord association strikes again: another rent hike.",
        "Our resident expert on co-ops, Mara, will run the workshop on Friday.",
    ],
)
def test_what_those_rules_leave_civil(text):
    """Reports to the moderators, one's own screenshots, sarcasm at an institution."""
    value, signals = heat.score_text(text)
    assert not heat.is_heated(value, settings.HEAT_THRESHOLD), (value, signals)
    assert not {"exposure", "mockery"} & {s["code"] for s in signals}


def test_the_frozen_split_at_the_configured_threshold():
    """As measured when the model was fitted (docs/heat.md): precision 0.989, recall 0.867,
    F1 0.924 on the 591 texts never used for training (the goals: precision 0.95, F1 0.92)."""
    precision, recall, f1 = figures(rows("contempt.jsonl", "test"), settings.HEAT_THRESHOLD)
    assert precision >= 0.95
    assert recall >= 0.86
    assert f1 >= 0.92


def test_the_older_labelled_set_at_the_configured_threshold():
    """Measured: F1 0.990 on all 200 texts (precision 1.00), 0.969 on the 66 of the holdout
    (0.918 before the fourth round of training texts: docs/heat.md)."""
    precision, recall, f1 = figures(rows("labelled.jsonl"), settings.HEAT_THRESHOLD)
    assert precision >= 0.95 and f1 >= 0.97
    _, _, holdout_f1 = figures(rows("labelled.jsonl", "holdout"), settings.HEAT_THRESHOLD)
    assert holdout_f1 >= 0.94


def test_seed_000_firm_replies_and_critique_stay_below_and_the_sweeping_claim_above(seeded):
    comments = list(Comment.objects.filter(essay__slug="calling-in").order_by("pk"))
    by_name = {c.author_name: c for c in comments}
    essay_threshold = comments[0].essay.heat_threshold
    lowest = min(essay_threshold, settings.HEAT_THRESHOLD)
    highest = max(essay_threshold, settings.HEAT_THRESHOLD)
    # The essay author's firm replies (comments 9 and 10) and Reader 8's critique.
    for name in ("Reader 8", "Reader 9", "Reader 10"):
        value, _ = heat.score_text(by_name[name].body)
        assert value <= lowest, (name, value)
        assert by_name[name].heat == value  # the fixture carries the same score
    value, signals = heat.score_text(by_name["Reader 6"].body)
    assert "Never trust liberals!" in by_name["Reader 6"].body
    assert value > highest and signals[0]["code"] == "group"
