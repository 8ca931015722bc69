"""Uploading a file (checked at once, nothing saved), confirming it (queued with the change
that asks for it), importing it all or nothing (from its task), sweeping up what the broker or
a dead worker left, and undoing an import within a day."""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from imports.checking import check, guess_mapping
from imports.history import recorded_as
from imports.kinds import KINDS
from imports.models import ColumnMapping, Import, ImportedRecord
from imports.reading import open_table
from portal.work import heartbeat, time_words, work_claim, work_queue, work_sweep

logger = logging.getLogger(__name__)

RUN = "imports.tasks.run_import"
CHECK = "imports.tasks.check_import"
# A file this large (a few thousand rows) is checked by a task, with progress, rather than
# while the person waits for the page.
CHECK_IN_BACKGROUND_FROM = 512 * 1024
# The uploaded file is deleted this long after the import finished (or was undone): what it
# made is kept, with its history, but the file itself is not needed again.
FILE_KEPT_FOR = datetime.timedelta(days=7)


class NotUndone(Exception):
    """The import cannot be undone; the message says why."""


def headers_of(upload):
    """The header row of an uploaded file, or Unreadable."""
    return open_table(upload).headers


def remembered_mapping(*, user, kind):
    saved = ColumnMapping.objects.filter(user=user, kind=kind).first()
    return saved.mapping if saved else {}


def import_upload(*, by, kind, upload, mapping=None):
    """Keep the file and check it; nothing of it is saved but the check's findings. Raises
    Unreadable for a file that cannot be read at all."""
    table = open_table(upload)
    if mapping is None:
        mapping = guess_mapping(KINDS[kind], table.headers, remembered_mapping(user=by, kind=kind))
    else:
        ColumnMapping.objects.update_or_create(
            user=by, kind=kind, defaults={"mapping": {h: n for h, n in mapping.items() if n}}
        )
    batch = Import(
        kind=kind,
        filename=(getattr(upload, "name", "") or "upload")[-255:],
        created_by=by,
        mapping={h: n for h, n in mapping.items() if h},
    )
    if _size(upload) >= CHECK_IN_BACKGROUND_FROM:
        upload.seek(0)
        with transaction.atomic():
            batch.status = Import.Status.UPLOADED
            batch.file.save(batch.filename.rsplit("/", 1)[-1], upload, save=False)
            batch.save()
            work_queue(Import, batch.pk, CHECK)
        return batch
    checked = check(KINDS[kind], table, by, mapping=mapping)
    upload.seek(0)
    _note_check(batch, checked)
    batch.file.save(batch.filename.rsplit("/", 1)[-1], upload, save=False)
    batch.save()
    return batch


def _size(upload):
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return size


def import_check(*, import_id):
    """Check a large file in the background, claimed as any work is; the preview is then as
    for a small one."""
    claimed = work_claim(
        Import, import_id, waiting=Import.Status.UPLOADED, running=Import.Status.CHECKING
    )
    if not claimed:
        return None
    with heartbeat(Import, import_id):
        batch = Import.objects.select_related("created_by").get(pk=import_id)
        try:
            with batch.file.open("rb") as upload:
                checked = check(
                    KINDS[batch.kind],
                    open_table(upload),
                    batch.created_by,
                    mapping=batch.mapping,
                    progress=lambda done: Import.objects.filter(pk=batch.pk).update(rows_done=done),
                )
            _note_check(batch, checked)
            Import.objects.filter(pk=batch.pk).update(
                status=Import.Status.CHECKED,
                rows_total=batch.rows_total,
                rows_done=0,
                to_create=batch.to_create,
                to_update=batch.to_update,
                error_count=batch.error_count,
                preview=batch.preview,
                # Confirming makes it work again, with attempts of its own.
                attempts=0,
                queued_at=None,
                started_at=None,
                heartbeat_at=None,
            )
        except SoftTimeLimitExceeded:
            logger.exception("Import %s reached its time limit while checked", batch.pk)
            import_check_stopped(batch.pk, seconds=None)
        except Exception as error:
            logger.exception("Import %s could not be checked", batch.pk)
            Import.objects.filter(pk=batch.pk).update(
                status=Import.Status.FAILED,
                message=f"The file could not be checked ({type(error).__name__}). Please "
                "upload it again.",
                finished_at=timezone.now(),
            )
    return import_id


