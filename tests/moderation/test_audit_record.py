"""audit.record's defaults: an event written without a reason or a before/after has empty
ones, never None or a stray value (gaps found by `make mutate`)."""

import pytest

from moderation.audit import event_recorded, record
from moderation.models import ModerationEvent
from tests.helpers import make_essay

pytestmark = pytest.mark.django_db


def test_an_event_recorded_without_a_reason_has_an_empty_one(moderator, case):
    event = record(moderator, "custom", case=case)

    stored = ModerationEvent.objects.get(pk=event.pk)
    assert (stored.reason, stored.before, stored.after) == ("", {}, {})


def test_an_essay_given_outright_wins_over_the_cases(moderator, case, space):
    elsewhere = make_essay()
    event = record(moderator, "custom", case=case, essay=elsewhere)

    stored = ModerationEvent.objects.get(pk=event.pk)
    assert (stored.essay_id, stored.comment_id) == (elsewhere.pk, case.comment_id)


def test_an_event_on_nothing_names_no_comment_or_essay(moderator):
    event = record(moderator, "custom", reason="By hand.")

    stored = ModerationEvent.objects.get(pk=event.pk)
    assert (stored.case_id, stored.comment_id, stored.essay_id) == (None, None, None)
    assert (stored.actor, stored.reason) == (moderator, "By hand.")


def test_a_receiver_of_model_events_hears_each_event_as_it_is_recorded(moderator, case):
    """event_recorded is sent by the event model, so a receiver that listens for that
    sender alone (the usual Django idiom) hears every event, with the event itself."""
    heard = []

    def receiver(sender, event, **kwargs):
        heard.append((sender, event.pk, event.action))

    event_recorded.connect(receiver, sender=ModerationEvent)
    try:
        event = record(moderator, "custom", case=case)
    finally:
        event_recorded.disconnect(receiver, sender=ModerationEvent)

    assert heard == [(ModerationEvent, event.pk, "custom")]
