"""Asking for a report, making it (from its task), and sweeping up what the broker or a dead
worker left: a report is its own piece of work (portal/work.py)."""

import logging
import tempfile

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from portal.work import heartbeat, time_words, work_claim, work_queue, work_sweep
from reports import emails, files
from reports.models import KEPT_FOR, Report
from reports.sections import Scope, report

logger = logging.getLogger(__name__)

MAKE = "reports.tasks.make_report"


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
            if running.status == Report.Status.QUEUED and running.queued_at is None:
                # The broker never took it (Redis was down): asking again tries again now,
                # rather than waiting for the sweep.
                work_queue(Report, running.pk, MAKE)
            return running, False
        made = Report.objects.create(requested_by=by, **fields)
        work_queue(Report, made.pk, MAKE)
    return made, True


def report_make(*, report_id):
    """Make the report's file; claimed with a conditional UPDATE, so two workers never make
    the same one, and one left by a dead worker is made again. Any failure marks it failed
    with a message, never left running."""
    claimed = work_claim(
        Report, report_id, waiting=Report.Status.QUEUED, running=Report.Status.RUNNING
    )
    if not claimed:
        return None
    with heartbeat(Report, report_id):
        return _make(report_id)


def _make(report_id):
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
        # Ready, and the email saying so, in one transaction (the email goes from the outbox).
        with transaction.atomic():
            Report.objects.filter(pk=made.pk).update(
                status=Report.Status.READY,
                file=made.file.name,
                sections_done=total,
                finished_at=timezone.now(),
            )
            emails.report_ready_send(report_id=made.pk)
    except SoftTimeLimitExceeded:
        logger.exception("Report %s reached its time limit", made.pk)
        report_stopped(made.pk, seconds=None)
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
    return made.pk


def report_stopped(report_id, *, seconds):
    """Mark failed a report whose task ran out of time: told at the soft limit (`seconds`
    None), or killed at the hard limit by its worker, which calls this."""
    took = f"longer than {time_words(seconds)}" if seconds else "too long"
    return Report.objects.filter(
        pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
    ).update(
        status=Report.Status.FAILED,
        message=(
            f"The report took {took} to make and was stopped. Please ask for it again; a "
            "report of a smaller scope, or as a workbook rather than a PDF, is quicker."
        ),
        finished_at=timezone.now(),
    )


def reports_sweep(*, now=None):
    """Queue again what the broker never took and what a dead worker left being made, mark
    failed what has been tried too often, and delete files past their seven days. Returns
    (queued again, failed, deleted)."""
    now = now or timezone.now()
    again, failed = work_sweep(
        Report,
        MAKE,
        waiting=Report.Status.QUEUED,
        running=Report.Status.RUNNING,
        failed=Report.Status.FAILED,
        failure_fields={
            "message": "The report stopped before it was finished. Please ask for it again.",
            "finished_at": now,
        },
        now=now,
    )
    deleted = 0
    for old in Report.objects.filter(finished_at__lt=now - KEPT_FOR).exclude(file=""):
        old.file.delete(save=False)
        Report.objects.filter(pk=old.pk).update(file="")
        deleted += 1
    return again, failed, deleted
