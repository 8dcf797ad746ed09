"""The escalation ladder: call-in → warning → posting pause → suspension, never skipped silently."""

from datetime import timedelta

import pytest
import time_machine

from moderation import workflow
from moderation.models import Case, ModerationEvent, Notice, Sanction
from tests.helpers import (
    T0,
    case_action,
    client_for,
    flashes,
    form_errors,
    fresh,
    html_of,
    last_event,
    make_comment,
    reply,
)
from threads.models import Comment

pytestmark = pytest.mark.usefixtures("no_heat")

WARNING_REFUSAL = (
    "The moderators sent you a formal warning. Please read and acknowledge it in your inbox "
    "before posting again."
)


def refused(call, message_part):
    with pytest.raises(workflow.Refused) as info:
        call()
    assert message_part in str(info.value)
    return str(info.value)


def warn(moderator, case, **kwargs):
    return workflow.sanction(moderator, case, Sanction.Kind.WARNING, "Insults.", **kwargs)


def pause(moderator, case, hours=12, **kwargs):
    duration = timedelta(hours=hours) if hours is not None else None
    return workflow.sanction(
        moderator, case, Sanction.Kind.POSTING_PAUSE, "Insults again.", duration, **kwargs
    )


# --- standing ----------------------------------------------------------------------------


def test_standing_starts_at_nothing_and_a_call_in_is_the_first_rung(moderator, case, author):
    assert workflow.standing(author) == 0
    assert workflow.standing(None) == 0
    workflow.call_in(moderator, case, "Hello.")
    assert workflow.standing(author) == 1


def test_a_call_in_on_someone_elses_comment_does_not_move_this_author(
    moderator, case, author, flagger, space
):
    other = make_comment(space, author=flagger, body="Another comment.")
    _, other_case = workflow.flag_comment(author, other, "off_topic")
    workflow.call_in(moderator, other_case, "Hello.")
    assert workflow.standing(flagger) == 1
    assert workflow.standing(author) == 0


# --- warnings ----------------------------------------------------------------------------


def test_a_warning_after_a_call_in_is_the_next_step(moderator, called_in_case, author):
    item = warn(moderator, called_in_case)
    assert item.user == author and item.kind == Sanction.Kind.WARNING
    assert item.case == called_in_case and item.skip_reason == ""
    assert item.acknowledged_at is None and item.ends_at is None
    assert workflow.standing(author) == 2
    event = last_event("sanction_warning")
    assert event.actor == moderator and event.case_id == called_in_case.pk
    assert event.before == {"standing": 1}
    assert event.after == {"standing": 2, "sanction": item.pk, "ends_at": None}
    assert event.reason == "Insults."
    notice = Notice.objects.get(user=author)
    assert "formal warning: Insults." in notice.body and notice.link == "/inbox/"


def test_a_warning_before_any_call_in_is_refused_without_a_reason(moderator, case, author):
    message = refused(lambda: warn(moderator, case), "To go further, write why.")
    assert "stands at “nothing yet”; the next step is a call-in" in message
    assert not Sanction.objects.exists()
    assert not ModerationEvent.objects.filter(action="sanction_warning").exists()
    assert not Notice.objects.filter(user=author).exists()

    refused(lambda: warn(moderator, case, skip_reason="   "), "To go further, write why.")
    assert not Sanction.objects.exists()


def test_a_warning_before_a_call_in_with_a_written_reason_is_logged(moderator, case, author):
    item = warn(moderator, case, skip_reason="Third time this week in other spaces.")
    assert item.skip_reason == "Third time this week in other spaces."
    event = last_event("sanction_warning")
    assert event.reason == "Insults. (skipped a step: Third time this week in other spaces.)"
    assert event.before == {"standing": 0} and event.after["standing"] == 2
    assert workflow.standing(author) == 2


def test_nobody_to_warn_on_an_imported_comment(moderator, flagger, imported_comment):
    _, case = workflow.flag_comment(flagger, imported_comment, "heated")
    refused(lambda: warn(moderator, case, skip_reason="x"), "nobody to warn")


def test_a_warning_needs_a_reason(moderator, called_in_case):
    refused(
        lambda: workflow.sanction(moderator, called_in_case, Sanction.Kind.WARNING, "  "),
        "Write the reason first.",
    )
    refused(
        lambda: workflow.sanction(moderator, called_in_case, "ban", "x"), "a step of the ladder"
    )
    assert not Sanction.objects.exists()


# --- posting pauses ----------------------------------------------------------------------


