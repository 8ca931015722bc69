"""A report whose task runs past its soft time limit, in a real prefork Celery worker (time
limits need one), marks itself failed with a message. (At the hard limit the worker's main
process does it: tests/reports/test_reports.py.)"""

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


def test_a_report_told_of_its_soft_time_limit_marks_itself_failed(prefork_worker):
    report = a_waiting_pdf()
    make_report.apply_async(args=[report.pk], time_limit=60, soft_time_limit=1)

    wait_for(finished(report), 60, "the report to be failed", prefork_worker)
    assert report.status == Report.Status.FAILED
    assert "took too long to make and was stopped" in report.message
    assert not report.file
