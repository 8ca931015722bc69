"""The typed form, made once an import and used for every row.

Building the form for each of 20,000 rows would read its choices (regions, themes, the
syllabus) from the database 20,000 times, and checking each row would look each choice up
again: most of an import's time. So the form is built once, its choice fields keep the
records of their own querysets, and each new row gets a copy of it bound to the row's data:
the same fields, validators, clean methods and model checks as typing, with the choices read
once. A row whose form needs something of its own (an investigation, a record to update) is
given a form built the usual way.
"""

import copy

from django import forms
from django.utils.datastructures import MultiValueDict


class RowForms:
    def __init__(self, kind, user):
        self.kind, self.user = kind, user
        self.prototype = kind.form(user)
        self.checked_choices = _keep_choices(self.prototype)

    def make(self, data, context, instance=None):
        if context or instance is not None:
            return self.kind.form(self.user, data=data, instance=instance, **context)
        form = copy.copy(self.prototype)
        form.data, form.files, form.is_bound = data, MultiValueDict(), True
        form._errors = None
        form._bound_fields_cache = {}
        form.instance = self.kind.model()
        exclusions = type(form)._get_validation_exclusions
        checked = self.checked_choices

        # A choice the form found among its own records needs no second look by the model.
        def without_checked(form=form):
            return exclusions(form) | checked

        form._get_validation_exclusions = without_checked
        return form


def _keep_choices(form):
    """Let each choice field of `form` find its choices among the records it read once; a
    value that is not one of them goes to the field's own check, which refuses it with its
    usual message. Returns the names of the single-choice fields."""
    single = set()
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        key = field.to_field_name or "pk"
        records = {str(getattr(record, key)): record for record in field.queryset}
        if isinstance(field, forms.ModelMultipleChoiceField):
            field._check_values = _many(records, field._check_values)
        else:
            field.to_python = _one(records, field.to_python, field.empty_values)
            single.add(name)
    return single


def _one(records, original, empty_values):
    def to_python(value):
        if value in empty_values:
            return None
        found = records.get(str(value))
        return found if found is not None else original(value)

    return to_python


def _many(records, original):
    def check_values(values):
        try:
            return [records[str(value)] for value in values]
        except (KeyError, TypeError):
            return original(values)

    return check_values
