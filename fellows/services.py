"""Writes to initiatives. Each is one transaction, so an initiative is never left without its
fellows or with half of an edit; each save and its links make one history entry."""

from django.utils import timezone

from fellows.models import Initiative
from portal.records import record_create, record_update


def initiative_create(*, by, **fields):
    """A new initiative; its fellows are the creator unless others are named."""
    if not fields.get("fellows"):
        fields["fellows"] = [by]
    return record_create(Initiative, created_by=by, **fields)


def initiative_update(*, initiative, expected_version, **fields):
    """Save an edit made from `expected_version`; EditConflict if someone saved since."""
    return record_update(initiative, expected_version=expected_version, **fields)


def milestone_complete(*, milestone, on=None):
    """Mark the milestone done (today unless `on` is given); a done one keeps its date."""
    if milestone.completed_on is None:
        milestone.completed_on = on or timezone.localdate()
        milestone.save(update_fields=["completed_on"])
    return milestone
