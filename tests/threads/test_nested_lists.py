"""threads.nested_lists: a depth-first run of items written as nested lists (issue 14, 6)."""

from tests.nesting import nesting_of
from threads.nested_lists import FOLD_CLOSES, FOLD_OPENS, NestedList


def written(base, steps):
    """The HTML of ``steps``: (level, pk) an item, ("fold", level) and ("close", n)."""
    nested = NestedList(base)
    for first, second in steps:
        if first == "fold":
            nested.open_fold(second)
        elif first == "close":
            nested.close_folds(second)
        else:
            nested.item(first, f'<li id="c{second}">{second}')
    return str(nested.html())


def test_each_reply_is_in_the_list_of_its_parents_replies():
    # 1 ─ 2 ─ 3
    #   └ 4
    # 5
    html = written(0, [(0, 1), (1, 2), (2, 3), (1, 4), (0, 5)])
    found = nesting_of(html)
    assert found.parent == {1: None, 2: 1, 3: 2, 4: 1, 5: None}
    assert found.between[2] == found.between[3] == found.between[4] == ["ol.replies"]
    assert found.between[1] == found.between[5] == ["ol.thread.nested"]


def test_a_run_that_starts_deeper_than_it_goes_later_has_gaps_to_its_level():
    # A replies page that starts inside a subthread (?after=): 7 at level 3, then 8 at 2.
    html = written(2, [(3, 7), (2, 8), (3, 9)])
    found = nesting_of(html)
    assert found.parent == {7: None, 8: None, 9: 8}
    assert found.between[7] == ["ol.thread.nested", "li.thread-gap", "ol.replies"]
    assert found.between[8] == ["ol.thread.nested"]


def test_a_reply_whose_parent_is_not_shown_sits_one_gap_deeper():
    html = written(0, [(0, 1), (2, 3), (1, 4)])  # 3's parent (level 1) waits for a moderator
    found = nesting_of(html)
    assert found.parent == {1: None, 3: 1, 4: 1}
    assert found.between[3] == ["ol.replies", "li.thread-gap", "ol.replies"]
    assert found.between[4] == ["ol.replies"]


def test_a_fold_holds_the_items_until_it_closes_and_reopens_after_a_bridging_note():
    # 1 is folded: its replies 2 and 4 are behind the fold, its bridging note 3 is not.
    html = written(0, [(0, 1), ("fold", 1), (1, 2), ("close", 1), (1, 3), ("fold", 1), (1, 4)])
    found = nesting_of(html)  # the fold still open at the end closes with the list
    assert found.parent == {1: None, 2: 1, 3: 1, 4: 1}
    in_fold = ["ol.replies", "li.fold", "details", "ol.thread"]
    assert found.between[2] == found.between[4] == in_fold
    assert found.between[3] == ["ol.replies"]
    assert html.count(FOLD_OPENS) == html.count(FOLD_CLOSES) == 2


def test_an_item_shallower_than_the_fold_it_is_in_stays_in_the_fold():
    # The fold reopened after a deeper bridging note, then a shallower folded reply comes.
    html = written(0, [(0, 1), (1, 2), (2, 3), ("fold", 2), (2, 4), (1, 5), ("close", 1), (1, 6)])
    found = nesting_of(html)
    assert found.between[5][-2:] == ["details", "ol.thread"]  # still behind the fold
    assert found.parent[6] == 1 and found.between[6] == ["ol.replies"]


def test_an_empty_list_is_an_empty_list():
    assert written(0, []) == '<ol class="thread nested">\n</ol>\n'
