"""Change history for the programme's records.

Every create, change and delete made through a model's save() or delete() is recorded by
django-simple-history, with the signed-in user from its middleware. QuerySet.update() skips
save(), so the records' QuerySets use HistoryQuerySet, whose update() writes a history row for
each row it changed: no change goes unrecorded, whatever path it took.
"""

import datetime
from contextlib import contextmanager

from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone

# Bookkeeping columns that are not a change anyone made: left out of history rows and diffs.
UNTRACKED = ["search_vector", "version", "updated_at"]


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Update the rows and write a history entry for each row changed, and no other.

        A conditional update (`filter(pk=..., completed_on__isnull=True).update(...)`) can
        lose a race: another transaction changes the row between our read of the ids and our
        UPDATE, which then skips it. So the rows are locked as they are read, and only the
        locked ids are updated: PostgreSQL re-checks the conditions of a row it had to wait
        for, and leaves out one that no longer meets them, so an id we lock is one we change.
        (SQLite, which has one writer at a time, ignores the lock.)"""
        with transaction.atomic(using=self.db):
            pks = list(self.select_for_update(of=("self",)).values_list("pk", flat=True))
            count = self.model._base_manager.using(self.db).filter(pk__in=pks).update(**kwargs)
            for changed in self.model._base_manager.using(self.db).filter(pk__in=pks):
                changed._change_reason = "Bulk update"
                _record(changed, created=False)
        return count


def _record(instance, *, created):
    """Write one history entry for the instance as it now is, many-to-many fields included,
    through the post_save signal the history listens to."""
    post_save.send(
        sender=type(instance),
        instance=instance,
        created=created,
        update_fields=None,
        raw=False,
        using=instance._state.db,
    )


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
    _record(instance, created=created)


# A record's page shows its latest changes, and a link to the next older ones: comparing an
# entry with the one before it takes no query of its own, so a page of entries costs the same
# few queries however long the history has grown.
HISTORY_SHOWN = 20


KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
PART_KINDS = {"+": "added", "~": "changed", "-": "deleted"}


class HistoryPage(list):
    """The entries of one page of a record's history, newest first, as changes_of gives them.

    `older` is the value of the `history_before` parameter that shows the next older page, if
    there is one; `newer` says whether this page is an older one, so there is a newest to go
    back to.
    """

    def __init__(self, entries, *, older=None, newer=False):
        super().__init__(entries)
        self.older = older
        self.newer = newer


def history_page(request, record, parts=()):
    """The page of the record's history that the request asks for: the newest, or the one
    before the moment in its `history_before` parameter. A value that is not a moment as
    the page's link gives it shows the newest, as a link with no parameter would."""
    before = _moment(request.GET.get("history_before", ""))
    # One entry more than shown, to know whether there are older ones.
    entries = changes_of(record, parts=parts, before=before, limit=HISTORY_SHOWN + 1)
    shown = entries[:HISTORY_SHOWN]
    older = _cursor(shown[-1]["when"]) if len(entries) > HISTORY_SHOWN else None
    return HistoryPage(shown, older=older, newer=before is not None)


# The next page is the entries made before the oldest shown: an entry made in the same
# microsecond as that one would be skipped, which takes two saves within a microsecond. In UTC
# with a "Z", so the link has no "+" for a browser to read as a space.
CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def _cursor(moment):
    return moment.astimezone(datetime.UTC).strftime(CURSOR_FORMAT)


def _moment(value):
    # Only the form the link gives: a looser reading would take a run of digits for a date.
    try:
        return datetime.datetime.strptime(value, CURSOR_FORMAT).replace(tzinfo=datetime.UTC)
    except ValueError:
        return None


def changes_of(record, limit=HISTORY_SHOWN, parts=(), before=None):
    """The record's latest history, newest first, in words: who changed what, and when.

    Returns dicts with `when`, `who`, `kind` ("Created", "Changed", "Deleted"), `subject`,
    `reason` and `changes`: a list of (field label, old value, new value), where links to
    other records are shown by their names and choices by their labels, not as stored ids
    and codes. With `before`, a datetime, only the entries made before it.

    `parts` names the records that belong to this one and have no page of their own, as
    (related name, label, describe): an initiative's milestones and progress updates. Their
    history is merged in ("Milestone added", with `subject` from describe(history entry)),
    one query each however many there are. A part may name a fourth item, the fields whose
    values the page leaves out of its changes (a comment's text, which a moderator may have
    hidden): the change is still listed, with who and when, and the values stay stored.
    """
    own = _latest(record.history.all(), limit, before)
    raw = [(entry, changes, KINDS[entry.history_type], "") for entry, changes in _diffed(own)]
    raw = raw[:limit]
    for related_name, label, describe, *unshown in parts:
        relation = record._meta.get_field(related_name)
        history = _latest(
            relation.related_model.history.filter(**{relation.field.attname: record.pk}),
            limit,
            before,
        )
        raw += [
            (entry, changes, f"{label} {PART_KINDS[entry.history_type]}", describe(entry))
            for entry, changes in _diffed(history, unshown=unshown[0] if unshown else ())
        ]
    # Names are looked up before the merge is cut to `limit`, so the number of queries does
    # not depend on which entries the parts push out.
    names = _names_of_linked_records(changes for _entry, changes, _kind, _subject in raw)
    raw.sort(key=lambda row: row[0].history_date, reverse=True)
    raw = raw[:limit]
    return [
        {
            "when": entry.history_date,
            "who": entry.history_user,
            "kind": kind,
            "subject": subject,
            "reason": entry.history_change_reason or "",
            "changes": [
                (
                    field.verbose_name[:1].upper() + field.verbose_name[1:],
                    _in_words(field, old, names),
                    _in_words(field, new, names),
                )
                for field, old, new in changes
            ],
        }
        for entry, changes, kind, subject in raw
    ]


