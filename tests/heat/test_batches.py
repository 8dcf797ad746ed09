"""heat in bulk: batches scored ahead in worker processes, and the classifier's numbers cache."""

import multiprocessing
import threading

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

import heat
from heat.classifier import OffensiveModel, load_classifier, tokens
from tests.helpers import make_user
from threads.importing.loading import BATCH_SIZE, import_comments
from threads.importing.parsing import parse_comment_page
from threads.models import Comment

TEXTS = [
    "You're an idiot and your argument is garbage.",
    "I see it differently, but thank you for writing this.",
    "Socialists never think about costs.",
    "WHY DOES NOBODY HERE EVER LISTEN",
    "More on this at https://example.org/a-study",
]


def batches_of(count, size=7):
    texts = [f"{TEXTS[i % len(TEXTS)]} ({i})" for i in range(count)]
    return [texts[i : i + size] for i in range(0, count, size)]


def drain(batches, during=None, workers=2):
    """Every (batch, scores) of ``heat.score_batches``; ``during()`` is called as each comes."""
    out = []
    for item in heat.score_batches(batches, workers=workers, texts_of=list):
        if during:
            during()
        out.append(item)
    return out


# --- score_batches ---------------------------------------------------------------------------


def test_long_input_is_scored_ahead_in_workers_in_order_and_they_stop_after():
    batches = batches_of(60)
    workers = []
    out = drain(batches, during=lambda: workers.append(len(multiprocessing.active_children())))
    assert [batch for batch, _ in out] == batches
    assert [scores for _, scores in out] == [heat.score_texts(b) for b in batches]
    assert max(workers) == 2
    assert multiprocessing.active_children() == []


def test_workers_stop_when_the_reader_stops_early_or_fails():
    scoring = heat.score_batches(batches_of(60), workers=2, texts_of=list)
    next(scoring)
    assert multiprocessing.active_children()
    scoring.close()
    assert multiprocessing.active_children() == []

    with pytest.raises(RuntimeError):
        for _ in heat.score_batches(batches_of(60), workers=2, texts_of=list):
            raise RuntimeError("the write failed")
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("workers", [0, 2])
def test_one_batch_or_no_workers_scores_here(workers):
    batches = batches_of(7 if workers else 60)
    seen = []
    out = drain(
        batches, during=lambda: seen.append(multiprocessing.active_children()), workers=workers
    )
    assert [scores for _, scores in out] == [heat.score_texts(b) for b in batches]
    assert seen == [[]] * len(batches)


def test_a_process_running_other_threads_still_scores_in_workers():
    """Workers come from a forkserver, so the caller's threads (a threaded server, a progress
    bar's monitor) need not be stopped first."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        seen = []
        out = drain(batches_of(60), during=lambda: seen.append(multiprocessing.active_children()))
    finally:
        stop.set()
        other.join()
    assert max(map(len, seen)) == 2
    assert [scores for _, scores in out] == [heat.score_texts(b) for b in batches_of(60)]


@override_settings(HEAT_WORKERS=2)
def test_a_long_import_is_scored_in_workers_like_one_by_one(essay):
    count = 2 * BATCH_SIZE + 100
    page = f"{count} Comments\n\n" + "\n\nExpand full comment\n\n".join(
        f"{TEXTS[i % len(TEXTS)]} Number {i}." for i in range(count)
    )
    with transaction.atomic():
        created, _ = import_comments(essay, parse_comment_page(page, "page.txt"))
    assert created == count
    stored = list(Comment.objects.filter(essay=essay).values_list("body", "heat", "heat_signals"))
    assert len(stored) == count
    assert all((h, s) == heat.score_text(body) for body, h, s in stored)
    assert sum(heat.is_heated(h, 0.7) for _, h, _ in stored) >= count // 5


@override_settings(HEAT_WORKERS=2)
def test_score_heat_scores_every_batch(essay, author_comments):
    Comment.objects.update(heat=None, heat_signals=[])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("moderation.management.commands.score_heat.BATCH", 10)
        call_command("score_heat")
    assert all((c.heat, c.heat_signals) == heat.score_text(c.body) for c in Comment.objects.all())


@pytest.fixture
def author_comments(essay):
    from threads import posting

    author = make_user("author")
    return [posting.post_comment(essay, author, f"{t} ({i})") for i, t in enumerate(TEXTS * 8)]


# --- the classifier's numbers, cached -----------------------------------------------------------


def probe(model):
    texts = ["you absolute idiot", "a careful, kind essay", "what a load of crap", ""]
    return model.probs(texts), [model.prob(tokens(t.lower()))[0] for t in texts]


def test_the_model_is_read_from_its_package_once_then_from_the_cache(tmp_path):
    first = OffensiveModel(cache_dir=tmp_path)
    (saved,) = tmp_path.glob("alt-profanity-check-*.npz")
    second = OffensiveModel(cache_dir=tmp_path)
    assert first.fast and second.fast
    assert hasattr(first, "package") and not hasattr(second, "package")
    assert probe(second) == probe(first)
    from profanity_check import predict_prob

    expected = predict_prob(["you absolute idiot", "a careful, kind essay"])
    assert second.probs(["you absolute idiot", "a careful, kind essay"]) == pytest.approx(
        list(expected), abs=1e-9
    )


def test_a_damaged_cache_is_read_again_from_the_package(tmp_path):
    OffensiveModel(cache_dir=tmp_path)
    (saved,) = tmp_path.glob("*.npz")
    saved.write_bytes(b"not a numpy archive")
    again = OffensiveModel(cache_dir=tmp_path)
    assert again.fast and hasattr(again, "package")
    with np.load(saved) as numbers:  # written whole again
        assert set(numbers.files) == {"words", "idf", "weights", "intercepts", "a", "b"}
    assert probe(again) == probe(load_classifier())
