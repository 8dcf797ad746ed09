"""Appeals end to end through HTTP: the author appeals from the inbox, once, within 14
days; a moderator other than the one who acted decides; the author is told why."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from moderation import workflow
from moderation.models import Appeal, Case, ModerationEvent, Sanction
from tests.helpers import client_for, fresh, html_of, make_comment, notices_of
from threads.models import Comment


@pytest.fixture
def hidden(moderator, case):
    """``case``'s comment, hidden by ``moderator`` as an attack."""
    workflow.resolve(moderator, case, Case.Outcome.HIDDEN, hide_reason="harmful")
    return fresh(case.comment)


def appeal_url(kind, target):
    return f"/inbox/appeal/{kind}/{target}/"


def test_an_appeal_goes_from_the_inbox_to_another_moderator_and_back(
    hidden, author, moderator, second_moderator
):
    author_client = client_for(author)
    inbox = html_of(author_client.get("/inbox/"))
    assert "Decisions you can appeal" in inbox
    assert appeal_url("hidden", hidden.pk) in inbox
    form = html_of(author_client.get(appeal_url("hidden", hidden.pk)))
    assert "Attacks a person or group" in form  # what was decided and why

    response = author_client.post(
        appeal_url("hidden", hidden.pk), {"body": "I was quoting him to disagree."}
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inbox/appeals/{appeal.pk}/"
    assert appeal.acted_by == moderator and appeal.body == "I was quoting him to disagree."
    assert appeal.case.origin == Case.Origin.APPEAL and appeal.case.is_open
    assert list(appeal.case.events.order_by("id").values_list("action", flat=True)) == [
        "case_opened",
        "author_appealed",
    ]
    # The appeal waits in the queue, and its case page leads to it.
    mod2 = client_for(second_moderator)
    assert f"/moderation/cases/{appeal.case_id}/" in html_of(mod2.get("/moderation/"))
    case_page = html_of(mod2.get(f"/moderation/cases/{appeal.case_id}/"))
    assert f"/moderation/appeals/{appeal.case_id}/" in case_page

    # A second appeal of the same decision is refused, and nothing is lost or added.
    again = author_client.post(appeal_url("hidden", hidden.pk), {"body": "Please, again."})
    assert again.status_code == 400
    assert "already appealed" in html_of(again) and "Please, again." in html_of(again)
    assert Appeal.objects.count() == 1

    # The moderator who hid it cannot decide: the page says so and a POST is refused.
    mod1 = client_for(moderator)
    url = f"/moderation/appeals/{appeal.case_id}/"
    assert "another moderator decides" in html_of(mod1.get(url))
    refused = mod1.post(url, {"outcome": "upheld", "reason": "I stand by it."})
    assert refused.status_code == 400 and "another moderator decides" in html_of(refused)
    assert not fresh(appeal).is_decided
    assert not ModerationEvent.objects.filter(action="appeal_decided").exists()

    # Another moderator overturns it: the comment is back, everything logged, author told.
    decided = mod2.post(url, {"outcome": "overturned", "reason": "Read in context, it quotes."})
    assert decided.status_code == 302
    appeal = fresh(appeal)
    assert appeal.outcome == "overturned" and appeal.decided_by == second_moderator
    assert fresh(hidden).status == Comment.Status.VISIBLE
    assert fresh(appeal.case).state == Case.State.RESOLVED
    assert list(appeal.case.events.order_by("id").values_list("action", flat=True))[2:] == [
        "comment_unhidden",
        "case_resolved",
        "appeal_decided",
    ]
    told = notices_of(author)
    assert any("visible in the discussion again" in n for n in told)
    assert any("overturned" in n and "Read in context, it quotes." in n for n in told)
    page = html_of(author_client.get(f"/inbox/appeals/{appeal.pk}/"))
    assert "Overturned" in page and "Read in context, it quotes." in page
    # Decided once: a second decision is refused.
    assert mod2.post(url, {"outcome": "upheld", "reason": "x"}).status_code == 400


def test_upheld_leaves_the_comment_hidden_and_says_why(hidden, author, second_moderator):
    client_for(author).post(appeal_url("hidden", hidden.pk), {"body": "Please look again."})
    appeal = Appeal.objects.get()
    client_for(second_moderator).post(
        f"/moderation/appeals/{appeal.case_id}/", {"outcome": "upheld", "reason": "It attacks."}
    )
    assert fresh(hidden).status == Comment.Status.HIDDEN
    assert fresh(appeal).outcome == "upheld"
    assert any("upheld" in n and "It attacks." in n for n in notices_of(author))


def test_a_decision_needs_a_reason_and_an_outcome(hidden, author, second_moderator):
    client_for(author).post(appeal_url("hidden", hidden.pk), {"body": "Please look again."})
    url = f"/moderation/appeals/{Appeal.objects.get().case_id}/"
    mod2 = client_for(second_moderator)
    assert "Write why" in html_of(mod2.post(url, {"outcome": "upheld", "reason": " "}))
    assert "Choose a decision" in html_of(mod2.post(url, {"outcome": "maybe", "reason": "x"}))
    assert not Appeal.objects.get().is_decided


def test_an_empty_appeal_is_refused(hidden, author):
    response = client_for(author).post(appeal_url("hidden", hidden.pk), {"body": "  "})
    assert response.status_code == 400 and "Write why you appeal" in html_of(response)
    assert not Appeal.objects.exists()


def test_fourteen_days_later_the_appeal_is_refused(hidden, author):
    later = timezone.now() + timedelta(days=14, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        client = client_for(author)  # signed in then: a session lasts two weeks
        inbox = html_of(client.get("/inbox/"))
        assert "Your inbox" in inbox and appeal_url("hidden", hidden.pk) not in inbox
        response = client.post(appeal_url("hidden", hidden.pk), {"body": "Too late?"})
    assert response.status_code == 400 and "14 days" in html_of(response)
    assert not Appeal.objects.exists()


def test_only_the_author_appeals_their_own_decision(hidden, reader, author, second_moderator):
    assert (
        client_for(reader).post(appeal_url("hidden", hidden.pk), {"body": "x"}).status_code == 404
    )
    client_for(author).post(appeal_url("hidden", hidden.pk), {"body": "Mine."})
    appeal = Appeal.objects.get()
    assert client_for(reader).get(f"/inbox/appeals/{appeal.pk}/").status_code == 404
    assert client_for(author).get(f"/moderation/appeals/{appeal.case_id}/").status_code == 403


def test_a_visible_comment_has_nothing_to_appeal(author, space):
    comment = make_comment(space, author=author)
    response = client_for(author).post(appeal_url("hidden", comment.pk), {"body": "Why?"})
    assert response.status_code == 400 and "not hidden" in html_of(response)


def test_a_posting_pause_changed_to_a_warning(moderator, second_moderator, author, case):
    pause = workflow.sanction(
        moderator,
        case,
        Sanction.Kind.POSTING_PAUSE,
        "Repeated attacks.",
        timedelta(days=3),
        skip_reason="after two call-ins",
    )
    workflow.resolve(moderator, fresh(case), Case.Outcome.NO_ACTION)
    client = client_for(author)
    assert appeal_url("posting_pause", pause.pk) in html_of(client.get("/inbox/"))
    client.post(appeal_url("posting_pause", pause.pk), {"body": "Three days is a lot."})
    appeal = Appeal.objects.get()
    assert appeal.sanction == pause and appeal.acted_by == moderator
    client_for(second_moderator).post(
        f"/moderation/appeals/{appeal.case_id}/",
        {"outcome": "changed", "reason": "A warning is enough."},
    )
    assert fresh(pause).lifted_at is not None
    warning = Sanction.objects.get(user=author, kind=Sanction.Kind.WARNING)
    assert warning.reason == "A warning is enough." and warning.created_by == second_moderator
    assert any("formal warning stands instead" in n for n in notices_of(author))


def test_a_warning_is_upheld_or_overturned_not_changed(
    moderator, second_moderator, author, called_in_case
):
    case = called_in_case
    warning = workflow.sanction(moderator, case, Sanction.Kind.WARNING, "Please keep it civil.")
    workflow.resolve(moderator, fresh(case), Case.Outcome.NO_ACTION)
    client_for(author).post(appeal_url("warning", warning.pk), {"body": "I was civil."})
    url = f"/moderation/appeals/{Appeal.objects.get().case_id}/"
    mod2 = client_for(second_moderator)
    assert 'value="changed"' not in html_of(mod2.get(url))
    assert "lowest step" in html_of(mod2.post(url, {"outcome": "changed", "reason": "x"}))
    mod2.post(url, {"outcome": "overturned", "reason": "It was civil."})
    assert fresh(warning).lifted_at is not None


def test_an_appeal_waits_while_the_case_is_still_open(moderator, author, called_in_case):
    case = called_in_case
    warning = workflow.sanction(moderator, case, Sanction.Kind.WARNING, "Please keep it civil.")
    response = client_for(author).post(appeal_url("warning", warning.pk), {"body": "Now?"})
    assert response.status_code == 400 and "still looking" in html_of(response)
    assert not Appeal.objects.exists()


def test_an_appeal_case_is_not_closed_by_the_ordinary_resolve(hidden, author, second_moderator):
    """Resolving it like any case would leave the appeal undecided and the author untold."""
    client_for(author).post(appeal_url("hidden", hidden.pk), {"body": "Please look again."})
    appeal = Appeal.objects.get()
    with pytest.raises(workflow.Refused, match="decided on its own page"):
        workflow.resolve(second_moderator, appeal.case, Case.Outcome.NO_ACTION)
    assert fresh(appeal.case).state != Case.State.RESOLVED
    assert fresh(appeal).outcome == ""
