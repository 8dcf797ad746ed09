"""The benchmark's own code on tiny sizes: the data it builds and how it judges the goals.

(Timings are `make bench`'s business; these only prove the code paths work.)
"""

import pytest
from django.test import Client

from bench import measures, synthetic
from bench.__main__ import goals, table
from threads.importers import import_comment_file
from threads.models import Comment


@pytest.fixture(autouse=True)
def no_heat_scoring(settings):
    settings.HEAT_SCORING = False


def levels(parents):
    level = {}
    for position, parent in enumerate(parents, start=1):
        level[position] = 0 if parent is None else level[parent] + 1
    return level


def test_thread_shape_is_realistic_deterministic_and_prefix_stable():
    shape = synthetic.thread_shape(100_000)
    assert 0.09 < shape.count(None) / len(shape) < 0.12
    assert max(levels(shape).values()) == synthetic.MAX_DEPTH
    assert shape[:5_000] == synthetic.thread_shape(5_000)
    # A smaller thread is the start of a bigger one: same first pages at any size.
    assert synthetic.thread_shape(1_000) == shape[:1_000]
    fan_out = [shape.count(position) for position in range(1, len(shape) + 1)]
    assert max(fan_out) > 100  # a long tail of fan-out


def test_bodies_and_authors():
    users = list(range(1, 11))
    _, parsed = synthetic.comments(2_000, user_ids=users)
    parsed = list(parsed)
    assert all(50 <= len(c.body) <= 2_003 for c in parsed)
    assert max(len(c.body) for c in parsed) > 1_000
    signed_in = [c for c in parsed if c.author_id]
    assert 0.2 < len(signed_in) / len(parsed) < 0.4
    assert all(c.author_id in users for c in signed_in)


def test_generated_thread_loads_as_valid_trees(db):
    users = synthetic.users(5)
    essay = synthetic.thread("bench-small", 300, users)
    fields = ("pk", "parent_id", "tree_id", "lft", "rght", "level")
    before = list(Comment.objects.order_by("pk").values_list(*fields))
    assert len(before) == 300
    Comment.objects.rebuild()
    assert list(Comment.objects.order_by("pk").values_list(*fields)) == before
    assert Comment.objects.filter(essay=essay, author__isnull=False).exists()


def test_generated_comment_page_imports_with_the_same_shape(db, essay, tmp_path):
    path = tmp_path / "page.txt"
    replies = synthetic.comment_page(path, 400)
    created, existing, warnings = import_comment_file(essay, path, replies)
    assert (created, existing, warnings) == (400, 0, [])
    comments = list(Comment.objects.order_by("pk"))
    position = {c.pk: i for i, c in enumerate(comments, start=1)}
    parents = [position.get(c.parent_id) for c in comments]
    assert parents == synthetic.thread_shape(400)


def test_open_cases_and_page_measure(db, make_user):
    essay = synthetic.thread("bench-queue", 50)
    assert synthetic.open_cases(20) == 20
    assert synthetic.open_cases(100) == 30  # one open case per comment at most
    result = measures.page(Client(), essay.get_absolute_url(), times=1)
    assert result["queries"] == 6
    assert result["ms"] > 0


def results(page_ms=10, xtd_ratio=0.05, errors=0):
    figures = {"ms": 10, "queries": 5}
    return {
        "pages": {1_000: figures, 100_000: {"ms": page_ms, "queries": 5}},
        "whole": {"comments": 5_000, "ours_ms": 50, "xtd_ms": 1_000, "floor_ms": 20}
        | {"ours_vs_xtd": xtd_ratio, "ours_vs_floor": 2.5},
        "inserts": {1_000: {"ms": 1.0}, 100_000: {"ms": 1.5}},
        "import": {"created": 100_000, "comments_per_s": 12_000, "seconds": 8.3}
        | {"file_mb": 40, "rss_peak_mb": 120, "rss_before_mb": 90},
        "heat_scoring": None,
        "queue": {1_000: figures, 100_000: figures},
        "http": [
            {"target": "thread page", "concurrency": 1, "requests_per_s": 90.0}
            | {"p50_ms": 11, "p99_ms": 20, "errors": errors}
        ],
    }


def test_goals_hold_or_fail_on_the_figures():
    assert all(g["holds"] for g in goals(results()))
    held = {g["goal"]: g["holds"] for g in goals(results(page_ms=16, xtd_ratio=0.2, errors=3))}
    assert [name for name, ok in held.items() if not ok] == [
        "thread page: largest thread / 1,000 comments <= 1.5",
        "whole thread: ours / django-comments-xtd <= 0.1",
        "HTTP errors under load",
    ]
    text = table({"http_seconds": 20}, results(), "sqlite")
    assert "whole thread: django-comments-xtd" in text
    assert "FAILS" not in text
