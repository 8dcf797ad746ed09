"""The bulk import path: tree fields computed in Python, batches, streaming, re-imports."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

import heat
from tests.helpers import make_comment
from threads.importing import loading
from threads.importing.loading import import_comment_file
from threads.importing.parsing import CommentPageReader, ImportFailed
from threads.models import MAX_LEVEL, Comment, Essay

FIELDS = ("pk", "parent_id", "tree_id", "lft", "rght", "level")


@pytest.fixture(autouse=True)
def small_batches(monkeypatch, settings):
    """Batches of 7 so every test crosses batch boundaries; heat scoring only where tested."""
    monkeypatch.setattr(loading, "BATCH_SIZE", 7)
    settings.HEAT_SCORING = False


def random_replies(count, seed, deep=False):
    """child>parent pairs: chains (deeper than MAX_LEVEL when ``deep``) and wide fan-out."""
    rng = random.Random(seed)
    replies = {}
    top_level, chained = (0.01, 0.9) if deep else (0.15, 0.4)
    for child in range(2, count + 1):
        roll = rng.random()
        if roll < top_level:
            continue
        if roll < chained:
            replies[child] = child - 1
        else:
            replies[child] = rng.randint(max(1, child - 40), child - 1)
    return replies


def page_text(count, label="Comment"):
    return "\nExpand full comment\n".join(f"{label} {i} says something." for i in range(count))


def spec(replies):
    return ",".join(f"{child}>{parent}" for child, parent in sorted(replies.items()))


def snapshot():
    return list(Comment.objects.order_by("pk").values_list(*FIELDS))


def assert_valid_trees():
    """The stored tree fields are exactly what MPTT rebuilds from the parent links."""
    before = snapshot()
    Comment.objects.rebuild()
    assert snapshot() == before


def parent_positions(essay):
    comments = list(Comment.objects.filter(essay=essay).order_by("pk"))
    position = {c.pk: i for i, c in enumerate(comments, start=1)}
    return {position[c.pk]: position[c.parent_id] for c in comments if c.parent_id}


@pytest.mark.parametrize("deep", [False, True])
def test_bulk_trees_match_a_rebuild(essay, write, deep):
    replies = random_replies(400, seed=4, deep=deep)
    created, existing, _ = import_comment_file(essay, write(page_text(400)), spec(replies))
    assert (created, existing) == (400, 0)
    assert_valid_trees()
    if deep:  # replies past MAX_LEVEL were attached beside their parent
        assert max(Comment.objects.values_list("level", flat=True)) == MAX_LEVEL
    else:
        assert parent_positions(essay) == replies


def test_bulk_trees_equal_one_by_one_inserts(essay, write):
    """Same parents, levels and positions as insert_comment gives, MAX_LEVEL rule included."""
    replies = random_replies(120, seed=9, deep=True)
    import_comment_file(essay, write(page_text(120)), spec(replies))
    other = Essay.objects.create(slug="other", title="Other")
    made = {}
    for position in range(1, 121):
        made[position] = make_comment(other, parent=made.get(replies.get(position)))

    def shape(essay):
        comments = list(Comment.objects.filter(essay=essay).order_by("pk"))
        base = min(c.tree_id for c in comments)
        return [(c.level, c.lft, c.rght, c.tree_id - base) for c in comments]

    assert shape(essay) == shape(other)
    assert parent_positions(essay) == parent_positions(other)


def test_new_trees_go_after_existing_ones_which_stay_untouched(essay, write):
    root = make_comment(essay, body="Already here.")
    make_comment(essay, body="A reply.", parent=root)
    before = snapshot()
    import_comment_file(essay, write(page_text(30)), "2>1,3>2,5>1")
    assert snapshot()[:2] == before
    new_trees = set(Comment.objects.exclude(pk__in=[r[0] for r in before]).values_list("tree_id"))
    assert min(new_trees)[0] == root.tree_id + 1
    assert_valid_trees()


def test_reimport_of_a_longer_file_adds_replies_to_existing_comments(essay, write):
    first = {2: 1, 3: 2, 6: 4}
    import_comment_file(essay, write(page_text(20)), spec(first))
    old = snapshot()
    # The same 20 comments, then 20 more: replies to old comments, to new ones, new trees.
    grown = {**first, 21: 3, 22: 21, 23: 1, 25: 24, 30: 6, 31: 30, 40: 39}
    created, existing, _ = import_comment_file(essay, write(page_text(40)), spec(grown))
    assert (created, existing) == (20, 20)
    assert parent_positions(essay) == grown
    # New comments got primary keys in file order.
    assert [c.body for c in Comment.objects.order_by("pk")] == [
        f"Comment {i} says something." for i in range(40)
    ]
    assert {row[0] for row in old} <= {row[0] for row in snapshot()}
    assert_valid_trees()


def test_a_new_tree_laid_out_around_an_existing_comment_is_rebuilt(essay, write):
    # Cara's comment was imported on its own; the new file says it answers Ben's (new)
    # and gives it a reply.  Cara's stays where it was; its reply goes under it.
    def signed(text, name):
        return f"{text}\n\nBest,\n\n{name}"

    import_comment_file(essay, write(signed("Third.", "Cara")), "")
    text = "\nExpand full comment\n".join(
        [signed("First.", "Ada"), signed("Second.", "Ben"), signed("Third.", "Cara")]
        + ["A reply to Cara.", "Another in Ada's tree."]
    )
    created, existing, _ = import_comment_file(essay, write(text), "2>1,3>2,4>3,5>1")
    assert (created, existing) == (4, 1)
    cara = Comment.objects.get(author_name="Cara")
    assert cara.parent_id is None
    assert Comment.objects.get(body="A reply to Cara.").parent_id == cara.pk
    ada = Comment.objects.get(author_name="Ada")
    tree = list(Comment.objects.filter(tree_id=ada.tree_id).order_by("lft"))
    assert [c.author_name for c in tree] == ["Ada", "Ben", "Reader 5"]
    assert [(c.lft, c.rght, c.level) for c in tree] == [(1, 6, 0), (2, 3, 1), (4, 5, 1)]
    assert_valid_trees()


def test_second_import_writes_nothing(essay, write):
    path = write(page_text(50))
    import_comment_file(essay, path, "2>1,3>1")
    before = snapshot()
    assert import_comment_file(essay, path, "2>1,3>1")[:2] == (0, 50)
    assert snapshot() == before


def test_an_error_late_in_the_file_writes_nothing(essay, write):
    text = page_text(30) + "\nExpand full comment\n" + "x" * 10_001
    with pytest.raises(ImportFailed, match="comment 31"):
        import_comment_file(essay, write(text), "2>1")
    assert not Comment.objects.exists()


def test_bad_replies_are_reported_after_the_file_and_write_nothing(essay, write):
    with pytest.raises(ImportFailed, match="positions run 1..30"):
        import_comment_file(essay, write(page_text(30)), "2>1,31>2")
    with pytest.raises(ImportFailed, match="not of the form"):
        import_comment_file(essay, write(page_text(30)), "2>1,x")
    assert not Comment.objects.exists()


def test_invalid_utf8_wins_over_a_parse_error_earlier_in_the_file(essay, tmp_path):
    path = tmp_path / "both.txt"
    path.write_bytes(b"ok\nExpand full comment\n" + b"x" * 10_001 + b"\nExpand full comment\n\xff")
    with pytest.raises(ImportFailed, match=r"both.txt: not valid UTF-8 at byte 10045"):
        import_comment_file(essay, path)


def test_the_reader_streams(essay):
    """The parser yields each comment before reading the lines after it."""
    read = []

    def lines():
        for i in range(1000):
            read.append(i)
            yield "Expand full comment" if i % 2 else f"Comment {i}."

    reader = iter(CommentPageReader(lines(), "stream"))
    assert next(reader).body == "Comment 0."
    assert len(read) == 2
    assert next(reader).body == "Comment 2."
    assert len(read) == 4


def test_progress_is_reported_per_batch(essay, write):
    calls = []
    path = write("20 Comments\n" + page_text(20))
    import_comment_file(essay, path, progress=lambda done, expected: calls.append((done, expected)))
    assert calls == [(7, 20), (14, 20), (20, 20)]


def test_command_is_quiet_off_a_terminal(essay, write):
    out, err = StringIO(), StringIO()
    call_command(
        "import_comments", str(write(page_text(30))), essay="essay", stdout=out, stderr=err
    )
    assert out.getvalue() == "Created 30 comments; 0 were already there.\n"
    assert err.getvalue() == ""


def test_command_reports_a_streamed_error(essay, write):
    with pytest.raises(CommandError, match="no comment found"):
        call_command("import_comments", str(write("Expand full comment\n")), essay="essay")


def test_atomic_with_the_callers_transaction(essay, write):
    with pytest.raises(RuntimeError), transaction.atomic():
        import_comment_file(essay, write(page_text(10)), "2>1")
        raise RuntimeError
    assert not Comment.objects.exists()


def test_bulk_path_scores_heat(essay, write, settings):
    settings.HEAT_SCORING = True
    text = "I think you make a fair point.\nExpand full comment\nShut up, you idiot!!!"
    import_comment_file(essay, write(text), "2>1")
    calm, heated = Comment.objects.order_by("pk")
    assert calm.heat < settings.HEAT_THRESHOLD and not calm.heat_signals
    assert heated.heat > 0.5
    assert heated.heat_signals


def test_a_repeated_child_in_replies_takes_the_last_parent(essay, write):
    import_comment_file(essay, write(page_text(5)), "3>1,3>2")
    assert parent_positions(essay) == {3: 2}


def test_a_reimport_scores_only_the_new_comments_each_with_its_own_heat(essay, write, settings):
    # The calm comments are already there; the heated one, new and in the same batch,
    # must get its own score, not the score of a comment that is skipped.
    settings.HEAT_SCORING = True
    calm = [f"Comment {i} makes a fair point.\n\nBest,\n\nReader {i}" for i in range(5)]
    import_comment_file(essay, write("\nExpand full comment\n".join(calm)), "")
    grown = [*calm[:2], "Shut up, you idiot!!!\n\nBest,\n\nZed", *calm[2:]]
    created, existing, _ = import_comment_file(
        essay, write("\nExpand full comment\n".join(grown)), ""
    )
    assert (created, existing) == (1, 5)
    heated = Comment.objects.get(author_name="Zed")
    assert (heated.heat, heated.heat_signals) == heat.score_text(heated.body)
    assert heated.heat > settings.HEAT_THRESHOLD
    assert all(c.heat < settings.HEAT_THRESHOLD for c in Comment.objects.exclude(pk=heated.pk))
