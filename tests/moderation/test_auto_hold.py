"""Auto-hold: weighted flags past the space's threshold pause a comment before review.

The comment shows a neutral placeholder, its author gets a friendly private notice,
an edit by the author puts it back in view pending review; each step is logged.
"""

import pytest

from moderation import workflow
from moderation.models import Case, FlaggerRecord, Notice
from moderation.submissions import comment_submit
from tests.helpers import actions, client_for, fresh, html_of, last_event, make_user, notices_of
from threads.models import Essay

pytestmark = pytest.mark.usefixtures("no_heat")

PLACEHOLDER = "This comment is resting for a moment"


@pytest.fixture
def more_flaggers(db):
    return [make_user(f"extra{i}") for i in range(3)]


@pytest.fixture
def held_space(space):
    """Auto-hold at weight 6: two heated flags (3 each) from new readers."""
    Essay.objects.filter(pk=space.pk).update(auto_hold_weight=6)
    return fresh(space)


def flag(user, comment, reason="heated"):
    return workflow.flag_comment(user, fresh(comment), reason)[1]


def test_flags_reaching_the_threshold_pause_the_comment(
    held_space, comment, flagger, second_flagger, author
):
    case = flag(flagger, comment)
    assert not fresh(comment).visibility_paused and not fresh(case).auto_held
    assert not Notice.objects.filter(user=author).exists()

    case = flag(second_flagger, comment)

    assert fresh(comment).visibility_paused
    case = fresh(case)
    assert case.auto_held and case.weight == 6 and case.state == Case.State.OPEN
    event = last_event("auto_held")
    assert event.actor is None and event.case_id == case.pk
    assert event.before == {"visibility_paused": False}
    assert event.after == {"visibility_paused": True, "weight": 6.0}
    assert event.reason == "weighted flags 6.0 reached the space's threshold 6.0"
    [notice] = notices_of(author)
    assert notice.startswith("A few readers asked the moderators to look at your comment")
    assert Notice.objects.get(user=author).link == comment.get_absolute_url()
    assert "Nothing is removed" in notice and "an edit puts it back in view" in notice
    # Never who flagged, nor why.
    assert "flagger" not in notice and "heated" not in notice


def test_readers_see_a_neutral_placeholder(held_space, comment, flagger, second_flagger):
    flag(flagger, comment)
    flag(second_flagger, comment)
    html = html_of(client_for().get(f"/essays/{held_space.slug}/"))
    assert PLACEHOLDER in html
    assert "no idea what you are talking about" not in html
    assert "hidden" not in html.split(PLACEHOLDER)[1][:200].lower()


def test_below_the_threshold_nothing_happens(held_space, comment, flagger):
    flag(flagger, comment, "harmful")  # 5 < 6
    assert not fresh(comment).visibility_paused
    assert "auto_held" not in actions()


def test_auto_hold_is_off_by_default(space, comment, flagger, second_flagger, more_flaggers):
    for user in (flagger, second_flagger, *more_flaggers):
        flag(user, comment, "harmful")
    assert fresh(space).auto_hold_weight == 0
    assert not fresh(comment).visibility_paused
    assert "auto_held" not in actions()


def test_a_trusted_flaggers_weight_counts(held_space, comment, flagger):
    """Weighting arithmetic: a heated flag (3) from a reader with weight 2 weighs 6."""
    FlaggerRecord.objects.create(user=flagger, agreed=4)  # 1 + 0.25 * 4 = 2
    case = flag(flagger, comment)
    assert fresh(case).weight == 6
    assert fresh(comment).visibility_paused


def test_a_distrusted_flaggers_flags_weigh_less(held_space, comment, flagger, second_flagger):
    FlaggerRecord.objects.create(user=flagger, disagreed=2)  # 1 - 0.25 * 2 = 0.5
    flag(flagger, comment)  # 1.5
    case = flag(second_flagger, comment)  # + 3 = 4.5
    assert fresh(case).weight == 4.5
    assert not fresh(comment).visibility_paused


