"""Start-up checks: a bad setting stops the process with a message that names the variable."""

import pytest

from tests.processes import SETUP, run_python

GOOD_PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "s" * 60,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://portal.example.org",
}


def test_the_local_defaults_start_without_any_variables():
    result = run_python({})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_starts_with_its_required_variables():
    result = run_python(GOOD_PRODUCTION)
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
    result = run_python({**GOOD_PRODUCTION, variable: value})
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
    result = run_python({variable: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert variable in last_line


def test_a_database_that_cannot_be_reached_fails_the_start_up_check_naming_it():
    result = run_python(
        {
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/portal",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        },
        args=["manage.py", "check_services"],
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_without_redis_tasks_run_in_process_and_the_cache_is_local():
    code = (
        SETUP + "from django.conf import settings;"
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['BACKEND'])"
    )
    result = run_python({}, code)
    assert result.stdout.split() == ["True", "django.core.cache.backends.locmem.LocMemCache"]


def test_with_redis_the_broker_results_and_cache_use_it():
    code = (
        SETUP + "from django.conf import settings;"
        "from portal import celery_app as app;"
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['LOCATION'],"
        " app.conf.broker_url, app.conf.result_backend, app.conf.task_serializer)"
    )
    url = "redis://127.0.0.1:6379/3"
    result = run_python({"REDIS_URL": url}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", url, url, url, "json"]


def test_production_cookies_are_secure():
    code = (
        SETUP + "from django.conf import settings;"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_HSTS_SECONDS > 0)"
    )
    result = run_python(GOOD_PRODUCTION, code)
    assert result.stdout.split() == ["True", "True", "True", "True"]


def test_locally_email_is_written_to_files_under_var_mail(tmp_path):
    code = SETUP + (
        "from django.core.mail import send_mail;"
        "send_mail('Subject line', 'Body text', None, ['someone@example.org'])"
    )
    result = run_python({"VAR_DIR": str(tmp_path)}, code)
    assert result.returncode == 0, result.stderr
    [message] = (tmp_path / "mail").iterdir()
    assert "Subject: Subject line" in message.read_text()


def test_production_refuses_to_run_without_two_factor_authentication():
    result = run_python({**GOOD_PRODUCTION, "MFA_REQUIRED": "false"})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "MFA_REQUIRED" in last_line


def test_two_factor_authentication_is_required_unless_switched_off():
    code = SETUP + "from django.conf import settings; print(settings.MFA_REQUIRED)"
    assert run_python({}, code).stdout.split() == ["True"]
    assert run_python({"MFA_REQUIRED": "false"}, code).stdout.split() == ["False"]