def _note_check(batch, checked):
    batch.rows_total = checked.rows_total
    batch.to_create = checked.to_create
    batch.to_update = checked.to_update
    batch.error_count = checked.error_count
    batch.preview = checked.as_preview()


def import_confirm(*, batch, by):
    """Queue a checked import with no errors; a second confirmation does nothing."""
    with transaction.atomic():
        confirmed = Import.objects.filter(
            pk=batch.pk, status=Import.Status.CHECKED, error_count=0
        ).update(status=Import.Status.QUEUED, confirmed_at=timezone.now())
        if confirmed:
            work_queue(Import, batch.pk, RUN)
    return bool(confirmed)


def import_run(*, import_id):
    """Import the file, claimed with a conditional UPDATE so two workers never run it twice."""
    if not work_claim(
        Import, import_id, waiting=Import.Status.QUEUED, running=Import.Status.RUNNING
    ):
        return None
    with heartbeat(Import, import_id):
        return _run(import_id)


def _run(import_id):
    batch = Import.objects.select_related("created_by").get(pk=import_id)
    kind = KINDS[batch.kind]
    by = batch.created_by
    try:
        # Checked again: the portal may have changed since the preview (a record edited, a
        # role ended), and the rules are those of the moment of saving.
        with batch.file.open("rb") as upload:
            table = open_table(upload)
            checked = check(
                kind,
                table,
                by,
                mapping=batch.mapping,
                progress=lambda done: Import.objects.filter(pk=batch.pk).update(rows_done=done),
            )
        if checked.error_count:
            _note_check(batch, checked)
            Import.objects.filter(pk=batch.pk).update(
                status=Import.Status.FAILED,
                preview=batch.preview,
                error_count=batch.error_count,
                message="Nothing was imported: the file has errors now that it did not have "
                "when it was checked. Correct them and upload it again.",
                finished_at=timezone.now(),
            )
            return batch.pk
        with transaction.atomic(), recorded_as(by, batch.change_reason):
            made = kind.save(checked.planned, by=by, reason=batch.change_reason)
            _remember(batch, made)
            Import.objects.filter(pk=batch.pk).update(
                status=Import.Status.DONE,
                created=sum(1 for _record, created in made if created),
                updated=sum(1 for _record, created in made if not created),
                rows_done=checked.rows_total,
                finished_at=timezone.now(),
            )
    except SoftTimeLimitExceeded:
        logger.exception("Import %s reached its time limit", batch.pk)
        import_run_stopped(batch.pk, seconds=None)
    except Exception as error:
        logger.exception("Import %s failed", batch.pk)
        Import.objects.filter(pk=batch.pk).update(
            status=Import.Status.FAILED,
            message=f"Nothing was imported: the import stopped ({type(error).__name__}). "
            "Please try again.",
            finished_at=timezone.now(),
        )
    return batch.pk


def _took(seconds):
    return f"longer than {time_words(seconds)}" if seconds else "too long"


def import_check_stopped(import_id, *, seconds):
    """Mark failed an import whose check ran out of time: told at the soft limit (`seconds`
    None), or killed at the hard limit by its worker, which calls this."""
    return Import.objects.filter(
        pk=import_id, status__in=[Import.Status.UPLOADED, Import.Status.CHECKING]
    ).update(
        status=Import.Status.FAILED,
        message=f"The file could not be checked: checking it took {_took(seconds)} and was "
        "stopped. Please upload it in smaller parts.",
        finished_at=timezone.now(),
    )


def import_run_stopped(import_id, *, seconds):
    """As import_check_stopped, for the import itself: its transaction was never committed,
    so nothing of it was saved."""
    return Import.objects.filter(
        pk=import_id, status__in=[Import.Status.QUEUED, Import.Status.RUNNING]
    ).update(
        status=Import.Status.FAILED,
        message=f"Nothing was imported: the import took {_took(seconds)} and was stopped. "
        "Please import the file in smaller parts.",
        finished_at=timezone.now(),
    )