def test_no_auto_hold_once_a_moderator_has_claimed_the_case(
    held_space, comment, flagger, second_flagger, moderator
):
    case = flag(flagger, comment)
    workflow.claim(moderator, case)
    flag(second_flagger, comment)
    assert not fresh(comment).visibility_paused and not fresh(case).auto_held


def test_no_auto_hold_once_the_author_was_called_in(
    held_space, comment, flagger, second_flagger, moderator
):
    case = flag(flagger, comment)
    workflow.call_in(moderator, case, "Hello, would you reread this?")
    workflow.unclaim(moderator, case)
    flag(second_flagger, comment)
    assert not fresh(comment).visibility_paused and not fresh(case).auto_held


def test_a_comment_is_auto_held_once(held_space, comment, flagger, second_flagger, author):
    flag(flagger, comment)
    case = flag(second_flagger, comment)
    comment_submit(
        user=author, essay=comment.essay, body="I put it badly; I am sorry.", comment=fresh(comment)
    )
    flag(make_user("third"), comment)
    assert not fresh(comment).visibility_paused
    assert actions(case).count("auto_held") == 1


def test_an_edit_by_the_author_puts_it_back_in_view_pending_review(
    held_space, comment, flagger, second_flagger, author
):
    flag(flagger, comment)
    case = flag(second_flagger, comment)

    response = client_for(author).post(
        f"/essays/{held_space.slug}/comments/{comment.pk}/edit/",
        {"body": "I put that badly. What I meant is that the argument skips a step."},
    )

    assert response.status_code == 302
    comment = fresh(comment)
    assert not comment.visibility_paused and comment.body.startswith("I put that badly")
    case = fresh(case)
    assert case.state == Case.State.ANSWERED and case.is_open
    event = last_event("auto_hold_released")
    assert event.actor == author and event.case_id == case.pk
    assert event.after == {"visibility_paused": False, "state": "answered"}
    assert event.reason == "the author edited the comment; pending review"
    assert notices_of(author)[-1].startswith("Thank you for editing. Your comment is back in view")
    assert "I put that badly" in html_of(client_for().get(f"/essays/{held_space.slug}/"))


def test_saving_the_text_unchanged_keeps_the_hold(
    held_space, comment, flagger, second_flagger, author
):
    flag(flagger, comment)
    case = flag(second_flagger, comment)
    comment_submit(
        user=author, essay=comment.essay, body=fresh(comment).body, comment=fresh(comment)
    )
    assert fresh(comment).visibility_paused
    assert fresh(case).state == Case.State.OPEN
    assert "auto_hold_released" not in actions()


def test_a_moderator_resolving_the_case_shows_it_again(
    held_space, comment, flagger, second_flagger, moderator
):
    flag(flagger, comment)
    case = flag(second_flagger, comment)
    workflow.resolve(moderator, case, Case.Outcome.NO_ACTION)
    assert not fresh(comment).visibility_paused
    assert last_event("visibility_restored").reason == "case resolved"


def test_an_edit_leaves_a_later_call_ins_pause_alone_once_the_auto_hold_was_resolved(
    held_space, comment, flagger, second_flagger, moderator, author
):
    """Only the open auto-held case ends on an edit: a resolved one stays resolved, and the
    pause a moderator chose later on a new case is theirs to lift."""
    flag(flagger, comment)
    held = flag(second_flagger, comment)
    workflow.resolve(moderator, held, Case.Outcome.NO_ACTION)
    later = flag(make_user("later"), comment)
    assert later.pk != held.pk and not later.auto_held
    workflow.call_in(moderator, later, "Would you reread this?", pause_visibility=True)

    comment_submit(
        user=author, essay=comment.essay, body="I reread it and rewrote it.", comment=fresh(comment)
    )

    assert fresh(comment).visibility_paused
    assert fresh(held).state == Case.State.RESOLVED
    assert fresh(later).state == Case.State.WAITING
    assert "auto_hold_released" not in actions()
