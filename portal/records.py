"""Writing a record together with its many-to-many links, as one change: one transaction and
one history entry, checked against the model's own rules first. Each app's services call
these with its own defaults and side effects."""

from django.db import transaction

from portal.concurrency import save_if_unchanged
from portal.history import one_history_entry


def split_links(model, fields):
    """(plain fields, many-to-many fields) of a dict of field values for `model`."""
    plain, many = {}, {}
    for name, value in fields.items():
        (many if model._meta.get_field(name).many_to_many else plain)[name] = value
    return plain, many


def _set_links(record, many):
    for name, values in many.items():
        getattr(record, name).set(values)


def record_create(model, **fields):
    """A new `model` row with `fields`, many-to-many ones included."""
    plain, many = split_links(model, fields)
    record = model(**plain)
    record.full_clean()
    with transaction.atomic(), one_history_entry(record, created=True):
        record.save()
        _set_links(record, many)
    return record


def record_update(record, *, expected_version, **fields):
    """Save an edit made from `expected_version`; EditConflict if someone saved since."""
    plain, many = split_links(type(record), fields)
    for name, value in plain.items():
        setattr(record, name, value)
    return save_if_unchanged(
        record, expected_version=expected_version, save_related=lambda: _set_links(record, many)
    )