def _remember(batch, made):
    types = {}
    rows = []
    for record, created in made:
        model = type(record)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        rows.append(
            ImportedRecord(
                batch=batch,
                content_type=types[model],
                object_id=record.pk,
                created=created,
                version=getattr(record, "version", None),
            )
        )
    ImportedRecord.objects.bulk_create(rows, batch_size=2000)


def imports_sweep(*, now=None):
    """Queue again the checks and imports the broker never took or a dead worker left.
    Returns (queued again, failed), both kinds of work together."""
    checks = work_sweep(
        Import,
        CHECK,
        waiting=Import.Status.UPLOADED,
        running=Import.Status.CHECKING,
        failed=Import.Status.FAILED,
        failure_fields={
            "message": "The file could not be checked: the check stopped before it finished. "
            "Please upload it again.",
            "finished_at": now or timezone.now(),
        },
        now=now,
    )
    runs = work_sweep(
        Import,
        RUN,
        waiting=Import.Status.QUEUED,
        running=Import.Status.RUNNING,
        failed=Import.Status.FAILED,
        failure_fields={
            "message": "Nothing was imported: the import stopped before it finished. Please "
            "try again.",
            "finished_at": now or timezone.now(),
        },
        now=now,
    )
    _delete_old_files(now or timezone.now())
    return checks[0] + runs[0], checks[1] + runs[1]


def _delete_old_files(now):
    """Delete the uploaded files of imports finished (or undone) more than FILE_KEPT_FOR ago.
    Returns how many."""
    finished = [Import.Status.DONE, Import.Status.FAILED, Import.Status.UNDONE]
    old = Import.objects.filter(status__in=finished, finished_at__lt=now - FILE_KEPT_FOR)
    deleted = 0
    for batch in old.exclude(file="").only("pk", "file"):
        batch.file.delete(save=False)
        Import.objects.filter(pk=batch.pk).update(file="")
        deleted += 1
    if deleted:
        logger.info("Deleted the files of %s imports finished over 7 days ago", deleted)
    return deleted


def import_undo(*, batch, by):
    """Delete what the import created and put back what it updated, all or nothing, if it
    finished within the last day and nobody has changed any of it since."""
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=batch.pk)
        if not locked.may_be_undone():
            raise NotUndone(
                "This import can no longer be undone: an import can be undone for 24 hours "
                "after it finished."
            )
        records = list(locked.records.select_related("content_type"))
        changed = []
        by_model = {}
        for entry in records:
            by_model.setdefault(entry.content_type.model_class(), []).append(entry)
        current = {}
        for model, entries in by_model.items():
            rows = model._base_manager.select_for_update().in_bulk([e.object_id for e in entries])
            for entry in entries:
                record = rows.get(entry.object_id)
                current[entry.pk] = record
                if record is None or getattr(record, "version", None) != entry.version:
                    changed.append(str(record) if record is not None else "a deleted record")
        if changed:
            raise NotUndone(
                f"This import cannot be undone: {len(changed)} of the records it made or "
                f"changed have been changed since ({', '.join(changed[:3])}"
                f"{'...' if len(changed) > 3 else ''})."
            )
        reason = f"Undoing import {locked.pk}"
        with recorded_as(by, reason):
            for entry in records:
                record = current[entry.pk]
                if entry.created:
                    try:
                        record.delete()
                    except ProtectedError:
                        raise NotUndone(
                            f"This import cannot be undone: {record} is now used by another "
                            "record (an adoption, a response, a link)."
                        ) from None
                else:
                    _put_back(record, locked)
        Import.objects.filter(pk=locked.pk).update(
            status=Import.Status.UNDONE, undone_at=timezone.now()
        )


def _put_back(record, batch):
    """The record's own fields as they were just before the import changed them, from its
    history. Its links (themes, syllabus) are left as the import made them."""
    before = (
        record.history.filter(history_date__lt=batch.confirmed_at or batch.created_at)
        .order_by("-history_date")
        .first()
    )
    if before is None:
        return
    old = before.instance
    old.version = record.version + 1
    old.save()
