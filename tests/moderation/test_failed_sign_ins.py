"""Only failed sign-ins count toward the sign-in limit: switching accounts never meets a 429."""

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def low_limits(settings):
    settings.CALLIN_RATE_LIMITS = {"login": "3/5m", "login_ip": "5/5m"}


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_switching_accounts_twenty_times_never_meets_the_limit(client, reader, other_reader):
    for n in range(20):
        username = ("reader", "other")[n % 2]
        response = login(client, username, f"pw-{username}")
        assert response.status_code == 302, n
        assert client.session["_auth_user_id"] == str((reader, other_reader)[n % 2].pk)


def test_successful_sign_ins_leave_the_failures_allowance_whole(client, reader):
    for _ in range(10):
        assert login(Client(), "reader", "pw-reader").status_code == 302
    for _ in range(3):
        assert login(client, "reader", "wrong").status_code == 200
    assert login(client, "reader", "pw-reader").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_failure_while_signed_in_as_someone_else_counts(client, reader, other_reader):
    # The request is still signed in as reader: the failure is told by the answer, not the user.
    assert login(client, "reader", "pw-reader").status_code == 302
    for _ in range(3):
        assert login(client, "other", "wrong").status_code == 200
    assert login(client, "other", "pw-other").status_code == 429
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_failures_from_one_address_add_up_across_usernames_but_successes_do_not(
    client, reader, other_reader
):
    for n in range(4):
        assert login(client, f"nobody{n}", "wrong").status_code == 200
        assert login(client, "reader", "pw-reader").status_code == 302
    assert login(client, "nobody9", "wrong").status_code == 200  # the fifth failure
    assert login(client, "other", "pw-other").status_code == 429