def test_a_posting_pause_needs_a_warning_first(moderator, called_in_case, author):
    refused(lambda: pause(moderator, called_in_case), "the next step is a formal warning")
    assert not Sanction.objects.exists()
    warn(moderator, called_in_case)
    item = pause(moderator, called_in_case)
    assert item.kind == Sanction.Kind.POSTING_PAUSE and item.skip_reason == ""
    assert workflow.standing(author) == 3


def test_a_posting_pause_without_a_warning_needs_a_written_reason(moderator, called_in_case):
    item = pause(moderator, called_in_case, skip_reason="Spamming links all morning.")
    assert (
        "(skipped a step: Spamming links all morning.)"
        in last_event("sanction_posting_pause").reason
    )
    assert item.skip_reason == "Spamming links all morning."


def test_a_posting_pause_needs_a_duration(moderator, called_in_case):
    warn(moderator, called_in_case)
    refused(lambda: pause(moderator, called_in_case, None), "Choose how long")
    refused(lambda: pause(moderator, called_in_case, 31 * 24), "between a few minutes and 30 days")
    refused(lambda: pause(moderator, called_in_case, 0), "between a few minutes and 30 days")
    assert Sanction.objects.filter(kind=Sanction.Kind.POSTING_PAUSE).count() == 0


def test_a_posting_pause_ends_on_time_even_before_tick_runs(moderator, called_in_case, author):
    with time_machine.travel(T0, tick=False) as clock:
        workflow.acknowledge_warning(author, warn(moderator, called_in_case))
        item = pause(moderator, called_in_case, hours=2)
        assert item.ends_at == T0 + timedelta(hours=2)
        assert workflow.posting_refusal(author).startswith("Your posting is paused until")
        clock.shift(timedelta(hours=2))
        assert workflow.posting_refusal(author) == ""


def test_a_paused_author_cannot_post_until_the_pause_ends(moderator, called_in_case, author):
    essay = called_in_case.essay
    with time_machine.travel(T0, tick=False) as clock:
        workflow.acknowledge_warning(author, warn(moderator, called_in_case))
        pause(moderator, called_in_case, hours=2)
        client = client_for(author)
        before = Comment.objects.count()
        response = reply(client, essay, "A perfectly calm comment.")
        assert response.status_code == 400
        assert "Your posting is paused until" in form_errors(response)
        assert Comment.objects.count() == before

        clock.shift(timedelta(hours=2, minutes=1))
        response = reply(client, essay, "A perfectly calm comment.")
        assert response.status_code == 302
    assert Comment.objects.filter(body="A perfectly calm comment.", author=author).exists()


# --- suspension --------------------------------------------------------------------------


def test_only_admins_suspend(moderator, called_in_case, superuser, author):
    warn(moderator, called_in_case)
    pause(moderator, called_in_case)
    refused(
        lambda: workflow.sanction(
            moderator, called_in_case, Sanction.Kind.SUSPENSION, "Again.", skip_reason="x"
        ),
        "Only admins can suspend an account.",
    )
    assert not Sanction.objects.filter(kind=Sanction.Kind.SUSPENSION).exists()
    item = workflow.sanction(superuser, called_in_case, Sanction.Kind.SUSPENSION, "Again.")
    assert item.kind == Sanction.Kind.SUSPENSION and item.skip_reason == ""
    assert workflow.standing(author) == 4
    assert workflow.posting_refusal(author) == "Your account is suspended from posting."


def test_even_an_admin_writes_why_when_suspending_early(called_in_case, superuser, author):
    refused(
        lambda: workflow.sanction(superuser, called_in_case, Sanction.Kind.SUSPENSION, "Spam."),
        "the next step is a formal warning",
    )
    item = workflow.sanction(
        superuser, called_in_case, Sanction.Kind.SUSPENSION, "Spam.", skip_reason="A bot."
    )
    assert last_event("sanction_suspension").reason == "Spam. (skipped a step: A bot.)"
    assert item.ends_at is None


def test_only_admins_lift_a_suspension(moderator, called_in_case, superuser, author):
    item = workflow.sanction(
        superuser, called_in_case, Sanction.Kind.SUSPENSION, "Spam.", skip_reason="A bot."
    )
    refused(lambda: workflow.lift_sanction(moderator, item), "Only admins can lift a suspension.")
    assert fresh(item).lifted_at is None
    workflow.lift_sanction(superuser, item, "It was a person after all.")
    assert fresh(item).lifted_at is not None
    assert workflow.posting_refusal(author) == ""
    event = last_event("sanction_suspension_lifted")
    assert event.actor == superuser and event.reason == "It was a person after all."


