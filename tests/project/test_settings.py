"""Start-up checks: a bad setting stops the process with a message that names the variable.

Most tests ask config.env for the settings another environment gives, in this process; the
few that need what only a new process shows (that it starts, what the Celery app and the
service check see) start one.
"""

import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail

import config.settings
from config.env import settings_from_environment
from tests.processes import SETUP, run_python

GOOD_PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "test-only-Zq7vK2pX9mR4tW8yB3nL6cF1hJ5dG0sA-not-a-real-key",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://portal.example.org",
    "TRUSTED_PROXIES": "10.0.0.2",
}


def settings_at_start(environ):
    """The settings a process started with only `environ` would have: those the environment
    decides, with the rest of config/settings.py as this process has them."""
    fixed = {
        name: getattr(config.settings, name)
        for name in dir(config.settings)
        if name.isupper() and name not in config.settings.from_environment
    }
    return fixed | settings_from_environment(environ, config.settings.BASE_DIR)


def refusal(environ):
    """The message of the ImproperlyConfigured a start with `environ` stops with."""
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_at_start(environ)
    assert refused.type is ImproperlyConfigured
    return str(refused.value)


@pytest.mark.slow
def test_the_local_defaults_start_without_any_variables():
    result = run_python({})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.slow
def test_production_starts_with_its_required_variables():
    result = run_python(GOOD_PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "too-short"),
        ("SECRET_KEY", "x" * 60),
        ("SECRET_KEY", "abcd" * 15),
        ("SECRET_KEY", "django-insecure-" + "Zq7vK2pX9mR4tW8yB3nL6cF1hJ5dG0sA-q7vK2pX9m"),
        ("DEBUG", "true"),
        ("ALLOWED_HOSTS", ""),
        ("EMAIL_HOST", ""),
        # Behind its TLS proxy, production would otherwise count everyone at the proxy.
        ("TRUSTED_PROXIES", ""),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(variable, value):
    assert variable in refusal({**GOOD_PRODUCTION, variable: value})


@pytest.mark.slow
def test_an_unsafe_setting_stops_a_real_production_start_naming_the_variable():
    result = run_python({**GOOD_PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "DEBUG" in last_line


@pytest.mark.slow
def test_check_deploy_is_clean_in_production_settings():
    environment = {**GOOD_PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(60)}
    result = run_python(
        environment, args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_does_not_start_with_a_weak_secret_key():
    # What Django's deploy check would warn of (security.W009) stops the start-up itself.
    result = run_python(
        {**GOOD_PRODUCTION, "SECRET_KEY": "ab" * 30},
        args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be random in production" in result.stderr


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
        ("PAGE_CACHE_SECONDS", "a minute"),
        ("PAGE_CACHE_SECONDS", "-1"),
        ("TRUSTED_PROXIES", "proxy.example.org"),
        ("TRUSTED_PROXIES", "10.0.0.2,*"),
        ("TRUSTED_PROXIES", "10.0.0.0/33"),
        ("TRUSTED_PROXIES", "10.0.0.5/16"),
    ],
)
def test_a_malformed_value_fails_at_start_naming_the_variable(variable, value):
    assert variable in refusal({variable: value})


def test_files_are_kept_in_the_local_folder_without_a_bucket():
    assert settings_at_start({})["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_a_bucket_keeps_files_in_the_object_store_privately():
    storage = settings_at_start(
        {
            "AWS_STORAGE_BUCKET_NAME": "portal-files",
            "AWS_S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_S3_REGION_NAME": "eu-west-2",
            "AWS_ACCESS_KEY_ID": "portal",
            "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
        }
    )["STORAGES"]["default"]

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "portal-files",
        "endpoint_url": "http://minio:9000",
        "region_name": "eu-west-2",
        "access_key": "portal",
        "secret_key": "not-a-real-secret",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "addressing_style": "path",
    }


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"AWS_S3_ENDPOINT_URL": "http://minio:9000"}, "AWS_S3_ENDPOINT_URL"),
        ({"AWS_S3_REGION_NAME": "eu-west-2"}, "AWS_S3_REGION_NAME"),
        (
            {"AWS_STORAGE_BUCKET_NAME": "portal-files", "AWS_S3_ENDPOINT_URL": "minio:9000"},
            "AWS_S3_ENDPOINT_URL",
        ),
    ],
)
def test_an_object_store_half_named_fails_at_start_naming_the_variable(environ, named):
    assert named in refusal(environ)


@pytest.mark.slow
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
    started = settings_at_start({})
    assert [started["CELERY_TASK_ALWAYS_EAGER"], started["CACHES"]["default"]["BACKEND"]] == [
        True,
        "django.core.cache.backends.locmem.LocMemCache",
    ]


@pytest.mark.slow
def test_with_redis_the_broker_results_and_cache_use_it():
    # A new process: the Celery app takes its configuration from the settings as it starts.
    code = (
        SETUP + "from django.conf import settings;"
        "from config import celery_app as app;"
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['LOCATION'],"
        " app.conf.broker_url, app.conf.result_backend, app.conf.task_serializer)"
    )
    url = "redis://127.0.0.1:6379/3"
    result = run_python({"REDIS_URL": url}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", url, url, url, "json"]


def test_production_cookies_are_secure():
    started = settings_at_start(GOOD_PRODUCTION)
    assert [
        started["SESSION_COOKIE_SECURE"],
        started["CSRF_COOKIE_SECURE"],
        started["SESSION_COOKIE_HTTPONLY"],
        started["SECURE_HSTS_SECONDS"] > 0,
    ] == [True, True, True, True]


@pytest.mark.django_db
def test_locally_email_goes_through_the_outbox_to_files_under_var_mail(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    started = settings_at_start({"VAR_DIR": str(tmp_path)})
    assert started["EMAIL_BACKEND"] == "portal.emails.OutboxBackend"
    settings.EMAIL_BACKEND = started["EMAIL_BACKEND"]
    settings.MAILER_EMAIL_BACKEND = started["MAILER_EMAIL_BACKEND"]
    settings.EMAIL_FILE_PATH = started["EMAIL_FILE_PATH"]
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Subject line", "Body text", None, ["someone@example.org"])
    [message] = (tmp_path / "mail").iterdir()
    assert "Subject: Subject line" in message.read_text()


def test_production_refuses_to_run_without_two_factor_authentication():
    assert "MFA_REQUIRED" in refusal({**GOOD_PRODUCTION, "MFA_REQUIRED": "false"})


def test_two_factor_authentication_is_required_unless_switched_off():
    assert settings_at_start({})["MFA_REQUIRED"] is True
    assert settings_at_start({"MFA_REQUIRED": "false"})["MFA_REQUIRED"] is False


def test_production_answers_the_hsts_preload_question_and_silences_only_that_warning():
    started = settings_at_start(GOOD_PRODUCTION)

    assert started["SECURE_HSTS_PRELOAD"] is False
    assert started["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    assert started["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365


def test_trusted_proxies_are_addresses_or_networks_and_none_by_default():
    assert settings_at_start({})["TRUSTED_PROXIES"] == []
    assert settings_at_start({"TRUSTED_PROXIES": " 10.0.0.2, 10.1.0.0/16 "})["TRUSTED_PROXIES"] == [
        "10.0.0.2/32",
        "10.1.0.0/16",
    ]


def test_a_password_reset_link_works_for_an_hour(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
