"""Digests through a real Redis and a real Celery worker, including the worker being killed.

The worker is a separate process on the test database (PostgreSQL, committed rows), taking
tasks from the Redis in REDIS_URL and writing its mail to files in a temporary folder. Every
wait is bounded.
"""

import datetime
import email
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from mailer.models import Message

from accounts.roles import Role
from config.celery_app import app as celery_app
from digests import services
from digests.models import DigestDelivery, DigestFrequency
from learning.models import LearningItem
from tests.conftest import require_service
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
Status = DigestDelivery.Status
FINAL = {Status.SENT, Status.SKIPPED, Status.FAILED}
SITE = "https://portal.example.org"


def _redis_answers(url):
    if not url:
        return False
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _env(mail_dir, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL,
        VAR_DIR=str(mail_dir.parent),
        SITE_URL=SITE,
        EMAIL_BACKEND="tests.worker_mail.SlowFileBackend",
        MFA_REQUIRED="false",
    )
    env.update(extra)
    return env


class Worker:
    """A `celery worker --pool=solo` subprocess, started and stopped by the test; with
    `prefork=True`, one child process as production's workers have, which time limits need."""

    def __init__(self, tmp_path, redis_url=None, beat=False, prefork=False):
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "var" / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.process = None
        self.starts = 0
        self.redis_url = redis_url or settings.REDIS_URL
        self.beat = beat
        self.prefork = prefork

    def start(self):
        self.starts += 1
        if self.starts == 1:
            self._forget_other_tests_cache()
        log = self.tmp_path / f"worker-{self.starts}.log"
        name = f"digests-{uuid.uuid4().hex[:8]}@%h"
        pool = ["--pool=prefork", "--concurrency=1"] if self.prefork else ["--pool=solo"]
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", *pool]
        command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", name]
        if self.beat:
            # The schedule too, in the worker's process, as `celery beat` would run it.
            command += ["--beat", f"--schedule={self.tmp_path / 'beat-schedule'}"]
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=ROOT,
            env=_env(self.mail_dir, REDIS_URL=self.redis_url),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "ready." in log.read_text(), 60, "the worker to start", self)

    def _forget_other_tests_cache(self):
        """The worker caches in its Redis database, which outlives the test: figures a worker
        of an earlier test kept from that test's database would be read here as this one's.
        Only the cache's keys go; the queue, which the test may already have filled, stays."""
        client = redis.Redis.from_url(self.redis_url)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout=30):
        """A warm shutdown: the task in hand finishes, then the worker exits."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def output(self):
        return "\n".join(p.read_text()[-3000:] for p in sorted(self.tmp_path.glob("worker-*.log")))

    def emails(self, subject_has):
        """The emails written so far whose subject has `subject_has`, parsed."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for part in path.read_text().split("-" * 79):
                if part.strip():
                    message = email.message_from_string(part.strip())
                    if subject_has in (message["Subject"] or ""):
                        messages.append(message)
        return messages

    def digests(self):
        """The digest emails written so far, parsed."""
        return self.emails("new learning")


def wait_for(condition, seconds, what, worker=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    output = worker.output() if worker else ""
    pytest.fail(f"Gave up after {seconds}s waiting for {what}.\n{output}")


@pytest.fixture
def worker(reference_data, tmp_path):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the worker needs the test database in its own process; set DATABASE_URL to postgres://",
    )
    require_service("Redis", _redis_answers(settings.REDIS_URL), "set REDIS_URL to a real Redis")
    celery_app.control.purge()  # nothing left over from another test's run
    worker = Worker(tmp_path)
    worker.start()
    yield worker
    worker.stop()
    celery_app.control.purge()


def recipients(count, slug="north"):
    return [person_with(Role.FELLOW, slug, full_name=f"Fellow {n}") for n in range(count)]


def publish(title, slug="north"):
    return LearningItemFactory(
        title=title,
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
        region=region(slug),
    )


def plan_this_week():
    """Plan the period that contains now (as the next Monday's plan will)."""
    return services.digest_run_plan(
        frequency=DigestFrequency.WEEKLY, now=timezone.now() + datetime.timedelta(days=7)
    )


def statuses(run):
    return list(run.deliveries.values_list("status", flat=True))


def all_final(run):
    return set(statuses(run)) <= FINAL


def to_addresses(messages):
    return sorted(message["To"] for message in messages)


def test_the_worker_sends_each_subscriber_their_regions_digest_once(worker):
    north, south = recipients(2, "north"), recipients(1, "south")
    item = publish("Safer handover in the north")
    publish("Falls huddles in the south", "south")

    run = plan_this_week()

    wait_for(lambda: all_final(run), 60, "every delivery to be sent", worker)
    messages = worker.digests()
    assert to_addresses(messages) == sorted(p.email for p in north + south)
    north_message = next(m for m in messages if m["To"] == north[0].email)
    assert north_message["List-Unsubscribe"].strip().startswith(f"<{SITE}/digests/unsubscribe/")
    assert north_message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = (part.get_payload(decode=True).decode() for part in north_message.get_payload())
    assert "Safer handover in the north" in text and "Falls huddles" not in text
    assert f"{SITE}/learning/{item.pk}/" in html
    assert run.deliveries.filter(user__in=north + south, status=Status.SENT).count() == 3


