"""heat: the score and its signals, the classifier, and the scores imports store."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

import heat
from heat import scoring
from heat.classifier import TOKEN, load_classifier, tokens
from heat.matching import Text
from moderation.models import Case
from threads import posting
from threads.importing.loading import import_comments
from threads.importing.parsing import parse_comment_page
from threads.models import Comment

HEATED = "You're an idiot and your argument is garbage."
CALM = "I see it differently, but thank you for writing this."


def codes(text):
    return {s["code"] for s in heat.score_text(text)[1]}


# --- the score -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("Honestly, you are such a clueless fool.", "insult", "insult aimed at a person"),
        ("WHY DOES NOBODY HERE EVER LISTEN TO ANYONE", "caps", "all caps (reads as shouting)"),
        ("Socialists never think about costs.", "group", "sweeping claim about a group"),
        ("More on this at https://example.org/a-study", "link", "link to an outside site"),
        ("I know where you live, so watch your back.", "threat", "threat or wish of harm"),
        ("Shut up, nobody asked.", "dismissive", "dismissive or mocking phrasing"),
        ("You clearly didn't read it, so stop lying.", "bad_faith", "accuses someone of bad faith"),
        ("Shame on you for saying so.", "shaming", "shaming or scolding a person"),
        ("What the fuck is this shit", "offensive", "offensive or vulgar language"),
        ("Really?! No way!!", "exclamation", "repeated exclamation marks"),
    ],
)
def test_each_signal_fires_and_explains_itself_in_plain_words(text, code, label):
    value, signals = heat.score_text(text)
    found = {s["code"]: s for s in signals}
    assert code in found, signals
    signal = found[code]
    assert signal["label"] == label == heat.LABELS[code]
    assert 0 < signal["weight"] <= 1
    assert signal["evidence"] and all(isinstance(e, str) and e for e in signal["evidence"])
    assert 0 < value <= 1


def test_is_heated_is_strictly_above_the_threshold_and_summary_names_the_signals():
    assert heat.is_heated(0.71, 0.7) and not heat.is_heated(0.7, 0.7)
    assert not heat.is_heated(None, 0.7)  # never scored
    _, signals = heat.score_text("You're an idiot!!!")
    assert heat.signal_summary(signals) == "; ".join(s["label"] for s in signals)
    assert heat.signal_summary(signals).startswith("insult aimed at a person; ")
    assert heat.signal_summary([]) == ""


def test_signals_stay_separate_and_more_of_them_never_cool_a_text():
    one, _ = heat.score_text("You people never listen.")
    both, signals = heat.score_text("You people never listen. YOU ARE ALL COMPLETE IDIOTS!!!")
    assert {"group", "insult", "caps", "exclamation"} <= {s["code"] for s in signals}
    assert both >= one > settings.HEAT_THRESHOLD
    assert [s["weight"] for s in signals] == sorted((s["weight"] for s in signals), reverse=True)


@pytest.mark.parametrize(
    "text",
    [
        # critical but respectful disagreement: calm
        "I think you're wrong about the strike, and here is why: the union voted first.",
        "Respectfully, this essay misreads the history of the movement.",
        "I strongly disagree with the conclusion, though the diagnosis is sharp.",
        "Your argument would be stronger with evidence; right now it reads as a hunch.",
        "This is a weak section. The claim about membership needs a source.",
        "I don't think the author is being fair to people who were harmed.",
        "Many liberals I organize with would push back on this, and I think they'd be right.",
        'Saying "you people" to anyone is exactly the habit this essay asks us to drop.',
        "We can disagree about tactics without doubting each other's motives.",
    ],
)
def test_critical_but_respectful_disagreement_scores_low(text):
    value, signals = heat.score_text(text)
    assert value <= 0.65, signals
    assert not signals or all(s["weight"] < 0.5 for s in signals)
    assert not heat.is_heated(value, settings.HEAT_THRESHOLD)


def test_calling_oneself_names_is_no_insult_at_a_person():
    value, signals = heat.score_text(
        "I was an idiot about this for years; the essay changed my mind."
    )
    assert "insult" not in {s["code"] for s in signals}
    assert not heat.is_heated(value, settings.HEAT_THRESHOLD)  # the classifier alone: 0.64


def test_heat_is_bounded_deterministic_and_the_batch_matches_one_by_one():
    texts = [HEATED, CALM, "", "   ", "!!!!!!!!", "A" * 5000, "you " * 3000, "ÀÉÎ 🙏 “quoted”"]
    texts += ["\ud800 A LONE SURROGATE \udfff", "\x00\x01", "İİİİ", "\u200b" * 50]
    one_by_one = [heat.score_text(t) for t in texts]
    assert heat.score_texts(texts) == one_by_one
    assert heat.score_texts([]) == []
    for value, signals in one_by_one:
        assert 0 <= value <= 1
        json.dumps(signals)  # stored in a JSONField
    assert heat.score_text("")[0] == 0


def test_the_batch_names_the_models_reasons_as_one_by_one(monkeypatch):
    """A batch works out the reasons for its high scores that no rule explains at once;
    each must be what the text gets alone."""
    path = settings.BASE_DIR / "fixtures" / "heat" / "contempt.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text().splitlines()[:120]]
    one_by_one = [heat.score_text(t) for t in texts]
    explained, batch_reasons = [], scoring._model_reasons

    def counting(model, some, values):
        explained.extend(some)
        return batch_reasons(model, some, values)

    monkeypatch.setattr(scoring, "_model_reasons", counting)
    assert heat.score_texts(texts) == one_by_one
    assert len(explained) > 20


@pytest.mark.parametrize(
    "text",
    [
        "see https://a.b/c, www.x.com and foo.io! (http://localhost) a.com.b.org",
        "x-y.example\u00a0z.net\u2003b.ly/x nope.coms -a.co_ İ.İo ıo.com http:// WWW.A",
        "end.\n\nnext.info\tlast.me",
    ],
)
def test_links_are_found_word_by_word_as_the_pattern_finds_them(text):
    assert scoring._links(text) == scoring.LINK.findall(text)


def test_score_text_returns_copies_that_callers_may_change():
    _, signals = heat.score_text(HEATED)
    signals[0]["label"] = "changed"
    signals[0]["evidence"].append("changed")
    assert heat.score_text(HEATED)[1][0]["label"] != "changed"
    assert "changed" not in heat.score_text(HEATED)[1][0]["evidence"]


def test_the_classifier_gives_the_packaged_models_own_probabilities():
    """The model ships inside alt-profanity-check; evaluated here without its per-call
    overhead, it must give the package's own numbers."""
    from profanity_check import predict_prob

    model = load_classifier()
    assert model.fast
    texts = [
        HEATED,
        CALM,
        "What a load of crap",
        "don’t “quote” me — emoji 🙏 and naïve accents",
        "Go to hell",
        "Thank you, this is lovely",
        "",
    ]
    expected = list(predict_prob(texts))
    words = [Text(t).words for t in texts]
    assert model.probs(texts) == pytest.approx(expected, abs=1e-9)
    assert [model.prob(w)[0] for w in words] == pytest.approx(expected, abs=1e-9)


