"""Nothing asked for while Redis is down is lost (portal/work.py, portal/emails.py): a report,
an import and an email asked for during an outage are each done once after Redis comes back,
by a real worker and the beat schedule, within the sweeps' intervals."""

import json
import subprocess
import sys

import pytest
from mailer.models import Message

from accounts.roles import Role
from imports.models import Import
from learning.models import LearningItem
from reports.models import Report
from tests.digests.test_worker import ROOT, Worker, _env, _redis_answers, wait_for
from tests.roles import host_psc, person_with, region

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ASK_WHILE_DOWN = """
import json
import django
django.setup()
from accounts.models import User
from accounts.roles import Role
from accounts.services import invitation_create
from imports.services import import_confirm, import_upload
from portal.quarters import Quarter
from regions.models import PatientSafetyCollaborative, Region
from reports.models import Report
from reports.services import report_request
from tests.imports.files import LEARNING_HEADERS, csv_file, learning_row
chair = User.objects.get(pk={chair})
lead = User.objects.get(pk={lead})
report, _new = report_request(
    by=chair, quarter=Quarter(2025, 3), format=Report.Format.CSV,
    psc=PatientSafetyCollaborative.objects.get(pk={psc}),
)
invitation = invitation_create(
    by=lead, email="new.fellow@example.org", full_name="New Fellow", role=Role.FELLOW,
    region=Region.objects.get(pk={region}), psc=PatientSafetyCollaborative.objects.get(pk={psc}),
)
fellow = User.objects.get(pk={fellow})
rows = [learning_row("Huddles imported during an outage")]
batch = import_upload(by=fellow, kind="learning", upload=csv_file(LEARNING_HEADERS, rows))
assert batch.error_count == 0, batch.pk
assert import_confirm(batch=batch, by=fellow)
print(json.dumps({{"report": report.pk, "import": batch.pk}}))
"""


def test_a_report_an_import_and_an_email_asked_for_while_redis_is_down_are_each_done_once(
    reference_data, redis_server, tmp_path
):
    from django.db import connection

    from tests.conftest import require_service

    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the worker needs the test database in its own process; set DATABASE_URL to postgres://",
    )
    assert _redis_answers(redis_server.url)
    chair = person_with(Role.PSC_CHAIR, "north", full_name="North Chair")
    lead = person_with(Role.REGIONAL_LEAD, "north", full_name="North Lead")
    fellow = person_with(Role.FELLOW, "north", full_name="North Fellow")
    worker = Worker(tmp_path, redis_url=redis_server.url, beat=True)
    worker.start()
    try:
        redis_server.stop()

        code = ASK_WHILE_DOWN.format(
            chair=chair.pk,
            lead=lead.pk,
            fellow=fellow.pk,
            psc=host_psc("north").pk,
            region=region("north").pk,
        )
        asked = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=_env(worker.mail_dir, REDIS_URL=redis_server.url),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert asked.returncode == 0, asked.stderr[-3000:]
        assert "Could not queue" in asked.stderr  # the broker was really down
        made = json.loads(asked.stdout.strip().splitlines()[-1])
        report = Report.objects.get(pk=made["report"])
        assert (report.status, report.queued_at) == (Report.Status.QUEUED, None)
        batch = Import.objects.get(pk=made["import"])
        assert (batch.status, batch.queued_at) == (Import.Status.QUEUED, None)
        assert Message.objects.count() == 1  # the invitation, in the outbox

        redis_server.start()

        # Beat sweeps the reports every 30 seconds and sends the outbox every minute; after
        # the worker reconnects, both are done within a couple of those intervals.
        def done():
            report.refresh_from_db()
            batch.refresh_from_db()
            return (
                report.status == Report.Status.READY
                and batch.status == Import.Status.DONE
                and worker.emails("invited")
                and worker.emails("quarterly report is ready")
            )

        wait_for(done, 180, "the report, the import and both emails after Redis came back", worker)
        wait_for(lambda: not Message.objects.exists(), 60, "the outbox to empty", worker)
        assert report.attempts == 1
        assert batch.attempts == 1
        imported = LearningItem.objects.filter(title="Huddles imported during an outage")
        assert imported.count() == 1
        assert [m["To"] for m in worker.emails("invited")] == ["new.fellow@example.org"]
        assert [m["To"] for m in worker.emails("quarterly report is ready")] == [chair.email]
    finally:
        worker.stop()