# --- acknowledging a warning -----------------------------------------------------------------


def test_a_warned_author_acknowledges_before_posting_again(moderator, called_in_case, author):
    essay = called_in_case.essay
    item = warn(moderator, called_in_case)
    client = client_for(author)
    before = Comment.objects.count()

    response = reply(client, essay, "A perfectly calm comment.")
    assert response.status_code == 400
    assert WARNING_REFUSAL in form_errors(response)
    assert Comment.objects.count() == before

    inbox = html_of(client.get("/inbox/"))
    assert "A formal warning from the moderators" in inbox
    assert "Insults." in inbox
    assert f'action="/inbox/warnings/{item.pk}/acknowledge/"' in inbox

    response = client.post(f"/inbox/warnings/{item.pk}/acknowledge/", follow=True)
    assert flashes(response) == ["Thank you for reading it. You can post again."]
    assert "A formal warning from the moderators" not in html_of(response)
    item = fresh(item)
    assert item.acknowledged_at is not None
    event = last_event("warning_acknowledged")
    assert event.actor == author and event.case_id == called_in_case.pk
    assert event.after == {"sanction": item.pk}

    response = reply(client, essay, "A perfectly calm comment.")
    assert response.status_code == 302
    assert Comment.objects.count() == before + 1


def test_acknowledging_twice_records_it_once(moderator, called_in_case, author):
    item = warn(moderator, called_in_case)
    first = workflow.acknowledge_warning(author, item).acknowledged_at
    assert workflow.acknowledge_warning(author, item).acknowledged_at == first
    assert ModerationEvent.objects.filter(action="warning_acknowledged").count() == 1


def test_nobody_acknowledges_someone_elses_warning(moderator, called_in_case, author, flagger):
    item = warn(moderator, called_in_case)
    response = client_for(flagger).post(f"/inbox/warnings/{item.pk}/acknowledge/")
    assert response.status_code == 404
    refused(lambda: workflow.acknowledge_warning(flagger, item), "no such warning")
    assert fresh(item).acknowledged_at is None
    assert client_for(flagger).get("/inbox/").content.decode().count("formal warning") == 0


def test_only_warnings_are_acknowledged(moderator, called_in_case, author):
    item = pause(moderator, called_in_case, skip_reason="Spam.")
    response = client_for(author).post(f"/inbox/warnings/{item.pk}/acknowledge/")
    assert response.status_code == 404
    refused(lambda: workflow.acknowledge_warning(author, item), "no such warning")
    assert fresh(item).acknowledged_at is None


def test_acknowledging_needs_a_post_and_a_sign_in(moderator, called_in_case, author):
    item = warn(moderator, called_in_case)
    url = f"/inbox/warnings/{item.pk}/acknowledge/"
    assert client_for(author).get(url).status_code == 405
    response = client_for().post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert fresh(item).acknowledged_at is None


# --- lifting ---------------------------------------------------------------------------------


def test_lifting_a_warning_lets_the_author_post_and_tells_them(moderator, called_in_case, author):
    item = warn(moderator, called_in_case)
    assert workflow.posting_refusal(author) == WARNING_REFUSAL
    workflow.lift_sanction(moderator, item, "Misread the thread.")
    assert workflow.posting_refusal(author) == ""
    assert Notice.objects.filter(
        user=author, body="The moderators lifted your formal warning."
    ).exists()
    event = last_event("sanction_warning_lifted")
    assert event.actor == moderator and event.after == {"sanction": item.pk}
    refused(lambda: workflow.lift_sanction(moderator, item), "already lifted")
    # The rung stays in the author's history.
    assert workflow.standing(author) == 2


def test_lifting_through_the_case_page(moderator, called_in_case, author, space):
    item = warn(moderator, called_in_case)
    response = case_action(
        client_for(moderator), called_in_case, "lift-sanction", sanction=item.pk, reason="Sorry."
    )
    assert flashes(response) == ["Lifted."]
    assert fresh(item).lifted_at is not None
    # A sanction of another author cannot be lifted from this case.
    other = make_comment(space, author=moderator, body="Mine.")
    foreign = Sanction.objects.create(
        user=moderator, kind="warning", reason="x", created_by=moderator, created=T0
    )
    response = case_action(
        client_for(moderator), called_in_case, "lift-sanction", sanction=foreign.pk
    )
    assert flashes(response) == ["No such sanction."]
    assert fresh(foreign).lifted_at is None and other.pk