def test_fast_tokens_match_the_classifiers_token_pattern():
    texts = [HEATED, "don’t “quote” — it… 12 a_b x", "ÀÉ naïve 🙏🏼 ok", "tab\there\nnew", ""]
    for text in texts:
        lower = text.lower()
        assert [w for w in tokens(lower) if len(w) > 1] == TOKEN.findall(lower)


def test_quoted_and_hedged_claims_are_not_sweeping():
    assert "group" in codes("Liberals are always the problem.")
    assert "group" not in codes("Many liberals are allies, and some are not.")
    assert "group" not in codes("He said “liberals are always the problem” and I disagree.")


# --- imports -----------------------------------------------------------------------------------

PAGE = f"""3 Comments

Thank you for this, it helped.

Expand full comment

{HEATED}

Expand full comment

{CALM}

Expand full comment
"""


def test_import_scores_every_comment_in_batches_and_opens_no_case(essay):
    with transaction.atomic():
        created, _ = import_comments(essay, parse_comment_page(PAGE, "page.txt"))
    assert created == 3
    scored = {c.body: (c.heat, c.heat_signals) for c in Comment.objects.all()}
    assert scored == {body: heat.score_text(body) for body in scored}
    assert scored[HEATED][0] > 0.7
    assert not Case.objects.exists()  # imported history is scored, not queued


def test_seed_fixture_carries_the_scores_the_importer_gives(seeded):
    comments = list(Comment.objects.filter(essay__slug="calling-in"))
    assert len(comments) == 12
    for comment in comments:
        scored = heat.score_text(comment.body)
        assert (comment.heat, comment.heat_signals) == scored, comment.body[:40]
    hot = Comment.objects.get(body__contains="Never trust liberals")
    assert hot.heat > 0.7 and hot.heat_signals[0]["code"] == "group"


def test_score_heat_command_fills_in_missing_scores(essay, author, capsys):
    with override_settings(HEAT_SCORING=False):
        comment = posting.post_comment(essay, author, HEATED)
    call_command("score_heat", "--missing", "--essay", essay.slug)
    comment.refresh_from_db()
    assert (comment.heat, comment.heat_signals) == heat.score_text(HEATED)
    assert "Scored 1 comment." in capsys.readouterr().out
    assert not Case.objects.exists()


def test_shipped_labelled_set_is_at_hand():
    path = Path(settings.BASE_DIR) / "fixtures/heat/labelled.jsonl"
    assert path.exists()


def test_heat_imports_neither_django_nor_the_apps():
    code = (
        "import sys, heat; heat.score_text('You absolute idiot!!'); "
        "apps = {'django', 'threads', 'moderation'}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & apps))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
