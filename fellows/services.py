"""Writes to initiatives. Each is one transaction, so an initiative is never left without its
fellows or with half of an edit; each save and its links make one history entry."""

from django.db.models import F
from django.utils import timezone

from fellows.models import Initiative, Milestone
from portal.records import record_create, record_update


def initiative_create(*, by, **fields):
    """A new initiative; its fellows are the creator unless others are named."""
    if not fields.get("fellows"):
        fields["fellows"] = [by]
    return record_create(Initiative, created_by=by, **fields)


def initiative_update(*, initiative, expected_version, **fields):
    """Save an edit made from `expected_version`; EditConflict if someone saved since."""
    return record_update(initiative, expected_version=expected_version, **fields)


def milestone_update(*, milestone, expected_version, **fields):
    """Save an edit made from `expected_version`; EditConflict if someone saved since."""
    return record_update(milestone, expected_version=expected_version, **fields)


def milestone_complete(*, milestone, on=None):
    """Mark the milestone done (today unless `on` is given); a done one keeps its date. It is a
    change like an edit: a form opened before it no longer saves over it."""
    on = on or timezone.localdate()
    Milestone.objects.filter(pk=milestone.pk, completed_on__isnull=True).update(
        completed_on=on, version=F("version") + 1
    )
    milestone.refresh_from_db(fields=["completed_on", "version"])
    return milestone