# --- the case page -------------------------------------------------------------------------


def test_the_case_page_shows_the_standing_and_the_next_rung(moderator, case, author):
    client = client_for(moderator)
    html = html_of(client.get(f"/moderation/cases/{case.pk}/"))
    assert (
        "Stands at <strong>nothing yet</strong>; the next step would be <strong>a call-in</strong>"
        in html
    )
    workflow.call_in(moderator, case, "Hello.")
    html = html_of(client.get(f"/moderation/cases/{case.pk}/"))
    assert "Stands at <strong>called in</strong>; the next step would be" in html
    assert "<strong>a formal warning</strong>" in html
    warn(moderator, case)
    html = html_of(client.get(f"/moderation/cases/{case.pk}/"))
    assert "Stands at <strong>warned</strong>; the next step would be" in html
    assert "<strong>a posting pause</strong>" in html
    assert "Formal warning," in html and "Insults." in html
    assert "Suspend (admin)" not in html


def test_the_suspend_button_is_for_admins(superuser, case):
    html = html_of(client_for(superuser).get(f"/moderation/cases/{case.pk}/"))
    assert "Suspend (admin)" in html


def test_the_ladder_through_the_case_page(moderator, case, author):
    client = client_for(moderator)
    response = case_action(client, case, "warn", reason="Insults.")
    assert "the next step is a call-in. To go further, write why." in flashes(response)[0]
    assert not Sanction.objects.exists()

    response = case_action(client, case, "warn", reason="Insults.", skip_reason="Repeated.")
    assert flashes(response) == [
        "The author is warned; they must acknowledge it before posting again."
    ]
    response = case_action(client, case, "pause-posting", reason="Again.", hours="")
    assert flashes(response) == ["Choose how long the posting pause lasts."]
    response = case_action(client, case, "pause-posting", reason="Again.", hours="6")
    assert flashes(response) == ["The author's posting is paused."]
    item = Sanction.objects.get(kind=Sanction.Kind.POSTING_PAUSE)
    assert abs(item.ends_at - item.created - timedelta(hours=6)) < timedelta(seconds=5)

    response = case_action(client, case, "suspend", reason="Again.", skip_reason="x")
    assert flashes(response) == ["Only admins can suspend an account."]
    assert not Sanction.objects.filter(kind=Sanction.Kind.SUSPENSION).exists()


def test_readers_cannot_use_the_ladder(case, flagger):
    response = client_for(flagger).post(
        f"/moderation/cases/{case.pk}/warn/",
        {"version": case.version, "reason": "x", "skip_reason": "y"},
    )
    assert response.status_code == 403
    assert not Sanction.objects.exists()


# --- severe reasons go straight to hiding ---------------------------------------------------


@pytest.mark.parametrize("hide_reason", ["spam", "harmful", "threat", "illegal"])
def test_severe_reasons_hide_without_a_call_in(moderator, case, hide_reason):
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason=hide_reason)
    assert fresh(case.comment).status == Comment.Status.HIDDEN
    assert fresh(case).state == Case.State.RESOLVED


def test_other_without_a_written_reason_is_refused_before_a_call_in(moderator, case):
    refused(
        lambda: workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="other"),
        "This author has not been called in yet.",
    )
    refused(
        lambda: workflow.resolve(moderator, case, Case.Outcome.HIDDEN),
        "This author has not been called in yet.",
    )
    assert fresh(case.comment).status == Comment.Status.VISIBLE
    assert fresh(case).state == Case.State.OPEN
    workflow.resolve(
        moderator, case, Case.Outcome.HIDDEN, "Doxxing a neighbour.", hide_reason="other"
    )
    assert fresh(case.comment).status == Comment.Status.HIDDEN
    assert last_event("comment_hidden").reason == "Doxxing a neighbour."


def test_after_a_call_in_hiding_still_needs_a_reason_the_author_can_read(moderator, called_in_case):
    for hide_reason in (None, "other"):
        refused(
            lambda hide_reason=hide_reason: workflow.resolve(
                moderator, called_in_case, Case.Outcome.HIDDEN, hide_reason=hide_reason
            ),
            "Say why the comment is hidden",
        )
    assert fresh(called_in_case.comment).status == Comment.Status.VISIBLE
    workflow.resolve(moderator, called_in_case, Case.Outcome.HIDDEN, hide_reason="harmful")
    assert fresh(called_in_case.comment).status == Comment.Status.HIDDEN
    assert "The moderators' reason: Attacks a person or group." in (
        called_in_case.messages.get(kind="notice").body
    )
