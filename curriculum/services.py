"""Writes to curriculum entries (with their status history), training sessions and staff
support. Each is one transaction with one history entry."""

from django.db import transaction

from curriculum.models import CurriculumEntry, CurriculumStatusChange, StaffSupport, TrainingSession
from portal.records import record_create, record_update


def curriculum_entry_create(*, by, **fields):
    with transaction.atomic():
        entry = record_create(CurriculumEntry, created_by=by, **fields)
        CurriculumStatusChange.objects.create(
            entry=entry, to_status=entry.status, on=entry.status_on, by=by
        )
    return entry


def curriculum_entry_update(*, entry, expected_version, **fields):
    return record_update(entry, expected_version=expected_version, **fields)


def curriculum_status_change(*, entry, expected_version, by, status, on):
    """Move the entry to `status` on `on`, keeping the change in its status history."""
    with transaction.atomic():
        from_status = entry.status
        record_update(entry, expected_version=expected_version, status=status, status_on=on)
        return CurriculumStatusChange.objects.create(
            entry=entry, from_status=from_status, to_status=status, on=on, by=by
        )


def training_session_create(*, by, **fields):
    return record_create(TrainingSession, created_by=by, **fields)


def training_session_update(*, session, expected_version, **fields):
    return record_update(session, expected_version=expected_version, **fields)


def staff_support_create(*, by, **fields):
    return record_create(StaffSupport, created_by=by, **fields)


def staff_support_update(*, support, expected_version, **fields):
    return record_update(support, expected_version=expected_version, **fields)
