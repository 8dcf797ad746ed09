"""Property-based tests: the reply and flag forms answer any input with a page, never a 500.

Through the test client (which re-raises any exception a view lets escape),
arbitrary text, control characters, NUL, huge bodies and odd field shapes get
either the normal redirect (and exactly the write it stands for) or the form
again with status 400 (and no write at all).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.models import Case, Flag, ModerationEvent, Reason
from tests.helpers import FUZZ, make_comment, make_user
from threads.models import MAX_COMMENT_LENGTH, Comment

AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "hello\x00world",
        "\r\n\r\n",
        "\x0b\x0c\x1c\x1d\x1e\x1f\x7f\x85",
        "\u2028\u2029\u200b\ufeff",
        "<script>alert(1)</script>",
        "{{ 7|add:7 }} {% csrf_token %}",
        "x" * MAX_COMMENT_LENGTH,
        "x" * (MAX_COMMENT_LENGTH + 1),
        " " * (MAX_COMMENT_LENGTH + 5) + "x",
        "é" * 4000,
        "😀" * 3000,
    ]
)
TEXT = st.one_of(AWKWARD, st.text(max_size=300), st.text(st.characters(codec="utf-8"), max_size=50))


@pytest.fixture
def signed_in(signed_in, settings):
    settings.CALLIN_RATE_LIMITS = {}  # no limits: these tests post many times
    return signed_in


def snapshot():
    return (
        list(Comment.objects.order_by("pk").values_list("pk", "body", "tree_id", "lft", "rght")),
        list(Flag.objects.order_by("pk").values_list("pk", "reason", "note")),
        Case.objects.count(),
        ModerationEvent.objects.count(),
    )


@FUZZ
@given(body=TEXT, to_parent=st.booleans())
def test_reply_posts_or_shows_the_form_again(signed_in, essay, body, to_parent):
    parent = Comment.objects.filter(essay=essay).first() or make_comment(essay, body="The parent.")
    url = f"/essays/essay/comments/{parent.pk}/reply/" if to_parent else "/essays/essay/reply/"
    before = snapshot()
    response = signed_in.post(url, {"body": body})
    assert response.status_code in (200, 302, 400)
    if response.status_code == 200:  # a text that reads as heated first gets the calm prompt
        assert snapshot() == before
        assert 'class="nudge"' in response.content.decode()
    elif response.status_code == 400:
        assert snapshot() == before
        assert 'class="errorlist' in response.content.decode()
    else:
        comments = Comment.objects.count()
        assert comments == len(before[0]) + 1
        newest = Comment.objects.latest("pk")
        assert newest.body == body.strip()
        newest.full_clean()


@FUZZ
@given(fields=st.dictionaries(st.text(max_size=10), st.lists(TEXT, max_size=3), max_size=4))
def test_reply_with_odd_fields(signed_in, essay, fields):
    before = snapshot()
    response = signed_in.post("/essays/essay/reply/", fields)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert snapshot() == before


REASONS = st.one_of(st.sampled_from(Reason.values), TEXT)


@FUZZ
@given(reason=REASONS, note=st.one_of(st.none(), TEXT))
def test_flag_saves_or_shows_the_form_again(signed_in, reader, essay, reason, note):
    comment = Comment.objects.filter(essay=essay).first() or make_comment(essay, body="Flag me.")
    before = snapshot()
    data = {"reason": reason} if note is None else {"reason": reason, "note": note}
    response = signed_in.post(f"/comments/{comment.pk}/flag/", data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert snapshot() == before
        assert 'role="alert"' in response.content.decode()
    else:
        flag = Flag.objects.get(comment=comment, flagger=reader)
        assert (flag.reason, flag.note) == (reason, (note or "").strip())
        flag.full_clean()


def test_a_deep_reply_chain_through_the_form_stays_within_the_cap(signed_in, essay):
    from threads.models import MAX_LEVEL

    parent = make_comment(essay, body="Root.")
    for n in range(MAX_LEVEL + 5):
        response = signed_in.post(
            f"/essays/essay/comments/{parent.pk}/reply/", {"body": f"Reply {n}."}
        )
        assert response.status_code == 302
        parent = Comment.objects.latest("pk")
    assert max(Comment.objects.values_list("level", flat=True)) == MAX_LEVEL


@pytest.fixture
def called_in(reader, other_reader, essay):
    """A case on ``reader``'s comment with a call-in waiting for them."""
    from moderation import workflow

    comment = make_comment(essay, body="My first take.", author=reader)
    _, case = workflow.flag_comment(other_reader, comment, "heated")
    workflow.call_in(make_user("fuzzmod", "moderators"), case, "Would you reread it?")
    return case


@FUZZ
@given(body=TEXT, action=st.sampled_from(["reply", "revise"]))
def test_inbox_answers_are_saved_or_refused_cleanly(signed_in, called_in, body, action):
    before = snapshot(), called_in.messages.count()
    response = signed_in.post(f"/inbox/{called_in.pk}/{action}/", {"body": body})
    assert response.status_code == 302
    after = snapshot(), called_in.messages.count()
    if after[1] == before[1]:  # refused: nothing at all changed
        assert after == before
    else:
        comment = Comment.objects.get(pk=called_in.comment_id)
        if action == "revise":
            assert comment.body == body.strip()
        else:
            assert called_in.messages.latest("pk").body == body.strip()
