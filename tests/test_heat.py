"""moderation.heat: the score and its signals, system cases, imports, the queue and case pages."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from moderation import heat
from moderation.models import Case, ModerationEvent
from threads import posting
from threads.importers import import_comments, parse_comment_page
from threads.models import Comment

HEATED = "You're an idiot and your argument is garbage."
CALM = "I see it differently, but thank you for writing this."


def codes(text):
    return {s["code"] for s in heat.score(text)[1]}


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
    value, signals = heat.score(text)
    found = {s["code"]: s for s in signals}
    assert code in found, signals
    signal = found[code]
    assert signal["label"] == label == heat.LABELS[code]
    assert 0 < signal["weight"] <= 1
    assert signal["evidence"] and all(isinstance(e, str) and e for e in signal["evidence"])
    assert 0 < value <= 1


def test_signals_stay_separate_and_add_up():
    one, _ = heat.score("You people never listen.")
    both, signals = heat.score("You people never listen. YOU ARE ALL COMPLETE IDIOTS!!!")
    assert {"group", "insult", "caps", "exclamation"} <= {s["code"] for s in signals}
    assert both > one
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
    value, signals = heat.score(text)
    assert value <= 0.3, signals
    assert not heat.is_heated(value, settings.HEAT_THRESHOLD)


def test_calling_oneself_names_is_no_insult_at_a_person():
    value, signals = heat.score("I was an idiot about this for years; the essay changed my mind.")
    assert "insult" not in {s["code"] for s in signals}
    assert not heat.is_heated(value, settings.HEAT_THRESHOLD)  # the classifier alone: 0.64


def test_heat_is_bounded_deterministic_and_the_batch_matches_one_by_one():
    texts = [HEATED, CALM, "", "   ", "!!!!!!!!", "A" * 5000, "you " * 3000, "ÀÉÎ 🙏 “quoted”"]
    texts += ["\ud800 A LONE SURROGATE \udfff", "\x00\x01", "İİİİ", "\u200b" * 50]
    one_by_one = [heat.score(t) for t in texts]
    assert heat.score_many(texts) == one_by_one
    assert heat.score_many([]) == []
    for value, signals in one_by_one:
        assert 0 <= value <= 1
        json.dumps(signals)  # stored in a JSONField
    assert heat.score("")[0] == 0


def test_score_returns_copies_that_callers_may_change():
    _, signals = heat.score(HEATED)
    signals[0]["label"] = "changed"
    signals[0]["evidence"].append("changed")
    assert heat.score(HEATED)[1][0]["label"] != "changed"
    assert "changed" not in heat.score(HEATED)[1][0]["evidence"]


def test_the_classifier_gives_the_packaged_models_own_probabilities():
    """The model ships inside alt-profanity-check; evaluated here without its per-call
    overhead, it must give the package's own numbers."""
    from profanity_check import predict_prob

    model = heat.model()
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
    words = [heat._Text(t).words for t in texts]
    assert model.probs(texts) == pytest.approx(expected, abs=1e-9)
    assert [model.prob(w)[0] for w in words] == pytest.approx(expected, abs=1e-9)


def test_fast_tokens_match_the_classifiers_token_pattern():
    texts = [HEATED, "don’t “quote” — it… 12 a_b x", "ÀÉ naïve 🙏🏼 ok", "tab\there\nnew", ""]
    for text in texts:
        lower = text.lower()
        assert [w for w in heat.tokens(lower) if len(w) > 1] == heat.TOKEN.findall(lower)


def test_quoted_and_hedged_claims_are_not_sweeping():
    assert "group" in codes("Liberals are always the problem.")
    assert "group" not in codes("Many liberals are allies, and some are not.")
    assert "group" not in codes("He said “liberals are always the problem” and I disagree.")


# --- system cases ------------------------------------------------------------------------------


@pytest.fixture
def author(make_user):
    return make_user("author")


def test_a_heated_comment_opens_a_system_case_and_is_never_hidden(essay, author):
    comment = posting.post_comment(essay, author, HEATED)
    comment.refresh_from_db()
    assert comment.heat > essay.heat_threshold
    assert {s["code"] for s in comment.heat_signals} >= {"insult"}
    case = Case.objects.get(comment=comment)
    assert (case.origin, case.opened_by, case.state) == (Case.Origin.HEAT, None, Case.State.OPEN)
    event = ModerationEvent.objects.get(case=case, action="case_opened")
    assert event.actor is None
    assert event.reason.startswith("heated")
    assert "insult aimed at a person" in event.reason
    # Visible as such, never an automatic removal.
    assert comment.status == Comment.Status.VISIBLE
    assert not comment.visibility_paused
    assert not ModerationEvent.objects.filter(comment=comment, action="comment_hidden").exists()


def test_a_calm_comment_opens_nothing_but_is_scored(essay, author):
    comment = posting.post_comment(essay, author, CALM)
    comment.refresh_from_db()
    assert comment.heat is not None and comment.heat <= essay.heat_threshold
    assert not Case.objects.exists()


