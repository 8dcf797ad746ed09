"""Where the log's verifier says the chain breaks at its very start, read from links built
by hand (moderation.chain.first_break, no database): the first event inserted, changed
or re-pointed, and a log emptied of its only event; and the canonical form an event's
digest is taken of (gaps found by `make mutate`)."""

import hashlib
from datetime import datetime, timedelta, timezone

from moderation import chain
from moderation.chain import GENESIS, Link, first_break


def link(id, sequence, prev_hash, hash, intact=True):
    return Link(id, sequence, prev_hash, hash, intact)


def verdict(*links, head_count=None, head_hash=None):
    return first_break(iter(links), head_count=head_count, head_hash=head_hash)


def test_an_event_slipped_in_before_the_first_one_is_named():
    # Both claim to follow the start of the log: the first was inserted before the second.
    assert (
        verdict(link(7, 1, GENESIS, "a"), link(8, 2, GENESIS, "b"))
        == "event 7 was inserted before event 8"
    )


def test_a_first_event_the_chain_skips_is_named():
    assert (
        verdict(link(7, 1, "x" * 64, "a"), link(8, 2, GENESIS, "b"))
        == "event 7 was inserted before event 8"
    )


def test_a_first_event_pointing_elsewhere_no_longer_follows_the_start():
    assert verdict(link(7, 1, "x" * 64, "a")) == (
        "event 7 was changed after it was written: it no longer follows the start of the log"
    )


def test_a_later_event_pointing_elsewhere_no_longer_follows_the_one_before():
    assert verdict(link(7, 1, GENESIS, "a"), link(8, 2, "x" * 64, "b")) == (
        "event 8 was changed after it was written: it no longer follows event 7"
    )


def test_a_log_emptied_of_its_only_event_says_one_event():
    assert verdict(head_count=1, head_hash="a") == "the log was emptied: all 1 event are missing"


def test_a_log_cut_off_by_one_event_says_one_event():
    assert verdict(link(7, 1, GENESIS, "a"), head_count=2, head_hash="b") == (
        "the log was cut off after event 7: the last 1 event are missing"
    )


def test_an_events_digest_is_the_sha256_of_its_documented_canonical_json():
    # Written out by hand, so that a change to the form (a key, the separators, the key
    # order, the time's precision or zone) fails here: logs already written, and exports
    # verified elsewhere, would stop matching.
    created = datetime(2026, 11, 28, 15, 4, 5, 6, tzinfo=timezone(timedelta(hours=1)))
    canonical = (
        '{"action":"case_resolved","actor":7,"after":{"state":"résolu"},'
        '"before":{"state":"open"},"case":3,"comment":null,'
        '"created":"2026-11-28T14:04:05.000006+00:00","essay":2,"reason":"why"}'
    )
    digest = chain.event_digest(
        actor=7,
        action="case_resolved",
        case=3,
        comment=None,
        essay=2,
        before={"state": "open"},
        after={"state": "résolu"},
        reason="why",
        created=created,
    )
    assert digest == hashlib.sha256(canonical.encode()).hexdigest()


def test_an_events_digest_does_not_depend_on_the_sites_time_zone(settings):
    """A log written while TIME_ZONE was UTC still verifies after the site moves it."""
    created = datetime(2026, 11, 28, 15, 4, 5, 6, tzinfo=timezone(timedelta(hours=1)))
    content = dict(
        actor=7, action="a", case=None, comment=None, essay=2, before={}, after={}, reason=""
    )
    written = chain.event_digest(**content, created=created)
    settings.TIME_ZONE = "Pacific/Auckland"  # also the process's local time (time.tzset)
    assert chain.event_digest(**content, created=created) == written
