"""Failure pages: 503 with Retry-After while the database cannot be reached, 500.html otherwise.

The database really is unreachable here: the default connection is swapped
for one to a SQLite file in a folder that does not exist, or to a PostgreSQL
port nothing listens on, for the requests of one test.
"""

import logging
import socket

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from config.urls import handler500  # noqa: F401  (this module is a URLconf in some tests)


def remember(request):
    """Writes a new session, so the database is first needed in SessionMiddleware."""
    request.session["seen"] = True
    return HttpResponse("remembered")


def fail(request):
    raise RuntimeError("an unexpected bug, with internal detail")


urlpatterns = [
    path("remember/", remember),
    path("fail/", fail),
    path("", include("config.urls")),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unreachable_database(kind, tmp_path):
    settings_dict = dict(connections["default"].settings_dict)
    if kind == "sqlite":
        settings_dict.update(
            ENGINE="django.db.backends.sqlite3",
            NAME=str(tmp_path / "no-such-folder" / "callin.sqlite3"),
            OPTIONS={},
        )
    else:
        settings_dict.update(
            ENGINE="django.db.backends.postgresql",
            NAME="callin",
            USER="postgres",
            PASSWORD="",
            HOST="127.0.0.1",
            PORT=str(free_port()),
            OPTIONS={"connect_timeout": 5},
        )
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_down(request, db, tmp_path):
    """Within ``with database_down:`` every query fails to connect."""

    class Down:
        def __enter__(self):
            self.original = connections["default"]
            connections["default"] = unreachable_database(request.param, tmp_path)

        def __exit__(self, *exc):
            connections["default"] = self.original

    return Down()


def assert_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Briefly unavailable" in html
    assert "cannot reach its database" in html
    assert "Please wait about 30 seconds" in html
    assert "OperationalError" not in html and "Traceback" not in html


def test_a_page_answers_503_while_the_database_is_unreachable(
    client, reader, database_down, caplog
):
    client.force_login(reader)
    with database_down, caplog.at_level(logging.WARNING):
        front = client.get("/")
        inbox = client.get("/inbox/")
    assert_503(front)
    assert_503(inbox)
    assert "Content-Security-Policy" in front  # still passed through the other middleware
    # One log line a request, and Django's request log does not repeat it.
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in errors] == ["config.errors", "config.errors"]
    assert "GET /inbox/" in errors[1].getMessage()


def test_a_database_error_in_the_session_middleware_answers_503(settings, database_down, caplog):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with database_down, caplog.at_level(logging.WARNING):
        response = client.get("/remember/")
    assert_503(response)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].name == "django.request"


def test_an_unexpected_error_shows_the_500_page(settings, db):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    html = response.content.decode()
    assert "Something went wrong" in html and "It is not something you did" in html
    assert "internal detail" not in html and "RuntimeError" not in html


def test_the_500_page_needs_no_database(settings, client, reader, database_down):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client.force_login(reader)  # a signed-in page would read the user and the unread count
    client.raise_request_exception = False
    with database_down:
        response = client.get("/fail/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
