"""The admin shows moderation records; history stays view-only and nothing is deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.audit import record
from moderation.models import Annotation, Case, Flag, Message, ModerationEvent
from tests.helpers import admin_post_data, make_comment, make_user

MODELS = ["case", "flag", "message", "annotation", "moderationevent"]


@pytest.fixture
def admin_user():
    return make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def records(essay, reader, admin_user):
    now = timezone.now()
    comment = make_comment(essay, body="Sharp words.", author=reader)
    case = Case(comment=comment, essay=essay, opened_by=reader, opened_at=now)
    case.set_weight(3)
    case.save()
    return {
        "case": case,
        "flag": Flag.objects.create(
            comment=comment,
            flagger=admin_user,
            case=case,
            reason="heated",
            created=now,
            updated=now,
        ),
        "message": Message.objects.create(case=case, kind="call_in", body="Hello", created=now),
        "annotation": Annotation.objects.create(
            kind="comment_note",
            comment=comment,
            case=case,
            body="Note",
            created_by=admin_user,
            created=now,
        ),
        "moderationevent": record(admin_user, "case_opened", case=case),
    }


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_detail_pages_load(admin_client, records, model):
    listing = admin_client.get(f"/admin/moderation/{model}/", {"q": "a"})
    assert listing.status_code == 200
    assert admin_client.get(f"/admin/moderation/{model}/").context["cl"].result_count == 1
    detail = admin_client.get(f"/admin/moderation/{model}/{records[model].pk}/change/")
    assert detail.status_code == 200


@pytest.mark.parametrize("model", ["case", "flag", "annotation"])
def test_filters_are_offered(admin_client, records, model):
    response = admin_client.get(f"/admin/moderation/{model}/")
    assert response.context["cl"].has_filters


@pytest.mark.parametrize("model", ["moderationevent", "message"])
def test_history_is_view_only(admin_client, records, model):
    obj = records[model]
    detail = admin_client.get(f"/admin/moderation/{model}/{obj.pk}/change/")
    assert not detail.context["has_change_permission"]
    assert not detail.context["has_delete_permission"]
    assert b'name="_save"' not in detail.content
    assert admin_client.get(f"/admin/moderation/{model}/add/").status_code == 403
    assert admin_client.post(f"/admin/moderation/{model}/{obj.pk}/delete/").status_code == 403
    response = admin_client.post(f"/admin/moderation/{model}/{obj.pk}/change/", {"body": "x"})
    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", ["case", "flag", "annotation"])
def test_records_cannot_be_added_or_deleted(admin_client, records, model):
    obj = records[model]
    assert admin_client.get(f"/admin/moderation/{model}/add/").status_code == 403
    assert admin_client.post(f"/admin/moderation/{model}/{obj.pk}/delete/").status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_correction_to_a_case_is_logged_and_bumps_its_version(admin_client, records, admin_user):
    case = records["case"]
    url = f"/admin/moderation/case/{case.pk}/change/"
    data = admin_post_data(admin_client.get(url))
    data.update(state="resolved", outcome="no_action", resolution_reason="Reviewed by the admins.")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert (case.state, case.outcome, case.version) == ("resolved", "no_action", 2)
    event = ModerationEvent.objects.get(action="admin_case_changed")
    assert event.actor == admin_user and event.case == case
    assert event.before == {"state": "open", "outcome": "", "resolution_reason": ""}
    assert event.after == {
        "state": "resolved",
        "outcome": "no_action",
        "resolution_reason": "Reviewed by the admins.",
    }


def test_saving_an_unchanged_case_logs_nothing(admin_client, records):
    case = records["case"]
    url = f"/admin/moderation/case/{case.pk}/change/"
    assert admin_client.post(url, admin_post_data(admin_client.get(url))).status_code == 302
    case.refresh_from_db()
    assert case.version == 1
    assert not ModerationEvent.objects.filter(action="admin_case_changed").exists()


@pytest.mark.parametrize("model", MODELS)
def test_changelist_queries_do_not_grow_with_rows(admin_client, records, essay, reader, model):
    url = f"/admin/moderation/{model}/"
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(url)
    more_records(essay, reader, 4)
    with CaptureQueriesContext(connection) as five_rows:
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 5
    assert len(five_rows) == len(one_row)


def more_records(essay, user, n):
    now = timezone.now()
    for i in range(n):
        comment = make_comment(essay, body="More.", author_name=f"P{i}")
        case = Case(comment=comment, essay=essay, opened_at=now)
        case.set_weight(1)
        case.save()
        flagger = get_user_model().objects.create_user(f"flagger{i}")
        Flag.objects.create(
            comment=comment, flagger=flagger, case=case, reason="spam", created=now, updated=now
        )
        Message.objects.create(case=case, kind="moderator", sender=user, body="Hi", created=now)
        Annotation.objects.create(
            kind="context", comment=comment, body="Context", created_by=flagger, created=now
        )
        record(flagger, "case_opened", case=case)
