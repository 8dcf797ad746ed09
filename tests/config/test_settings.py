"""Production settings: `manage.py check --deploy` is clean, and refuses to run without a key."""

import os
import secrets
import string
import subprocess
import sys

from django.conf import settings


def manage(*args, **env):
    """Run manage.py in a fresh process with only the given DJANGO_* variables."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def random_key(length=50):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def test_deploy_check_is_clean_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=random_key(),
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    assert "security.W" not in result.stdout + result.stderr


def test_deploy_check_fails_in_development_mode():
    # The same check does find problems: it is not clean by accident.
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="1")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W018" in output  # DEBUG is on
    assert "security.W009" in output  # the development key is weak


def test_production_mode_needs_a_secret_key():
    result = manage("check", "--deploy", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr
