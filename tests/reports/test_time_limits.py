"""A report whose task runs out of time is marked failed with a message, by a real prefork
Celery worker (time limits need one): at the soft limit by the task itself, at the hard
limit, where the task's process is killed, by the worker's main process."""

import pytest

from accounts.roles import Role
from config.celery_app import app as celery_app
from reports.models import Report
from reports.tasks import make_report
from tests.conftest import require_service
from tests.digests.test_worker import Worker, _redis_answers, wait_for
from tests.roles import host_psc, person_with

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def prefork_worker(reference_data, tmp_path, settings):
    from django.db import connection

    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the worker needs the test database in its own process; set DATABASE_URL to postgres://",
    )
    require_service("Redis", _redis_answers(settings.REDIS_URL), "set REDIS_URL to a real Redis")
    celery_app.control.purge()
    worker = Worker(tmp_path, prefork=True)
    worker.start()
    yield worker
    worker.stop()
    celery_app.control.purge()


def a_waiting_pdf():
    chair = person_with(Role.PSC_CHAIR, "north", full_name="North Chair")
    psc = host_psc("north")
    return Report.objects.create(
        requested_by=chair, psc=psc, region=psc.primary_region, year=2025, quarter_number=3,
        format=Report.Format.PDF,
    )  # fmt: skip


def finished(report):
    def check():
        report.refresh_from_db()
        return report.is_finished

    return check


def test_a_report_killed_at_its_hard_time_limit_is_marked_failed(prefork_worker):
    report = a_waiting_pdf()
    # Laying out a PDF takes seconds; a hard limit of half a second kills it part way.
    make_report.apply_async(args=[report.pk], time_limit=0.5, soft_time_limit=60)

    wait_for(finished(report), 60, "the report to be failed", prefork_worker)
    assert report.status == Report.Status.FAILED
    assert "took longer than 0 seconds to make and was stopped" in report.message
    assert "Hard time limit" in prefork_worker.output()
    assert not report.file


def test_a_report_told_of_its_soft_time_limit_marks_itself_failed(prefork_worker):
    report = a_waiting_pdf()
    make_report.apply_async(args=[report.pk], time_limit=60, soft_time_limit=1)

    wait_for(finished(report), 60, "the report to be failed", prefork_worker)
    assert report.status == Report.Status.FAILED
    assert "took too long to make and was stopped" in report.message
    assert not report.file
