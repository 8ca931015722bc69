"""`make run` without Redis: asking for a report answers at once, with the report waiting in
the queue `make run` keeps as files (TASK_QUEUE_DIR), and the worker `make run` starts beside
the server makes it and emails the person. The web side runs in a process of its own with
`make run`'s environment, so the settings it reads are the ones under test."""

import json
import subprocess
import sys

import pytest

from accounts.roles import Role
from reports.models import Report
from tests.digests.test_worker import ROOT, _env, wait_for
from tests.roles import host_psc, person_with

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ASK = """
import json, time
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
from django.test import Client
from accounts.models import User
from reports.models import Report

client = Client()
client.force_login(User.objects.get(pk={chair}))
started = time.perf_counter()
response = client.post(
    "/reports/", {{"scope": "psc-{psc}", "quarter": "2025/26 Q3", "format": "pdf"}}
)
seconds = time.perf_counter() - started
made = Report.objects.get()
print(json.dumps({{
    "status_code": response.status_code, "location": response.get("Location"),
    "seconds": seconds, "status": made.status, "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
}}))
"""


def make_run_env(tmp_path, mail_dir):
    # As `make run` has it: no Redis, a queue kept as files, email written to files.
    return _env(mail_dir, REDIS_URL="", TASK_QUEUE_DIR=str(tmp_path / "tasks"))


def test_in_make_run_a_report_is_asked_for_at_once_and_made_by_the_worker(reference_data, tmp_path):
    chair = person_with(Role.PSC_CHAIR, "north", full_name="North Chair")
    mail_dir = tmp_path / "var" / "mail"
    mail_dir.mkdir(parents=True)
    env = make_run_env(tmp_path, mail_dir)

    asked = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", ASK.format(chair=chair.pk, psc=host_psc("north").pk)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    answer = json.loads(asked.stdout.strip().splitlines()[-1])
    made = Report.objects.get()
    # The request answered with the report's page while the report was still waiting: no
    # task ran in the request, and its message is in the queue's folder.
    assert (answer["status_code"], answer["location"]) == (302, made.get_absolute_url())
    assert (answer["eager"], answer["broker"]) == (False, "filesystem://")
    assert answer["status"] == Report.Status.QUEUED
    assert made.status == Report.Status.QUEUED and made.queued_at is not None
    assert len(list((tmp_path / "tasks" / "messages").iterdir())) == 1

    # The worker `make run` starts takes it from the folder, makes it, and the email follows.
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1"]
    command += ["--without-gossip", "--without-mingle", "--loglevel=INFO"]
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip

    class Output:
        def output(self):
            return log.read_text()[-3000:]

    try:

        def ready():
            made.refresh_from_db()
            return made.is_finished

        wait_for(ready, 120, "the worker to make the report", Output())
        assert made.status == Report.Status.READY, made.message

        def emailed():
            return any(
                "quarterly report is ready" in path.read_text() for path in mail_dir.glob("*.log")
            )

        wait_for(emailed, 60, "the email", Output())
    finally:
        worker.terminate()
        worker.wait(timeout=30)