def _latest(history, limit, before):
    """The latest entries (before `before`, if given), newest first, with one more than shown
    to say what the oldest shown entry changed."""
    if before is not None:
        history = history.filter(history_date__lt=before)
    return list(history.select_related("history_user").order_by("-history_date")[: limit + 1])


def _diffed(history, unshown=()):
    """(entry, changes) for each history entry (newest first) but an oldest one that is
    there only to be compared with: each is compared with the next older entry of the same
    record, if the list has it.

    simple-history's diff_against reads the many-to-many rows of both entries, queries for
    each pair; here they are read for all the entries at once, one query a field.
    """
    if not history:
        return []
    model = history[0].instance_type
    key = model._meta.pk.attname
    linked = _linked_rows(history)
    previous = {}
    diffed = []
    for entry in reversed(history):
        older = previous.get(getattr(entry, key))
        changes = []
        if older is not None:
            delta = entry.diff_against(older, excluded_fields=[*linked, *unshown])
            changes = [(change.field, change.old, change.new) for change in delta.changes]
            for name, rows in linked.items():
                old, new = rows.get(older.history_id, []), rows.get(entry.history_id, [])
                if old != new:
                    changes.append((name, old, new))
            # In the order diff_against gives, by field name.
            changes.sort(key=lambda change: change[0])
            changes = [(model._meta.get_field(name), old, new) for name, old, new in changes]
        previous[getattr(entry, key)] = entry
        diffed.append((entry, changes))
    diffed.reverse()
    return diffed


def _linked_rows(history):
    """{many-to-many field name: {history id: rows}} for the entries, one query a field.

    The rows are as diff_against gives them, the through table's columns without the
    history's own (`[{"learningitem": 1, "theme": 4}]`), in one order so that two entries
    linked to the same records have equal rows."""
    history_model = type(history[0])
    ids = [entry.history_id for entry in history]
    linked = {}
    for field in history_model._history_m2m_fields:
        # simple-history's copy of the through table, reached as diff_against reaches it.
        through = getattr(history_model, field.name).model
        columns = [
            column.name
            for column in through._meta.fields
            if column.editable and column.name not in ["id", "m2m_history_id", "history"]
        ]
        rows = linked[field.name] = {}
        for row in through._default_manager.filter(history_id__in=ids).values(
            "history_id", *columns
        ):
            rows.setdefault(row.pop("history_id"), []).append(row)
        for entry_rows in rows.values():
            entry_rows.sort(key=lambda row: [(row[name] is None, row[name]) for name in columns])
    return linked


def _linked_ids(field, value):
    if field.many_to_many:
        target = field.related_model._meta.model_name
        return [row.get(target) for row in value or []]
    return [value]


def _names_of_linked_records(change_lists):
    """One query per linked model for the names of every record the changes mention."""
    wanted = {}
    for changes in change_lists:
        for field, old, new in changes:
            if field.many_to_many or field.many_to_one:
                ids = wanted.setdefault(field.related_model, set())
                ids.update(pk for value in (old, new) for pk in _linked_ids(field, value))
    return {model: _names(model, ids - {None}) for model, ids in wanted.items()}


def _names(model, ids):
    rows = model._default_manager.all()
    # A record whose name reads the rows it links to (a syllabus cell names its domain and
    # level) offers `with_names()`, which reads them in the same query, not two for each.
    if hasattr(rows, "with_names"):
        rows = rows.with_names()
    return {pk: str(obj) for pk, obj in rows.in_bulk(ids).items()}


def _in_words(field, value, names):
    if field.many_to_many:
        known = names.get(field.related_model, {})
        return ", ".join(sorted(known.get(pk, "(removed)") for pk in _linked_ids(field, value)))
    if field.many_to_one:
        return names.get(field.related_model, {}).get(value, "") if value is not None else ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if value is None:
        return ""
    return value
