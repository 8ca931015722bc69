"""Writes to initiatives. Each is one transaction, so an initiative is never left without its
fellows or with half of an edit; each save and its links make one history entry."""

from django.db import transaction
from django.utils import timezone

from fellows.models import Initiative
from portal.concurrency import save_if_unchanged
from portal.history import one_history_entry

MANY_TO_MANY = ("partners", "themes", "syllabus_domains", "syllabus_levels", "fellows")


def _split(fields):
    many = {name: fields.pop(name) for name in MANY_TO_MANY if name in fields}
    return fields, many


def initiative_create(*, by, **fields):
    """A new initiative; its fellows are the creator unless others are named."""
    fields, many = _split(dict(fields))
    if not many.get("fellows"):
        many["fellows"] = [by]
    initiative = Initiative(created_by=by, **fields)
    initiative.full_clean(exclude=["created_by"])
    with transaction.atomic(), one_history_entry(initiative, created=True):
        initiative.save()
        _set_many(initiative, many)
    return initiative


def _set_many(initiative, many):
    for name, values in many.items():
        getattr(initiative, name).set(values)


def initiative_update(*, initiative, expected_version, **fields):
    """Save an edit made from `expected_version`; EditConflict if someone saved since."""
    fields, many = _split(dict(fields))
    for name, value in fields.items():
        setattr(initiative, name, value)
    return save_if_unchanged(
        initiative,
        expected_version=expected_version,
        save_related=lambda: _set_many(initiative, many),
    )


def milestone_complete(*, milestone, on=None):
    """Mark the milestone done (today unless `on` is given); a done one keeps its date."""
    if milestone.completed_on is None:
        milestone.completed_on = on or timezone.localdate()
        milestone.save(update_fields=["completed_on"])
    return milestone
