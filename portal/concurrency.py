"""Refusing the second of two overlapping edits.

Each editable record carries a version number. A form sends back the version it was shown;
saving claims the row with a conditional UPDATE (only if the version is still the same) before
writing, so of two people who opened the same record, the second to save is refused and the
first person's changes are never overwritten. The claim is one atomic statement, so it holds
on PostgreSQL and SQLite alike.
"""

from django.db import models, transaction
from django.db.models import F

from portal.history import one_history_entry


class EditConflict(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, current):
        super().__init__("The record was changed by someone else.")
        self.current = current


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_if_unchanged(instance, *, expected_version, save_related=None):
    """Save an edited record if nobody saved it since `expected_version`; else EditConflict.

    `save_related`, if given, is called after the save to write the record's many-to-many
    fields (a form's save_m2m): the save and those changes make one history entry.
    """
    model = type(instance)
    with transaction.atomic():
        # The base manager's plain QuerySet: this claim is not a change worth a history row.
        claimed = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise EditConflict(current=model._base_manager.get(pk=instance.pk))
        instance.version = expected_version + 1
        with one_history_entry(instance, created=False):
            instance.save()
            if save_related is not None:
                save_related()
    return instance
