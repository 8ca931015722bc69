"""Change history for the programme's records.

Every create, change and delete made through a model's save() or delete() is recorded by
django-simple-history, with the signed-in user from its middleware. QuerySet.update() skips
save(), so the records' QuerySets use HistoryQuerySet, whose update() writes a history row for
each row it changed: no change goes unrecorded, whatever path it took.
"""

from contextlib import contextmanager

from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone

# Bookkeeping columns that are not a change anyone made: left out of history rows and diffs.
UNTRACKED = ["search_vector", "version", "updated_at"]


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if pks:
                changed = list(self.model._base_manager.using(self.db).filter(pk__in=pks))
                self.model.history.bulk_history_create(
                    changed,
                    update=True,
                    default_date=timezone.now(),
                    default_change_reason="Bulk update",
                )
        return count


@contextmanager
def one_history_entry(instance, *, created):
    """Record a save and the many-to-many changes that go with it as one history entry.

    Without this each `.set()` on a many-to-many field writes its own entry, copying every
    many-to-many field: five entries for one form. Inside the block nothing is recorded; at
    the end one entry ("Created" or "Changed") captures the fields and relations together,
    by re-sending the post_save signal the history listens to.
    """
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving
    post_save.send(
        sender=type(instance),
        instance=instance,
        created=created,
        update_fields=None,
        raw=False,
        using=instance._state.db,
    )


def changes_of(record):
    """The record's history, newest first, each with the fields that changed and by whom.

    Returns dicts with `when`, `who`, `kind` ("Created", "Changed", "Deleted"), `reason` and
    `changes`: a list of (field label, old value, new value).
    """
    entries = []
    history = list(record.history.select_related("history_user").order_by("-history_date"))
    for newer, older in zip(history, history[1:] + [None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = record._meta.get_field(change.field)
                changes.append((field.verbose_name.capitalize(), change.old, change.new))
        entries.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "kind": {"+": "Created", "~": "Changed", "-": "Deleted"}[newer.history_type],
                "reason": newer.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries
