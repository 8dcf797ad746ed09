"""The public transparency table against a log counted by hand, its page and its CSV."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from moderation import transparency, workflow
from moderation.models import Annotation, Case
from moderation.workflow.appeals import appeal_decide, appeal_open
from tests.helpers import client_for, clock_at, fresh, html_of, make_comment, make_essay, make_user

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def clock():
    with clock_at(NOW) as clock:
        yield clock


@pytest.fixture
def log(clock, moderator, second_moderator, author, flagger, second_flagger, space):
    """A log over two months; the comments say what each step adds to the table."""
    other = make_essay(title="Another space")
    # October 10: two flags on one comment, one case; claimed after 2 h, called in, revised.
    t = datetime(2026, 10, 10, 9, 0, tzinfo=UTC)
    clock.at(t)
    _, a = workflow.flag_comment(flagger, make_comment(space, author=author), "heated")
    workflow.flag_comment(second_flagger, a.comment, "harmful")
    clock.at(t + timedelta(hours=2))
    workflow.claim(moderator, a)  # first action: 2 h
    workflow.call_in(moderator, fresh(a), "Would you reread it?")
    clock.at(t + timedelta(hours=5))
    workflow.author_revise(author, fresh(a), "A kinder version.")
    workflow.author_reply(author, fresh(a), "Thanks.")
    clock.at(t + timedelta(days=1))
    workflow.resolve(moderator, fresh(a), Case.Outcome.REVISED)
    # October 20: spam, hidden after 30 min (first action: 30 min).
    t = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
    clock.at(t)
    _, b = workflow.flag_comment(flagger, make_comment(space, author=author), "spam")
    clock.at(t + timedelta(minutes=30))
    workflow.resolve(moderator, b, Case.Outcome.HIDDEN, hide_reason="spam")
    # November 1: the author appeals the hide; November 2 another moderator upholds it.
    clock.at(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    appeal = appeal_open(user=author, kind="hidden", comment=b.comment, body="It was not spam.")
    clock.at(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    appeal_decide(actor=second_moderator, appeal=appeal, outcome="upheld", reason="It sells.")
    # November 5: heated; called in after 4 h; no answer; a context note, a cool-down.
    t = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    clock.at(t)
    _, c = workflow.flag_comment(flagger, make_comment(space, author=author), "heated")
    clock.at(t + timedelta(hours=4))
    workflow.call_in(moderator, c, "Hello?")  # first action: 4 h
    clock.at(t + timedelta(days=4))
    workflow.tick()  # no answer
    workflow.annotate(moderator, c.comment, Annotation.Kind.CONTEXT, "Context.", case=fresh(c))
    workflow.annotate(moderator, c.comment, Annotation.Kind.COMMENT_NOTE, "Private.", case=c)
    workflow.pause_replies(moderator, c.comment, timedelta(hours=1), case=fresh(c))
    workflow.resolve(moderator, fresh(c), Case.Outcome.ANNOTATED)
    # November 6, another space: one off-topic flag, a case nobody acted on yet.
    clock.at(datetime(2026, 11, 6, 9, 0, tzinfo=UTC))
    workflow.flag_comment(flagger, make_comment(other, author=make_user("other")), "off_topic")
    clock.at(NOW)
    return other


def values(table, month):
    """{label: value} of one month's column; a hide reason as "Hidden: <reason>"."""
    i = table.months.index(month)
    hidden = "Comments hidden, by reason"
    return {
        f"Hidden: {row.label}" if row.section == hidden else row.label: row.cells[i]
        for row in table.rows
    }


