"""The moderators' dashboard: its numbers, its charts, its page and its query count."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moderation import charts, dashboard, effects, workflow
from moderation.models import Case, Nudge
from tests.helpers import clock_at, fresh, make_comment, make_essay, make_user

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with clock_at(NOW) as clock:
        yield clock


@pytest.fixture
def history(clock, moderator, author, flagger, second_flagger, space):
    """Five cases over six weeks, with known times (see each step)."""
    other = make_essay(title="A quieter space")
    cases = {}

    # 1. Flagged two days ago; claimed after 1 h, called in, revised, resolved after 1 day.
    t = NOW - timedelta(days=2)
    clock.at(t)
    _, cases["revised"] = workflow.flag_comment(
        flagger, make_comment(space, author=author), "heated"
    )
    clock.at(t + timedelta(minutes=5))
    workflow.flag_comment(second_flagger, cases["revised"].comment, "harmful", "a private note")
    clock.at(t + timedelta(hours=1))
    workflow.claim(moderator, cases["revised"])
    clock.at(t + timedelta(hours=2))
    workflow.call_in(moderator, cases["revised"], "Would you reread it?")
    clock.at(t + timedelta(hours=5))
    workflow.author_revise(author, fresh(cases["revised"]), "A kinder version.")
    clock.at(t + timedelta(days=1))
    workflow.resolve(moderator, fresh(cases["revised"]), Case.Outcome.REVISED)

    # 2. An imported comment flagged yesterday: a note after 30 min, resolved after 3 h.
    t = NOW - timedelta(days=1)
    clock.at(t)
    _, cases["annotated"] = workflow.flag_comment(flagger, make_comment(other), "misinformation")
    clock.at(t + timedelta(minutes=30))
    workflow.annotate(
        moderator, cases["annotated"].comment, "context", "Source?", case=cases["annotated"]
    )
    clock.at(t + timedelta(hours=3))
    workflow.resolve(moderator, fresh(cases["annotated"]), Case.Outcome.ANNOTATED)

    # 3. Forty days ago: outside the window, still open.
    clock.at(NOW - timedelta(days=40))
    _, cases["old"] = workflow.flag_comment(flagger, make_comment(other, author=author), "spam")

    # 4. An hour ago: called in after 30 min, no answer yet (still open).
    t = NOW - timedelta(hours=1)
    clock.at(t)
    _, cases["waiting"] = workflow.flag_comment(
        flagger, make_comment(space, author=author), "heated"
    )
    clock.at(t + timedelta(minutes=30))
    workflow.call_in(moderator, cases["waiting"], "Hello, a word about your comment?")

    # 5. Today: called in, never answered, then de-escalated (counts as "no answer").
    t = NOW - timedelta(hours=6)
    clock.at(t)
    _, cases["silent"] = workflow.flag_comment(
        flagger, make_comment(space, author=author), "heated"
    )
    clock.at(t + timedelta(hours=2))
    workflow.call_in(moderator, cases["silent"], "Hello?")
    clock.at(t + timedelta(hours=5))
    workflow.resolve(moderator, fresh(cases["silent"]), Case.Outcome.DEESCALATED)
    Case.objects.filter(pk=cases["silent"].pk).update(no_answer=True)

    clock.at(NOW)
    return cases


def test_daily_activity_counts_flags_and_cases_per_day(history):
    days = dashboard.daily_activity(NOW)
    assert len(days) == 30
    assert days[0].day == (NOW - timedelta(days=29)).date() and days[-1].day == NOW.date()
    by_day = {d.day: (d.flags, d.cases) for d in days}
    assert by_day[(NOW - timedelta(days=2)).date()] == (2, 1)
    assert by_day[(NOW - timedelta(days=1)).date()] == (1, 1)
    assert by_day[NOW.date()] == (2, 2)
    assert sum(d.flags for d in days) == 5  # the flag forty days ago is outside
    assert sum(d.cases for d in days) == 4


def test_outcome_mix_puts_no_answer_beside_the_outcomes(history):
    mix = {s.key: s.count for s in dashboard.outcome_mix(NOW)}
    assert list(mix)[:6] == [
        "revised",
        "withdrawn",
        "no_answer",
        "annotated",
        "deescalated",
        "hidden",
    ]
    assert set(mix) >= set(Case.Outcome.values)
    assert mix == {**dict.fromkeys(mix, 0), "revised": 1, "annotated": 1, "no_answer": 1}


def test_median_times_to_first_action_and_resolution(history):
    first, resolution = dashboard.response_times(NOW)
    # First actions: 1 h (claim), 30 min (note), 30 min (call-in), 2 h (call-in).
    assert (first.cases, first.median) == (4, timedelta(minutes=45))
    # Resolutions: 1 day, 3 h, 5 h.
    assert (resolution.cases, resolution.median) == (3, timedelta(hours=5))
    assert first.display == "45 min" and resolution.display == "5 h 00 min"


def test_flags_and_author_answers_are_not_moderator_actions(
    clock, moderator, author, flagger, second_flagger, space
):
    clock.at(NOW - timedelta(hours=3))
    _, case = workflow.flag_comment(flagger, make_comment(space, author=author), "heated")
    clock.at(NOW - timedelta(hours=2))
    workflow.flag_comment(second_flagger, case.comment, "harmful")
    clock.at(NOW)
    first, _ = dashboard.response_times(NOW)
    assert (first.cases, first.median) == (0, None)
    assert first.display == "—"


def test_answer_rate_counts_call_ins_to_accounts_only(history):
    answers = dashboard.answer_rate(NOW)
    # Cases 1, 4 and 5 had a call-in to an account (case 2's author was imported);
    # only case 1's author answered.
    assert (answers.called_in, answers.answered, answers.unanswered) == (3, 1, 2)
    assert answers.percent == 33


def test_answer_rate_without_call_ins_is_none(db):
    answers = dashboard.answer_rate(NOW)
    assert (answers.called_in, answers.rate, answers.percent) == (0, None, None)


def test_busiest_spaces_count_open_cases_only(history, space):
    spaces = dashboard.busiest_spaces()
    # space: case 4 open (1 and 5 resolved); "A quieter space": case 3 open (2 resolved).
    assert [(s.title, s.open_cases) for s in spaces] == [("A quieter space", 1), (space.title, 1)]


def test_summary_costs_a_fixed_number_of_queries(history, django_assert_num_queries):
    with django_assert_num_queries(dashboard.QUERIES):
        numbers = dashboard.summary(NOW)
    assert numbers["activity_totals"] == {"flags": 5, "cases": 4}


def test_nudge_rates_come_from_heat(clock, author, space):
    def nudge(result, days_ago=0):
        Nudge.objects.create(
            essay=space, user=author, heat=0.9, result=result, created=NOW - timedelta(days_ago)
        )

    for result in ("edited", "edited", "edited", "posted_anyway", "shown"):
        nudge(result)
    nudge("posted_anyway", days_ago=45)  # outside the window
    rates = {n.key: (n.count, n.percent) for n in dashboard.nudge_rates(NOW)}
    assert rates == {"edited": (3, 60), "posted_anyway": (1, 20), "no_decision": (1, 20)}


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (40, "40 s"),
        (12 * 60, "12 min"),
        (2 * 3600 + 5 * 60, "2 h 05 min"),
        (3 * 86400 + 4 * 3600, "3 d 4 h"),
    ],
)
def test_format_duration(seconds, shown):
    assert dashboard.format_duration(timedelta(seconds=seconds)) == shown


# --- charts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("largest", "top", "ticks"),
    [
        (0, 1, [0, 1]),
        (1, 1, [0, 1]),
        (3, 3, [0, 1, 2, 3]),
        (7, 8, [0, 2, 4, 6, 8]),
        (23, 30, [0, 10, 20, 30]),
    ],
)
def test_nice_scale(largest, top, ticks):
    assert charts.nice_scale(largest) == (top, ticks)


def test_columns_scale_to_the_largest_value():
    chart = charts.columns(
        [("a", {"x": 4, "y": 2}), ("b", {"x": 0, "y": 1})],
        [("x", "bar-x", "X"), ("y", "bar-y", "Y")],
    )
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == chart.baseline - chart.y_ticks[-1].y  # the largest reaches the top
    assert heights[1] == heights[0] / 2 and heights[2] == 0
    assert all(bar.y + bar.height == pytest.approx(chart.baseline, abs=0.11) for bar in chart.bars)


def test_bars_and_share():
    chart = charts.bars([("a", 10, "10", "c"), ("b", 5, "5", "c")])
    assert chart.rows[0].bar.width == 2 * chart.rows[1].bar.width
    share = charts.share([("yes", 1, "y"), ("no", 3, "n")], width=400)
    assert [(s.x, s.width) for s in share.segments] == [(0, 100), (100, 300)]
    assert [s.width for s in charts.share([("yes", 0, "y")]).segments] == [0]


# --- the page --------------------------------------------------------------------------


def test_only_moderators_see_the_dashboard(client, moderator, author):
    assert client.get("/moderation/dashboard/").status_code == 302
    client.force_login(author)
    assert client.get("/moderation/dashboard/").status_code == 403
    client.force_login(moderator)
    assert client.get("/moderation/dashboard/").status_code == 200


def test_the_page_draws_each_chart_with_a_table(client, moderator, history):
    client.force_login(moderator)
    response = client.get("/moderation/dashboard/")
    html = response.content.decode()
    # Eight charts, each with its table, and the appeals' table (moderation.effects).
    assert html.count("<svg") == 8 and html.count("<table") == 9
    charted = ("activity", "outcomes", "timings", "answers", "spaces", "nudges", "effects")
    for section in (*charted, "funnel"):
        chart = html.index(f'id="chart-{section}-title"')
        assert html.index("<table", chart) < html.index("</section>", chart)
    assert 'role="img"' in html
    assert "style=" not in html and "<script" not in html
    assert "33% answered" in html
    assert "<td>45 min</td>" in html
    assert re.search(r"<th scope=\"row\">No answer</th><td>1</td>", html)
    # Flaggers stay private: no usernames or notes on the dashboard.
    assert "flagger" not in html and "a private note" not in html


def test_the_page_links_from_the_queue_and_the_header(client, moderator, author):
    client.force_login(moderator)
    assert 'href="/moderation/dashboard/"' in client.get("/moderation/").content.decode()
    client.force_login(author)
    assert 'href="/moderation/dashboard/"' not in client.get("/inbox/").content.decode()


def page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/moderation/dashboard/").status_code == 200
    return len(queries)


# The page: session, user, the user's and their groups' permissions, the unread
# count in the header, then dashboard.QUERIES and the accountability panels' (effects).
PAGE_QUERIES = 5 + dashboard.QUERIES + effects.QUERIES


def test_the_page_costs_a_fixed_number_of_queries(client, moderator, author, flagger, space):
    client.force_login(moderator)
    empty = page_queries(client)
    for n in range(12):
        comment = make_comment(space if n % 2 else make_essay(), author=author)
        _, case = workflow.flag_comment(make_user(f"reader{n}"), comment, "heated")
        workflow.call_in(moderator, case, "Hello?")
        if n % 3 == 0:
            workflow.resolve(moderator, fresh(case), Case.Outcome.ANNOTATED)
    assert page_queries(client) == empty == PAGE_QUERIES
