import fcntl
import importlib
import io
import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils.text import slugify

from accounts.roles import Role
from config.celery_app import app as celery_app
from tests.accounts.factories import UserFactory
from tests.roles import person_with, sign_in_with_second_factor

# The browser tests' fixtures (`browser`, `context`, `page`) and helpers, for every test.
pytest_plugins = ["tests.browser"]

IN_CI = os.environ.get("CI", "").lower() == "true"

# A valid NHS number (its check digit is right), which free text must refuse, and the same
# digits with a wrong check digit, which is no NHS number and is accepted.
AN_NHS_NUMBER = "943 476 5919"
NOT_AN_NHS_NUMBER = "943 476 5918"


# A test that asks for one of these drives a real Chromium; one that asks for `redis_server`
# starts a Redis server of its own. Tests that start a process themselves are marked `slow`
# where they are.
BROWSER_FIXTURES = {"browser", "context", "page"}
PROCESS_FIXTURES = BROWSER_FIXTURES | {"redis_server"}


def pytest_collection_modifyitems(config, items):
    """Mark `browser` every test that uses the browser, wherever its file is, and `slow` every
    test whose fixtures start a browser or a process."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if BROWSER_FIXTURES & fixtures:
            item.add_marker(pytest.mark.browser)
        if PROCESS_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)


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
    own (tests/accounts/test_mfa.py), and these people have not all set an authenticator up."""
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
    """admin_client signs in this account: a superuser of the national team with an
    authenticator, as the admin requires."""
    return person_with(Role.NATIONAL, email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    """Signed in with a password and an authenticator code, as the admin requires."""
    return sign_in_with_second_factor(client, admin_user)


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


def reseed_migration_data():
    """The rows the data migrations seed (the syllabus, themes, professions, search synonyms and
    deadlines), from the migrations' own lists: a test on a real transaction empties every
    table after it."""
    from register.models import ResponseDeadline
    from taxonomy.models import (
        Profession,
        SearchSynonym,
        SyllabusDomain,
        SyllabusLevel,
        SyllabusTag,
        Theme,
    )

    taxonomy = importlib.import_module("learning.migrations.0002_syllabus_and_themes")
    for number, name in taxonomy.DOMAINS:
        SyllabusDomain.objects.get_or_create(number=number, defaults={"name": name})
    for number, name, audience in taxonomy.LEVELS:
        SyllabusLevel.objects.get_or_create(
            number=number, defaults={"name": name, "audience": audience}
        )
    for name in taxonomy.THEMES:
        Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for domain in SyllabusDomain.objects.all():
        for level in SyllabusLevel.objects.all():
            SyllabusTag.objects.get_or_create(domain=domain, level=level)
    professions = importlib.import_module("taxonomy.migrations.0003_professions")
    for order, name in enumerate(professions.PROFESSIONS):
        Profession.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "display_order": order}
        )
    synonyms = importlib.import_module("taxonomy.migrations.0004_search_synonyms")
    for term, meaning in synonyms.SYNONYMS:
        SearchSynonym.objects.get_or_create(term=term, meaning=meaning)
    register = importlib.import_module("register.migrations.0002_deadlines_and_search")
    for kind, days in register.DEADLINES.items():
        ResponseDeadline.objects.get_or_create(kind=kind, defaults={"days": days})


@pytest.fixture
def reference_data(transactional_db):
    """For tests on a real transaction (browser tests): the database is emptied after each one,
    taking the reference data and what the migrations seeded with it, so load them again."""
    load_reference_data()
    reseed_migration_data()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around a whole module, rolled back after its last test: records built
    once in it are seen by every test of the module and by no other module. Each test's own
    `db` transaction is a savepoint inside it, so what one test changes is undone before the
    next. Build the records in a module-scoped fixture under `with module_db():`, which opens
    the database and hashes passwords as fast as the tests do (their settings come later)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()

    @contextmanager
    def building():
        fast_hashing = override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        )
        with django_db_blocker.unblock(), fast_hashing:
            yield

    try:
        yield building
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="session", autouse=True)
def _a_redis_cache_of_its_own_per_xdist_worker():
    """Under pytest-xdist (`make test-fast`) with a Redis cache, each worker process keeps its
    cache in a Redis database of its own: REDIS_URL's number plus 1 for gw0, plus 2 for gw1.
    Clearing the cache around every test flushes the whole database; a shared one would lose
    the other process's rate-limit counts, and the Celery queue the worker tests use."""
    xdist_worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1...
    default = settings.CACHES["default"]
    if not xdist_worker or "Redis" not in default["BACKEND"]:
        yield
        return
    location = urlsplit(default["LOCATION"])
    database = int(location.path.strip("/") or 0) + 1 + int(xdist_worker.removeprefix("gw"))
    own = {**default, "LOCATION": location._replace(path=f"/{database}").geturl()}
    with override_settings(CACHES={**settings.CACHES, "default": own}):
        yield


@pytest.fixture(autouse=True)
def _worker_tests_take_turns(request, tmp_path_factory):
    """Tests marked `worker` share one Redis queue (and purge it): under pytest-xdist they
    take turns across the worker processes, holding a lock file all of them see."""
    if request.node.get_closest_marker("worker") is None:
        yield
        return
    with (tmp_path_factory.getbasetemp().parent / "worker-tests.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# A Redis server of a test's own, which it can really stop.


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port):
    import redis

    try:
        return redis.Redis(port=port, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


class RedisServer:
    def __init__(self, tmp_path):
        self.port = _free_port()
        self.tmp_path = tmp_path
        self.start()

    def start(self):
        """Start (or start again, empty, on the same port: as after an outage)."""
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.tmp_path)]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while not _answers(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                pytest.fail("the test's own Redis server did not start")
            time.sleep(0.05)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        assert not _answers(self.port)


@pytest.fixture
def redis_server(tmp_path, settings):
    require_service(
        "redis-server", shutil.which("redis-server"), "install Redis to start one per test"
    )
    server = RedisServer(tmp_path)
    caches = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.cache.RedisCacheWithFallback",
            "LOCATION": server.url,
            "KEY_PREFIX": "portal",
            "FALLBACK": "fallback",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    with override_settings(CACHES=caches):
        yield server
    server.stop()


# An S3-compatible object store of a test's own (moto's server, in a process), with an empty
# bucket: the portal's files go there as in production (config/env.py, docs/adr/0040).


@pytest.fixture
def s3_server(tmp_path):
    import importlib.util

    from ops.stack import S3Server

    require_service(
        "moto's S3 server",
        importlib.util.find_spec("moto.server") is not None,
        "install the development dependencies (uv sync) to start one per test",
    )
    server = S3Server(_free_port(), tmp_path / "s3-server.log")
    try:
        server.start()
    except RuntimeError as error:
        server.stop()
        pytest.fail(str(error))
    yield server
    server.stop()


@pytest.fixture
def files_in_s3(s3_server, settings):
    """The portal's files in the test's own bucket, as production's settings would put them."""
    from config.env import file_storage

    settings.STORAGES = {**settings.STORAGES, "default": file_storage(s3_server.environment())}
    return s3_server
