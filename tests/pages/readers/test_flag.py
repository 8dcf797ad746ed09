"""Readers flag a comment for the moderators: /comments/<id>/flag/."""

import re

import pytest

from moderation.models import Case, Flag, ModerationEvent
from tests.helpers import client_for, flashes
from threads.models import Comment


def flag_url(comment):
    return f"/comments/{comment.pk}/flag/"


def test_form_lists_the_reasons_and_quotes_the_comment(reader, writer_comment):
    response = client_for(reader).get(flag_url(writer_comment))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You clearly have no idea what you are talking about." in html
    for value in ("heated", "harmful", "off_topic", "spam", "misinformation", "needs_context"):
        assert f'name="reason" value="{value}"' in html
    assert f'href="/essays/essay/#c{writer_comment.pk}"' in html
    assert not Flag.objects.exists()


def test_flagging_opens_a_case_and_returns_to_the_comment(reader, writer_comment):
    client = client_for(reader)
    response = client.post(flag_url(writer_comment), {"reason": "heated", "note": "Pile-on."})
    assert response.status_code == 302
    assert response["Location"] == f"/essays/essay/#c{writer_comment.pk}"
    flag = Flag.objects.get()
    assert (flag.comment, flag.flagger, flag.reason, flag.note) == (
        writer_comment,
        reader,
        "heated",
        "Pile-on.",
    )
    case = Case.objects.get()
    assert (case.comment, case.state, case.flag_count) == (writer_comment, "open", 1)
    assert flag.case == case
    page = client.get(response["Location"])
    assert flashes(page) == ["Thank you. The moderators will look at it; your flag stays private."]
    # The flag stays private: the thread does not show it.
    assert "Pile-on." not in page.content.decode()


def test_second_flag_by_the_same_reader_updates_it(reader, writer_comment):
    client = client_for(reader)
    client.post(flag_url(writer_comment), {"reason": "heated"})
    response = client.post(flag_url(writer_comment), {"reason": "harmful", "note": "Worse."})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.reason, flag.note) == ("harmful", "Worse.")
    case = Case.objects.get()
    assert case.flag_count == 1
    assert case.reasons == {"harmful": 1}
    actions = list(ModerationEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["case_opened", "flag_added", "flag_updated"]


def test_a_second_reader_joins_the_same_case(reader, other_reader, writer_comment):
    client_for(reader).post(flag_url(writer_comment), {"reason": "heated"})
    client_for(other_reader).post(flag_url(writer_comment), {"reason": "harmful"})
    case = Case.objects.get()
    assert case.flag_count == 2
    assert Flag.objects.filter(case=case).count() == 2


def test_flagging_ones_own_comment_is_refused(writer, writer_comment):
    response = client_for(writer).post(flag_url(writer_comment), {"reason": "heated"})
    assert response.status_code == 400
    assert "You cannot flag your own comment" in response.content.decode()
    assert not Flag.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.parametrize("status", [Comment.Status.WITHDRAWN, Comment.Status.HIDDEN])
def test_flagging_a_comment_that_is_not_shown_is_refused(reader, writer_comment, status):
    Comment.objects.filter(pk=writer_comment.pk).update(status=status)
    response = client_for(reader).post(flag_url(writer_comment), {"reason": "heated"})
    assert response.status_code == 400
    assert "This comment is no longer shown" in response.content.decode()
    assert not Flag.objects.exists()
    assert not Case.objects.exists()


@pytest.mark.parametrize("reason", ["", "rude", None])
def test_flag_needs_a_listed_reason(reader, writer_comment, reason):
    data = {"note": "Keeps the note."} if reason is None else {"reason": reason, "note": "Keeps"}
    response = client_for(reader).post(flag_url(writer_comment), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose one of the listed reasons." in html
    assert "Keeps" in html  # the note is kept in the form
    assert not Flag.objects.exists()


def test_overlong_note_is_refused(reader, writer_comment):
    response = client_for(reader).post(
        flag_url(writer_comment), {"reason": "heated", "note": "x" * 2001}
    )
    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, writer_comment):
    url = flag_url(writer_comment)
    for response in (client.get(url), client.post(url, {"reason": "heated"})):
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert not Flag.objects.exists()


def test_flag_of_a_missing_comment_is_not_found(reader, db):
    assert (
        client_for(reader).post("/comments/999999/flag/", {"reason": "heated"}).status_code == 404
    )


def test_csrf_is_enforced(reader, writer_comment):
    client = client_for(reader, enforce_csrf_checks=True)
    response = client.post(flag_url(writer_comment), {"reason": "heated"})
    assert response.status_code == 403
    assert not Flag.objects.exists()
    # With the token from the form, the same post goes through.
    form = client.get(flag_url(writer_comment)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(
        flag_url(writer_comment), {"reason": "heated", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Flag.objects.count() == 1


def test_thread_offers_flag_links_to_other_readers_only(reader, writer, writer_comment, client):
    link = f'href="/comments/{writer_comment.pk}/flag/"'
    assert link in client_for(reader).get("/essays/essay/").content.decode()
    assert link not in client_for(writer).get("/essays/essay/").content.decode()
    assert link not in client.get("/essays/essay/").content.decode()


def test_flag_is_not_accepted_through_put(reader, writer_comment):
    assert client_for(reader).put(flag_url(writer_comment)).status_code == 405