HAND_COUNTED_SITE = {
    OCT: {
        "Heated (likely to escalate)": 1,
        "Harmful (attacks a person or group)": 1,
        "Spam": 1,
        "Off topic": 0,
        "Cases opened": 2,
        "Call-ins sent": 1,
        "Call-ins answered (a message, a revision or a withdrawal)": 1,  # one case
        "Comments revised after a call-in": 1,
        "Comments withdrawn after a call-in": 0,
        "Call-ins with no answer in time": 0,
        "Public context notes": 0,
        "De-escalations": 0,
        "Revised by its author": 1,
        "Hidden by a moderator": 1,
        "Context added": 0,
        "Hidden: Spam": 1,
        "Hidden: Attacks a person or group": 0,
        "Appeals made": 0,
        "Decided: upheld": 0,
        transparency.FIRST_ACTION: "1 h 15 min",  # median of 2 h and 30 min
    },
    NOV: {
        "Heated (likely to escalate)": 1,
        "Harmful (attacks a person or group)": 0,
        "Off topic": 1,
        "Cases opened": 2,  # the appeal's case is counted under appeals
        "Call-ins sent": 1,
        "Call-ins answered (a message, a revision or a withdrawal)": 0,
        "Comments revised after a call-in": 0,
        "Call-ins with no answer in time": 1,
        "Public context notes": 1,  # the private note is not counted
        "De-escalations": 1,
        "Revised by its author": 0,
        "Hidden by a moderator": 0,
        "Context added": 1,
        "No action needed": 0,
        "Appeals made": 1,
        "Decided: upheld": 1,
        "Decided: overturned": 0,
        transparency.FIRST_ACTION: "4 h 00 min",  # the other space's case has no action yet
    },
}


def test_the_site_table_matches_the_hand_count(log):
    table = transparency.transparency_table(now=NOW)
    assert table.months[-2:] == [OCT, NOV] and len(table.months) == transparency.MONTHS
    for month, expected in HAND_COUNTED_SITE.items():
        got = values(table, month)
        assert {label: got[label] for label in expected} == expected
    assert all(cell in (0, "—") for row in table.rows for cell in row.cells[:-2])


def test_a_space_table_counts_only_that_space(log, space):
    nov = values(transparency.transparency_table(essay=log, now=NOW), NOV)
    assert nov["Off topic"] == 1 and nov["Cases opened"] == 1
    assert nov["Heated (likely to escalate)"] == 0 and nov["Appeals made"] == 0
    assert nov[transparency.FIRST_ACTION] == "—"
    mine = values(transparency.transparency_table(essay=space, now=NOW), NOV)
    assert mine["Off topic"] == 0 and mine["Cases opened"] == 1 and mine["Appeals made"] == 1


def test_the_table_is_one_query_whatever_the_log(log, django_assert_num_queries):
    with django_assert_num_queries(1):
        transparency.transparency_table(now=NOW)


def test_the_page_is_public_names_nobody_and_costs_a_fixed_number_of_queries(
    log, clock, django_assert_max_num_queries
):
    client = client_for()
    with django_assert_max_num_queries(3):  # the table, the spaces, the space asked for
        response = client.get(f"/transparency/?space={log.slug}")
    html = html_of(response)
    assert response.status_code == 200 and "Another space" in html
    # No flagger, and nobody's words: not the appeal, the decision, a note or a call-in.
    for words in ("flagger", "It was not spam", "It sells", "Context.", "Would you reread"):
        assert words not in html
    table = html.split("<table", 1)[1].split("</table>")[0]
    assert "_" not in table and "{" not in table  # labels in words, no codes
    assert client.get("/transparency/?space=nope").status_code == 404


def test_the_csv_is_the_same_table(log):
    response = client_for().get("/transparency.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Section", "Measure"] and rows[0][-2:] == ["2026-10", "2026-11"]
    by_label = {row[1]: row[2:] for row in rows[1:]}
    assert by_label["Cases opened"][-2:] == ["2", "2"]
    assert by_label[f"{transparency.FIRST_ACTION} (minutes)"][-2:] == ["75", "240"]
    assert len(rows) == 1 + len(transparency.transparency_table().rows)


def test_each_space_links_to_its_table(log, space):
    html = html_of(client_for().get(f"/essays/{space.slug}/"))
    assert f"/transparency/?space={space.slug}" in html
