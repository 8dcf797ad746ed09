"""Production hardening: the headers every response carries, secure cookies, no inline code.

The suite runs with the development settings; the production values (what
``DJANGO_DEBUG=0`` turns on) are read from a fresh process, then applied with
``override_settings`` to check the headers they produce.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
)
SCRIPT = """
import json, django
django.setup()
from django.conf import settings
names = json.loads(input())
print(json.dumps({n: getattr(settings, n, None) for n in names}))
print(json.dumps(settings.STORAGES["staticfiles"]["BACKEND"]))
"""


def clean_env(**env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return environ


@pytest.fixture(scope="module")
def production():
    """The settings ``DJANGO_DEBUG=0`` gives, as a dict (from a fresh process)."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=clean_env(
            DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="example.org"
        ),
        input=json.dumps(PRODUCTION_SETTINGS),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values, storage = result.stdout.strip().splitlines()
    values = json.loads(values)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return {**values, "STATICFILES_BACKEND": json.loads(storage)}


def test_production_mode_turns_everything_on(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_HSTS_PRELOAD"]
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["STATICFILES_BACKEND"].endswith("CompressedManifestStaticFilesStorage")


@pytest.fixture
def prod_settings(production, settings):
    """This test runs with the production security settings."""
    for name in PRODUCTION_SETTINGS:
        setattr(settings, name, production[name])
    settings.ALLOWED_HOSTS = ["testserver"]
    return settings


def assert_security_headers(response, https=True):
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["base-uri"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if https:
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )


def test_pages_carry_the_security_headers(client, prod_settings, seeded):
    for url in ("/", "/essays/calling-in/", "/accounts/login/"):
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_error_pages_carry_them_too(client, prod_settings, reader):
    assert_security_headers(client.get("/no-such-page/", secure=True))
    client.force_login(reader)
    assert_security_headers(client.get("/moderation/", secure=True))  # 403


def test_plain_http_is_redirected_to_https(client, prod_settings):
    response = client.get("/essays/?a=1")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/essays/?a=1"


def test_behind_a_proxy_the_forwarded_scheme_counts(client, prod_settings, db):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_cookies_are_secure_and_the_session_cookie_is_http_only(client, prod_settings, reader):
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": "reader", "password": "pw-reader"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_csp_is_on_in_development_too(client, db):
    assert_security_headers(client.get("/"), https=False)


# --- no inline code ---------------------------------------------------------------------

INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def project_templates():
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(p for d in dirs for p in d.rglob("*") if p.is_file() and ".venv" not in p.parts)


def test_no_template_has_inline_script_or_style():
    templates = project_templates()
    assert len(templates) > 10
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# --- make serve -------------------------------------------------------------------------


MAKE_SAYS = re.compile(r"^make(\[\d+\])?: ")  # make's own lines, e.g. "make: *** … Error 1"


def test_make_serve_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env={k: v for k, v in clean_env().items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if not MAKE_SAYS.match(line)]
    assert lines == [
        "make serve: DJANGO_SECRET_KEY is not set; "
        "refusing to start (export a long random value first)."
    ]
    assert result.stdout == ""  # nothing ran: no install, no migrate, no server