def test_the_threshold_is_the_spaces_own(essay, author):
    essay.heat_threshold = 0.99
    essay.save()
    posting.post_comment(essay, author, HEATED)
    assert not Case.objects.exists()
    essay.heat_threshold = 0.3
    essay.save()
    posting.post_comment(essay, author, "Socialists never think about costs.")  # heat 0.72
    assert Case.objects.get().origin == Case.Origin.HEAT


def test_new_spaces_take_the_configured_default_threshold(essay):
    assert essay.heat_threshold == settings.HEAT_THRESHOLD == 0.7


def test_editing_into_heat_opens_a_case_and_an_open_case_only_notes_it(essay, author):
    comment = posting.post_comment(essay, author, CALM)
    posting.edit_comment(comment, author, HEATED)
    comment.refresh_from_db()
    assert comment.heat > 0.7 and comment.revisions.count() == 1
    case = Case.objects.get(comment=comment, origin=Case.Origin.HEAT)
    posting.edit_comment(comment, author, HEATED + " Seriously, you people.")
    assert Case.objects.filter(comment=comment).count() == 1
    noted = ModerationEvent.objects.get(case=case, action="heat_noted")
    assert noted.actor is None and noted.reason.startswith("heated")
    posting.edit_comment(comment, author, CALM + " Sorry.")
    comment.refresh_from_db()
    assert comment.heat <= 0.7  # the case stays for the moderators to close


def test_prompts_and_bridging_notes_open_no_case(essay, author):
    for kind in (Comment.Kind.PROMPT, Comment.Kind.BRIDGE):
        comment = posting.post_comment(essay, author, HEATED, kind=kind, author_name="Mods")
        assert comment.heat > 0.7
    assert not Case.objects.exists()


@override_settings(HEAT_SCORING=False)
def test_scoring_can_be_switched_off(essay, author):
    comment = posting.post_comment(essay, author, HEATED)
    comment.refresh_from_db()
    assert (comment.heat, comment.heat_signals) == (None, [])
    assert not Case.objects.exists()


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
    assert scored == {body: heat.score(body) for body in scored}
    assert scored[HEATED][0] > 0.7
    assert not Case.objects.exists()  # imported history is scored, not queued


def test_seed_fixture_carries_the_scores_the_importer_gives(seeded):
    comments = list(Comment.objects.filter(essay__slug="calling-in"))
    assert len(comments) == 12
    for comment in comments:
        assert (comment.heat, comment.heat_signals) == heat.score(comment.body), comment.body[:40]
    hot = Comment.objects.get(body__contains="Never trust liberals")
    assert hot.heat > 0.7 and hot.heat_signals[0]["code"] == "group"


def test_score_heat_command_fills_in_missing_scores(essay, author, capsys):
    with override_settings(HEAT_SCORING=False):
        comment = posting.post_comment(essay, author, HEATED)
    call_command("score_heat", "--missing", "--essay", essay.slug)
    comment.refresh_from_db()
    assert (comment.heat, comment.heat_signals) == heat.score(HEATED)
    assert "Scored 1 comment." in capsys.readouterr().out
    assert not Case.objects.exists()


# --- moderators' pages ---------------------------------------------------------------------------


@pytest.fixture
def moderator_client(client, make_user):
    from django.contrib.auth.models import Permission

    moderator = make_user("mod")
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["moderate_case", "open_case"])
    )
    client.force_login(moderator)
    return client


def test_queue_sorts_by_heat_and_shows_badges(essay, author, moderator_client):
    mild = posting.post_comment(essay, author, "A plain comment.")
    posting.post_comment(essay, author, "Socialists never think about costs.")  # 0.72
    posting.post_comment(essay, author, HEATED)  # hotter
    from moderation.workflow import open_case

    open_case(author, mild)  # an older-style case with no heat
    by_urgency = moderator_client.get("/moderation/")
    by_heat = moderator_client.get("/moderation/?sort=heat")
    assert by_urgency.status_code == by_heat.status_code == 200
    cases = list(by_heat.context["page"])
    heats = [c.comment.heat for c in cases]
    assert heats == sorted(heats, reverse=True)
    html = by_heat.content.decode()
    assert "Hottest first" in html and "hottest comment first" in html
    assert "heat 0." in html and "insult aimed at a person" in html


def test_case_page_shows_heat_signals_and_the_system_as_opener(essay, author, moderator_client):
    comment = posting.post_comment(essay, author, HEATED)
    case = Case.objects.get(comment=comment)
    html = moderator_client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert f"heat {comment.heat:.2f}" in html
    assert "insult aimed at a person" in html
    assert "Opened by callin itself (heat signal)" in html
    assert "nothing is hidden because of it" in html


def test_shipped_labelled_set_is_at_hand():
    path = Path(settings.BASE_DIR) / "fixtures/heat/labelled.jsonl"
    assert path.exists()