def test_a_killed_worker_loses_no_digest_and_sends_at_most_one_twice(worker):
    people = recipients(12)
    publish("Safer handover")
    run = plan_this_week()
    wait_for(lambda: len(worker.digests()) >= 3, 60, "some digests to go out", worker)

    worker.kill()
    worker.start()
    # The restarted worker sends what was still queued. The task the killed worker held is
    # not redelivered until Redis's visibility timeout: its delivery stays pending (killed
    # before the claim) or claimed (killed mid-send) until the sweep finds it.
    wait_for(
        lambda: run.deliveries.exclude(status__in=FINAL).count() <= 1,
        60,
        "the queue to drain",
        worker,
    )
    time.sleep(1)
    services.digests_sweep(claim_timeout=datetime.timedelta(0), grace=datetime.timedelta(0))
    wait_for(lambda: all_final(run), 60, "the sweep to complete the run", worker)

    messages = worker.digests()
    assert set(to_addresses(messages)) == {p.email for p in people}
    assert len(messages) <= len(people) + 1
    assert run.deliveries.filter(user__in=people, status=Status.SENT).count() == len(people)


def test_a_graceful_shutdown_mid_run_sends_nobody_a_digest_twice(worker):
    people = recipients(10)
    publish("Safer handover")
    run = plan_this_week()
    wait_for(lambda: len(worker.digests()) >= 3, 60, "some digests to go out", worker)

    worker.stop()
    worker.start()
    wait_for(lambda: all_final(run), 60, "the restarted worker to finish the run", worker)

    assert to_addresses(worker.digests()) == sorted(p.email for p in people)


PUBLISH_WITHOUT_REDIS = """
import json
import django
django.setup()
from celery.signals import after_task_publish
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
# As in production: email goes to the outbox (the test environment would send it to memory).
settings.EMAIL_BACKEND = "portal.emails.OutboxBackend"
from django.test import Client
from accounts.models import User
from config.celery_app import app
published = []
after_task_publish.connect(lambda sender=None, **kwargs: published.append(sender), weak=False)
client = Client()
client.force_login(User.objects.get(pk={lead}))
client.get("/learning/{item}/")  # a server that has been running: pages loaded once
response = client.post("/learning/{item}/publish/")
conf = app.conf
print(json.dumps({{
    "status": response.status_code,
    "published": published,
    "connection_timeout": conf.broker_connection_timeout,
    "transport": conf.broker_transport_options,
    "publish_retry": conf.task_publish_retry_policy,
    "ignore_result": conf.task_ignore_result,
}}))
"""


def test_publishing_while_redis_is_down_succeeds_without_waiting_and_the_digest_follows(worker):
    lead = person_with(Role.REGIONAL_LEAD, "north")
    reader = recipients(1)[0]
    author = person_with(Role.FELLOW, "north")
    item = LearningItemFactory(
        title="Published during an outage",
        status=LearningItem.Status.SUBMITTED,
        created_by=author,
        region=region("north"),
    )

    # Nothing listens on this port: the publishing request has no broker at all.
    env = _env(worker.mail_dir, REDIS_URL="redis://127.0.0.1:6390/0")
    code = PUBLISH_WITHOUT_REDIS.format(lead=lead.pk, item=item.pk)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 302
    # Nothing reached a broker: the request gave up on queueing, logged it and succeeded.
    assert result["published"] == []
    assert "Could not queue" in done.stderr
    # What keeps the request from waiting on the broker: one quick connection attempt and
    # one retry at most, each bounded by a 2-second timeout, and no result store to contact.
    # (Timing the request instead fails on a busy machine; bench/ is for timings.)
    assert result["connection_timeout"] <= 2
    assert result["transport"]["socket_connect_timeout"] <= 2
    assert result["transport"]["max_retries"] <= 1
    assert result["publish_retry"]["max_retries"] <= 1
    assert result["publish_retry"]["interval_max"] <= 0.5
    assert result["ignore_result"] is True
    item.refresh_from_db()
    assert item.status == LearningItem.Status.PUBLISHED
    # The author's "published" email is in the outbox, written with the step.
    assert [message.to_addresses for message in Message.objects.all()] == [[author.email]]

    # With the real Redis back, beat's minute sends the outbox (here, asked for at once).
    celery_app.send_task("portal.tasks.send_queued_mail")
    wait_for(lambda: worker.emails("has been published"), 60, "the author's email", worker)
    wait_for(lambda: not Message.objects.exists(), 30, "the outbox to empty", worker)
    assert [m["To"] for m in worker.emails("has been published")] == [author.email]

    # The planner reads the database, so with the real Redis back the digest goes out.
    run = plan_this_week()
    wait_for(lambda: all_final(run), 60, "the digest to be sent", worker)
    messages = [m for m in worker.digests() if m["To"] == reader.email]
    assert len(messages) == 1
    assert (
        "Published during an outage"
        in messages[0].get_payload()[0].get_payload(decode=True).decode()
    )
