import io
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from accounts.roles import Role
from portal.celery_app import app as celery_app
from tests.factories import UserFactory
from tests.roles import person_with

IN_CI = os.environ.get("CI", "").lower() == "true"

# A valid NHS number (its check digit is right), which free text must refuse, and the same
# digits with a wrong check digit, which is no NHS number and is accepted.
AN_NHS_NUMBER = "943 476 5919"
NOT_AN_NHS_NUMBER = "943 476 5918"


def require_service(name, available, why):
    """Skip a test that needs a service outside CI; in CI a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI: {why}")
    pytest.skip(f"{name} is not available here: {why}")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counts and used authenticator codes live in the cache: each test starts
    without any, so one test's failed sign-ins never lock another out."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request, monkeypatch):
    """Tasks run in the test's own process, as on a machine without Redis, even when REDIS_URL
    points the suite at a real Redis; only tests marked `worker` queue them for a real worker."""
    if request.node.get_closest_marker("worker") is None:
        monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture
def on_postgresql(db):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "full-text search runs on PostgreSQL; set DATABASE_URL to a postgres:// URL",
    )


@pytest.fixture
def no_mfa_required(settings):
    """For tests about roles, scope and records: the two-factor requirement is tested on its
    own (test_auth_mfa.py), and these people have not all set an authenticator up."""
    settings.MFA_REQUIRED = False


@pytest.fixture
def fellow(db):
    """The safety fellow of the north region."""
    return person_with(Role.FELLOW, "north", full_name="North Fellow")


@pytest.fixture
def lead(db):
    """The HEE regional lead of the north region."""
    return person_with(Role.REGIONAL_LEAD, "north")


@pytest.fixture
def national(db):
    return person_with(Role.NATIONAL)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def admin_user(db):
    """pytest-django's admin_client signs in this account: a superuser with an authenticator,
    as the admin requires."""
    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def signed_in_client(client, user):
    client.force_login(user)
    return client


def load_reference_data():
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data: schemes, regions and the PSCs."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data(transactional_db):
    """For tests on a real transaction (browser tests): the database is emptied after each one,
    taking the reference data with it, so load it again."""
    load_reference_data()
