"""Start-up checks: a bad setting stops the process with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "s" * 60,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://portal.example.org",
}
# Variables the surrounding run may have set (CI sets both) must not leak into these starts.
CLEARED = ["DATABASE_URL", "REDIS_URL", "PORTAL_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"]


def start(extra_env, code="import django; django.setup(); print('started')"):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", **extra_env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_local_defaults_start_without_any_variables():
    result = start({})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_starts_with_its_required_variables():
    result = start(GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "too-short"),
        ("DEBUG", "true"),
        ("ALLOWED_HOSTS", ""),
        ("EMAIL_HOST", ""),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(variable, value):
    result = start({**GOOD_PRODUCTION, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://localhost/portal"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "postgres://localhost"),
        ("REDIS_URL", "http://localhost:6379"),
        ("REDIS_URL", "redis://localhost:port/0"),
        ("DEBUG", "maybe"),
        ("PORT", "eighty"),
        ("SITE_URL", "portal.example.org"),
        ("PORTAL_ENV", "staging"),
    ],
)
def test_a_malformed_value_fails_at_start_naming_the_variable(variable, value):
    result = start({variable: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert variable in last_line


def test_a_database_that_cannot_be_reached_fails_the_start_up_check_naming_it():
    result = subprocess.run(
        [sys.executable, "manage.py", "check_services"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in CLEARED},
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/portal",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_without_redis_tasks_run_in_process_and_the_cache_is_local():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['BACKEND'])"
    )
    result = start({}, code)
    assert result.stdout.split() == ["True", "django.core.cache.backends.locmem.LocMemCache"]


def test_with_redis_the_broker_results_and_cache_use_it():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "from portal import celery_app as app;"
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['LOCATION'],"
        " app.conf.broker_url, app.conf.result_backend, app.conf.task_serializer)"
    )
    url = "redis://127.0.0.1:6379/3"
    result = start({"REDIS_URL": url}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", url, url, url, "json"]


def test_production_cookies_are_secure():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_HSTS_SECONDS > 0)"
    )
    result = start(GOOD_PRODUCTION, code)
    assert result.stdout.split() == ["True", "True", "True", "True"]
