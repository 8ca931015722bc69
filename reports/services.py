"""Asking for a report, making it (from its task), and sweeping up what a dead worker left."""

import datetime
import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from portal.queueing import enqueue
from reports import files
from reports.models import KEPT_FOR, Report
from reports.sections import Scope, report

logger = logging.getLogger(__name__)

# A report still "being made" this long after it started has lost its worker.
STUCK_AFTER = datetime.timedelta(minutes=20)


def report_request(*, by, quarter, format, region=None, psc=None):
    """The report of this scope, quarter and format: one already under way (anyone's: the
    contents depend on the scope, not the person), or a new one queued for its task."""
    with transaction.atomic():
        fields = {
            "region": psc.primary_region if psc else region,
            "psc": psc,
            "year": quarter.year,
            "quarter_number": quarter.number,
            "format": format,
        }
        running = Report.objects.unfinished().filter(**fields).select_for_update().first()
        if running is not None:
            return running, False
        made = Report.objects.create(requested_by=by, **fields)
        transaction.on_commit(lambda: enqueue("reports.tasks.make_report", made.pk))
    return made, True


def report_make(*, report_id):
    """Make the report's file; claimed with a conditional UPDATE, so two workers never make
    the same one. Any failure marks it failed with a message, never left running."""
    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    made = Report.objects.select_related("region", "psc__primary_region").get(pk=report_id)
    try:
        scope = Scope.of_psc(made.psc) if made.psc_id else Scope(region=made.region)
        contents = report(scope, made.quarter)
        total = len(contents.sections)
        Report.objects.filter(pk=made.pk).update(sections_total=total)

        def progress(done, total):
            Report.objects.filter(pk=made.pk).update(sections_done=done)

        with tempfile.TemporaryFile() as target:
            if made.format == Report.Format.XLSX:
                files.write_xlsx(contents, target, progress=progress)
            elif made.format == Report.Format.PDF:
                files.write_pdf(contents, target, progress=progress)
            else:
                for chunk in files.csv_zip_chunks(contents, progress=progress):
                    target.write(chunk)
            target.seek(0)
            made.file.save(made.filename, File(target), save=False)
        Report.objects.filter(pk=made.pk).update(
            status=Report.Status.READY,
            file=made.file.name,
            sections_done=total,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Report %s failed", made.pk)
        Report.objects.filter(pk=made.pk).update(
            status=Report.Status.FAILED,
            message=(
                f"The report could not be made ({type(error).__name__}). Please ask for it again."
            ),
            finished_at=timezone.now(),
        )
        return made.pk
    transaction.on_commit(lambda: enqueue("reports.tasks.send_report_ready", made.pk))
    return made.pk


def reports_sweep(*, now=None):
    """Mark failed what a dead worker left being made, and delete files past their seven
    days. Returns (failed, deleted)."""
    now = now or timezone.now()
    failed = Report.objects.filter(
        status=Report.Status.RUNNING, started_at__lt=now - STUCK_AFTER
    ).update(
        status=Report.Status.FAILED,
        message="The report stopped before it was finished. Please ask for it again.",
        finished_at=now,
    )
    deleted = 0
    for old in Report.objects.filter(finished_at__lt=now - KEPT_FOR).exclude(file=""):
        old.file.delete(save=False)
        Report.objects.filter(pk=old.pk).update(file="")
        deleted += 1
    return failed, deleted
