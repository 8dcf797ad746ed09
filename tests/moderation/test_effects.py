"""Does calling in work: `moderation_effects` and its numbers on a constructed history."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from moderation import effects, workflow
from moderation.models import Annotation, Case, Nudge
from tests.helpers import client_for, clock_at, fresh, html_of, make_comment, make_user

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SEP = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with clock_at(NOW) as clock:
        yield clock


@pytest.fixture
def history(clock, moderator, flagger, space):
    """Six authors, each's first case ending a known way; later flags at known times."""
    authors = {name: make_user(name) for name in ("rev", "late", "mute", "noted", "hid", "ok")}

    def case_on(name, at, reason="heated"):
        clock.at(at)
        _, case = workflow.flag_comment(flagger, make_comment(space, author=authors[name]), reason)
        return case

    def flag_again(name, at):
        case_on(name, at)

    # rev: called in, revised, resolved Sep 2; flagged again 8 days later.
    c = case_on("rev", SEP)
    workflow.call_in(moderator, c, "Would you reread it?")
    clock.at(SEP + timedelta(hours=3))
    workflow.author_revise(authors["rev"], fresh(c), "A kinder version.")
    clock.at(SEP + timedelta(days=1))
    workflow.resolve(moderator, fresh(c), Case.Outcome.REVISED)
    flag_again("rev", SEP + timedelta(days=9))
    # late: the same path, resolved ten days ago: not followed for 30 days yet.
    c = case_on("late", NOW - timedelta(days=11))
    workflow.call_in(moderator, c, "Would you reread it?")
    workflow.author_withdraw(authors["late"], fresh(c))
    clock.at(NOW - timedelta(days=10))
    workflow.resolve(moderator, fresh(c), Case.Outcome.WITHDRAWN)
    # mute: called in, no answer (tick), then hidden; never flagged again.
    c = case_on("mute", SEP)
    workflow.call_in(moderator, c, "Hello?")
    clock.at(SEP + timedelta(days=4))
    workflow.tick()
    workflow.resolve(moderator, fresh(c), Case.Outcome.HIDDEN, hide_reason="harmful")
    # noted: a context note; flagged again 40 days later (outside the 30).
    c = case_on("noted", SEP)
    workflow.annotate(moderator, c.comment, Annotation.Kind.CONTEXT, "Context.", case=c)
    workflow.resolve(moderator, fresh(c), Case.Outcome.ANNOTATED)
    flag_again("noted", SEP + timedelta(days=40))
    # hid: hidden at once as spam; flagged again the next day.
    c = case_on("hid", SEP, "spam")
    workflow.resolve(moderator, c, Case.Outcome.HIDDEN, hide_reason="spam")
    flag_again("hid", SEP + timedelta(days=1))
    # ok: first case needed no action (no group), a later one was revised: still no group.
    c = case_on("ok", SEP)
    workflow.resolve(moderator, c, Case.Outcome.NO_ACTION)
    c = case_on("ok", SEP + timedelta(days=2))
    workflow.call_in(moderator, c, "Hello?")
    workflow.author_revise(authors["ok"], fresh(c), "Better.")
    workflow.resolve(moderator, fresh(c), Case.Outcome.REVISED)
    clock.at(NOW)
    return authors


def test_groups_by_the_first_case_with_sizes_shares_and_medians(history):
    groups = {g.key: g for g in effects.first_case_groups(now=NOW)}
    summary = {
        key: (g.authors, g.followed, g.flagged_again, g.percent, g.median)
        for key, g in groups.items()
    }
    assert summary == {
        "revised_or_withdrew": (2, 1, 1, 100, timedelta(days=8)),
        "no_answer": (1, 1, 0, 0, None),
        "annotated": (1, 1, 0, 0, None),
        "hidden": (1, 1, 1, 100, timedelta(days=1)),
    }


def test_the_groups_cost_two_queries(history, django_assert_num_queries):
    with django_assert_num_queries(2):
        effects.first_case_groups(now=NOW)


@pytest.fixture
def nudges(clock, space, flagger):
    """Four nudges to one reader: no decision, edited (its comment flagged), posted anyway
    twice (one comment flagged, one not)."""
    reader = make_user("hot")
    t = NOW - timedelta(days=3)

    def nudge(result, hours, flagged=None):
        at = t + timedelta(hours=hours)
        Nudge.objects.create(essay=space, user=reader, heat=0.9, result=result, created=at)
        if flagged is None:
            return
        clock.at(at + timedelta(minutes=1))
        comment = make_comment(space, author=reader)
        if flagged:
            clock.at(at + timedelta(hours=2))
            workflow.flag_comment(flagger, comment, "heated")

    nudge(Nudge.Result.SHOWN, 0)
    nudge(Nudge.Result.EDITED, 10, flagged=True)
    nudge(Nudge.Result.POSTED_ANYWAY, 20, flagged=False)
    nudge(Nudge.Result.POSTED_ANYWAY, 30, flagged=True)
    clock.at(NOW)


def test_the_nudge_funnel(nudges, django_assert_num_queries):
    with django_assert_num_queries(2):
        funnel = effects.nudge_funnel()
    assert (funnel.shown, funnel.edited, funnel.posted_anyway) == (4, 1, 2)
    assert (funnel.flagged_after_edit, funnel.flagged_after_anyway) == (1, 1)


def test_the_command_prints_the_table_and_the_funnel(history, nudges):
    out = io.StringIO()
    call_command("moderation_effects", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["First", "case", "ended", "Authors", "Followed", "30", "d"] + [
        "Flagged",
        "again",
        "Share",
        "Median",
    ]
    rows = {line[:36].strip(): line[36:].split() for line in lines[1:5]}
    assert rows["Called in, then revised or withdrew"] == [
        "2",
        "1",
        "1",
        "100%",
        "8",
        "d",
        "0",
        "h",
    ]
    assert rows["Called in, no answer"] == ["1", "1", "0", "0%", "—"]
    assert rows["Hidden without a call-in"] == ["1", "1", "1", "100%", "1", "d", "0", "h"]
    assert lines[-1] == (
        "Nudge funnel: shown 4 → edited 1 → posted anyway 2 → later flagged 2 "
        "(1 after editing, 1 after posting anyway)"
    )


def test_the_dashboard_shows_effects_funnel_and_appeals(history, nudges, moderator):
    html = html_of(client_for(moderator).get("/moderation/dashboard/"))
    assert "Does calling in work?" in html and "Called in, then revised or withdrew" in html
    assert "100% of 1" in html  # the share says how many it is of
    assert "The nudge funnel" in html and "Later flagged, after posting anyway" in html
    assert "Appeals made" in html
