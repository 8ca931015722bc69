"""A quarterly report made by a real Celery worker through Redis: it is claimed, its progress
moves, it is finished and the person is emailed, once; and made after its worker is killed."""

import datetime
import email

import pytest

from accounts.roles import Role
from portal.quarters import Quarter
from portal.work import STALE_AFTER
from reports import services
from reports.models import Report
from tests.digests.test_worker import wait_for, worker  # noqa: F401 - the worker fixture
from tests.roles import host_psc, person_with

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def ready_emails(running):
    found = []
    for path in sorted(running.mail_dir.glob("*.log")):
        for part in path.read_text().split("-" * 79):
            message = email.message_from_string(part.strip()) if part.strip() else None
            if message and "quarterly report is ready" in (message["Subject"] or ""):
                found.append(message)
    return found


def test_the_worker_makes_the_report_and_emails_the_person_once(worker):  # noqa: F811
    chair = person_with(Role.PSC_CHAIR, "north", full_name="North Chair")
    made, new = services.report_request(
        by=chair, quarter=Quarter(2025, 3), format=Report.Format.CSV, psc=host_psc("north")
    )
    assert new

    def finished():
        made.refresh_from_db()
        return made.is_finished

    wait_for(finished, 90, "the report to be made", worker)
    assert made.status == Report.Status.READY, made.message
    assert made.sections_done == made.sections_total == 9
    assert made.started_at <= made.finished_at
    wait_for(lambda: ready_emails(worker), 30, "the email", worker)
    messages = ready_emails(worker)
    assert [m["To"] for m in messages] == [chair.email]
    assert made.get_absolute_url() in messages[0].get_payload()


def test_a_worker_killed_while_making_a_report_leaves_it_to_the_sweep_and_it_is_made(worker):  # noqa: F811
    chair = person_with(Role.PSC_CHAIR, "north", full_name="North Chair")
    # A PDF takes seconds to lay out: long enough to kill the worker half way.
    made, _new = services.report_request(
        by=chair, quarter=Quarter(2025, 3), format=Report.Format.PDF, psc=host_psc("north")
    )

    def running():
        made.refresh_from_db()
        return made.status == Report.Status.RUNNING

    wait_for(running, 60, "the worker to start the report", worker)
    worker.kill()
    made.refresh_from_db()
    assert made.status == Report.Status.RUNNING  # nobody is left to finish it
    worker.start()

    # Beat runs the sweep every 30 seconds; here it runs once the worker has been quiet for
    # longer than a live one ever is.
    quiet_since = made.heartbeat_at
    again, failed, _deleted = services.reports_sweep(
        now=quiet_since + STALE_AFTER + datetime.timedelta(seconds=1)
    )
    assert (again, failed) == (1, 0)

    def finished():
        made.refresh_from_db()
        return made.is_finished

    wait_for(finished, 90, "the report to be made again", worker)
    assert made.status == Report.Status.READY, made.message
    assert made.attempts == 2
    wait_for(lambda: ready_emails(worker), 60, "the email", worker)
    assert [m["To"] for m in ready_emails(worker)] == [chair.email]
