"""Checking a file row by row before anything is saved.

Each row's cells are turned into what the typed form would have been sent (imports/cells.py)
and given to the kind's form, as if typed; every error is said with its row and column
("Row 14, Response due: 31/02/2025 is not a date: write it as 31/12/2025"). A cell that holds
an NHS number is refused before anything else reads it, and its text is never repeated, so
nothing of it is kept in the preview.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from imports.cells import CellError, converter_for, split_values
from imports.kinds import Planned
from imports.reading import Unreadable
from imports.rowforms import RowForms
from portal.nhs_number import nhs_numbers_in
from regions.matching import OrganisationMatcher, normalise

# The preview keeps this many of the good rows, and this many errors, to show.
SHOWN_ROWS = 200
SHOWN_ERRORS = 500
RESPONSE_FIELDS = {"status": "status", "responded_on": "responded_on",
                   "response_text": "text", "url": "url"}  # fmt: skip


@dataclass
class Checked:
    mapping: dict
    planned: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # what the preview shows of each row
    errors: list = field(default_factory=list)
    file_error: str = ""
    rows_total: int = 0
    to_create: int = 0
    to_update: int = 0

    @property
    def error_count(self):
        return len(self.errors) + (1 if self.file_error else 0)

    def as_preview(self):
        return {
            "rows": self.rows[:SHOWN_ROWS],
            "errors": self.errors[:SHOWN_ERRORS],
            "file_error": self.file_error,
            "unused": self.mapping.get("", []),
        }


def guess_mapping(kind, headers, remembered=None):
    """{header: field name or ""} for the file's headers: a remembered mapping first, then
    the template's header, the field's name or its label, in any case and punctuation."""
    remembered = remembered or {}
    by_key = {}
    for column in kind.all_columns:
        for key in (column.header, column.name):
            by_key.setdefault(normalise(key), column.name)
    mapping = {}
    taken = set()
    for header in headers:
        name = remembered.get(header)
        if name is None:
            name = by_key.get(normalise(header), "")
        if name and name in taken:
            name = ""
        taken.add(name)
        mapping[header] = name
    return mapping


def check(kind, table, user, *, mapping=None, progress=None):
    """Check every row of `table` for `kind` as `user` would type it."""
    mapping = mapping or guess_mapping(kind, table.headers)
    index_of = {}
    for index, header in enumerate(table.headers):
        name = mapping.get(header, "")
        if name and name not in index_of:
            index_of[name] = index
    checked = Checked(mapping={**mapping, "": [h for h in table.headers if not mapping.get(h)]})
    forms = RowForms(kind, user)
    prototype = forms.prototype
    missing = [
        column.header
        for column in kind.columns
        if not column.response
        and column.name in prototype.fields
        and prototype.fields[column.name].required
        and column.name not in index_of
    ]
    if missing:
        checked.file_error = (
            "The file has no column for " + ", ".join(missing) + ". Use the template's "
            "headers, or choose which of your columns holds each"
        )
        return checked
    matcher = OrganisationMatcher()
    converters = {
        column.name: converter_for(
            RESPONSE_FIELDS.get(column.name, column.name) if column.response else column.name,
            _field_of(kind, prototype, column),
            organisations=matcher,
        )
        for column in kind.columns
        if column.name in index_of and _field_of(kind, prototype, column) is not None
    }
    for child in kind.children:
        if child.name in index_of:
            fields = child.form().fields
            converters[child.name] = {
                part: converter_for(part, fields[part], organisations=matcher)
                for part in child.parts
            }
    headers = {column.name: column.header for column in kind.all_columns}
    found = Existing(kind, user)
    try:
        for number, cells in table.rows:
            checked.rows_total += 1
            _check_row(kind, user, number, cells, index_of, converters, headers, checked,
                       forms, found)  # fmt: skip
            if progress and checked.rows_total % 500 == 0:
                progress(checked.rows_total)
    except Unreadable as error:
        checked.file_error = str(error)
        checked.planned = []
    return checked


def _field_of(kind, prototype, column):
    if column.response:
        return kind.response_form(None, None).fields[RESPONSE_FIELDS[column.name]]
    if column.name in ("investigation", "spread"):
        return None  # read by the kind itself, for the row's context
    return prototype.fields.get(column.name)


class Existing:
    """The records rows may update, found through an index of the kind's matching fields read
    once (by the first row that needs it), not a query a row."""

    def __init__(self, kind, user):
        self.kind, self.user = kind, user
        self.index = None

    def __call__(self, data, context):
        if not self.kind.indexed or context:
            return self.kind.existing(self.user, data, context)
        key = self.kind.key_of(data)
        if key is None:
            return None
        if self.index is None:
            self.index = self.kind.existing_index(self.user)
        pk = self.index.get(key)
        if pk is None:
            return None
        return self.kind.existing(self.user, data, context)


def _check_row(kind, user, number, cells, index_of, converters, headers, checked, forms, found):
    errors = []

    def fail(header, message):
        errors.append(
            f"Row {number}, {header}: {message}" if header else f"Row {number}: {message}"
        )

    values = {}
    for index, cell in enumerate(cells):
        text = cell or ""
        # Ten digits take at least ten characters: a shorter cell holds no NHS number.
        numbers = nhs_numbers_in(text) if len(text) >= 10 else ()
        if numbers:
            name = next((n for n, i in index_of.items() if i == index), None)
            fail(
                headers.get(name, f"column {index + 1}"),
                f"contains an NHS number ending {numbers[0].digits[-4:]}; remove it",
            )
            continue
        for name, at in index_of.items():
            if at == index:
                values[name] = text
    if errors:
        _record(checked, number, errors)
        return

    try:
        context = kind.context_of(user, values, converters)
    except CellError as error:
        fail(headers.get("investigation") or headers.get("spread"), str(error))
        context = {}

    # A cell naming several organisations makes one record for each.
    targets = [None]
    split = kind.split_column
    if split and split in values:
        targets = split_values(values[split]) or [""]

    rows_planned = []
    for target in targets:
        data, matches, response_data = {}, [], {}
        row_values = dict(values)
        if target is not None:
            row_values[split] = target
        for name, text in row_values.items():
            if name not in converters or not text.strip() or isinstance(converters[name], dict):
                continue
            try:
                converted, said = converters[name](text)
            except CellError as error:
                fail(headers[name], str(error))
                continue
            column = kind.column(name)
            (response_data if column.response else data).update(converted)
            if said and normalise(said) != normalise(text):
                matches.append(f"{headers[name]}: {text[:80]} → {said}")
        if errors:
            break
        form = forms.make(data, context)
        existing = None
        if form.is_valid():
            existing = found(form.cleaned_data, context)
            if existing is not None:
                form = forms.make(data, context, instance=existing)
                if not form.is_valid():
                    _form_errors(form, kind, headers, fail, row_values)
                    break
                if not kind.may_change(user, existing):
                    fail(
                        None,
                        f"a {kind.noun} like this already exists ({existing}) and you may not "
                        "change it",
                    )
                    break
        else:
            _form_errors(form, kind, headers, fail, row_values)
            break
        planned = Planned(data=data, matches=matches, existing=existing, context=context)
        planned.context_fields = {k: v for k, v in context.items() if k != "investigation"}
        planned.children = {}
        for child in kind.children:
            if child.name in converters and row_values.get(child.name, "").strip():
                planned.children[child.name] = _children(
                    child, row_values[child.name], converters[child.name], fail
                )
        if errors:
            break
        planned.fields = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name in form.fields and any(k == name or k.startswith(f"{name}-") for k in data)
        }
        if existing is None:
            planned.fields = {
                name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields
            }
        planned.instance = form.instance
        planned.links = {
            name: form.cleaned_data.get(name, ())
            for name in ("themes", "syllabus")
            if name in form.fields
        }
        planned.response = None
        if any(response_data.values()):
            response = kind.response_form(response_data, form.cleaned_data.get("issued_on"))
            if response.is_valid():
                planned.response = {
                    name: response.cleaned_data[name]
                    for name in ("status", "responded_on", "text", "url")
                }
            else:
                _form_errors(response, kind, headers, fail, row_values, response=True)
                break
        planned.label = str(form.cleaned_data.get("title") or form.instance)[:120]
        rows_planned.append(planned)

    if errors:
        _record(checked, number, errors)
        return
    for planned in rows_planned:
        checked.planned.append(planned)
        if planned.existing is None:
            checked.to_create += 1
        else:
            checked.to_update += 1
        if len(checked.rows) < SHOWN_ROWS:
            checked.rows.append(
                {
                    "row": number,
                    "action": "update" if planned.existing is not None else "create",
                    "label": planned.label,
                    "matches": planned.matches,
                }
            )


def _children(child, text, converters, fail):
    """The cleaned fields of each line of a child column ("Baseline audit | 30/06/2026")."""
    made = []
    lines = [line for line in text.splitlines() if line.strip()]
    for at, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split("|")]
        where = f"{child.header} (line {at})"
        if len(parts) > len(child.parts):
            fail(where, f"has {len(parts)} parts: write at most {len(child.parts)}, separated by |")
            continue
        data, ok = {}, True
        for name, part in zip(child.parts, parts, strict=False):
            if not part:
                continue
            try:
                converted, _said = converters[name](part)
            except CellError as error:
                fail(where, str(error))
                ok = False
                continue
            data.update(converted)
        if not ok:
            continue
        form = child.form(data)
        if not form.is_valid():
            for name, errors in form.errors.as_data().items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    for message in _messages(error):
                        fail(
                            f"{where}, {label}" if label else where, _for_a_cell(error, message, "")
                        )
            continue
        made.append({name: form.cleaned_data[name] for name in child.parts if name in form.fields})
    return made


def _record(checked, number, errors):
    checked.errors.extend(errors)


def _form_errors(form, kind, headers, fail, values, response=False):
    by_field = {RESPONSE_FIELDS[n]: n for n in RESPONSE_FIELDS} if response else {}
    for name, errors in form.errors.as_data().items():
        column = by_field.get(name, name)
        header = headers.get(column) if name != "__all__" else None
        if header is None and name not in ("__all__", "version"):
            header = str(form.fields[name].label) if name in form.fields else name
        for error in errors:
            for message in _messages(error):
                fail(header, _for_a_cell(error, message, values.get(column, "")))


def _messages(error):
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]


def _for_a_cell(error, message, text):
    """A form's message for its boxes, said of a cell: "Enter a real date" is said of the
    date boxes; a cell holds a date as a whole."""
    code = getattr(error, "code", None)
    if code in ("invalid", "incomplete", "year_digits") and "date" in message.lower():
        return f"{text.strip()[:40]} is not a date: write it as 31/12/2025"
    if code == "required":
        return "is empty: fill it in"
    if code == "max_length":
        return f"{message}: this one has {len(text):,}"
    return message
