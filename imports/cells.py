"""Turning a spreadsheet cell into what the typed form's field would have been sent, with the
lenient matching a person expects: a region, theme, status or type by its name in any case,
a syllabus pair as "2.3" or "Domain 2 level 3", a date as 31/12/2025, 2025-12-31 or an Excel
date. Each converter is made once an import from the form's own field (its choices, its
queryset), so a file of thousands of rows reads each list once.

A converter returns (form data, what was matched, in words) or raises CellError.
"""

import re

from django import forms

from portal.forms import DATE_PART_NAMES, DateField
from regions.matching import NoMatch, normalise

# Several values in one cell: commas, semicolons or line breaks.
SEPARATORS = re.compile(r"[,;\r\n]+")
_DATE = re.compile(r"^\s*(\d{1,2})[/\-. ](\d{1,2})[/\-. ](\d{2,4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?\s*$")
_SYLLABUS = re.compile(r"^\D*(\d)\D+(\d)\D*$")


class CellError(Exception):
    pass


def split_values(text):
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


def date_parts(text):
    """(day, month, year) as typed into the date boxes, or CellError."""
    text = (text or "").strip()
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = iso.groups()
        return day, month, year
    typed = _DATE.match(text)
    if typed:
        day, month, year = typed.groups()
        if len(year) == 2:
            year = f"20{year}"
        return day, month, year
    raise CellError(f"{text} is not a date: write it as 31/12/2025")


def _choice_table(choices):
    table = {}
    for value, label in choices:
        if value in ("", None):
            continue
        for key in (str(value), str(label)):
            table.setdefault(normalise(key), (value, str(label)))
    return table


def _choose(table, text, noun):
    key = normalise(text)
    if key in table:
        return table[key]
    # The start of a label is enough when it names one choice: "Best practice", "PFD".
    starting = {v for k, v in table.items() if key and k.startswith(key)}
    if len(starting) == 1:
        return starting.pop()
    if len(starting) > 1:
        names = ", ".join(sorted(label for _value, label in starting))
        raise CellError(f"“{text}” matches several {noun}: {names}")
    options = ", ".join(sorted({label for _value, label in table.values()}))
    raise CellError(f"“{text}” is not one of the {noun}: {options}")


def _syllabus_key(tag):
    return f"{tag.domain.number}.{tag.level.number}"


def converter_for(name, field, *, organisations=None):
    """The converter for the form field `field` named `name`."""
    if isinstance(field, DateField):

        def date(text):
            day, month, year = date_parts(text)
            return {f"{name}-{part}": value for part, value in zip(
                DATE_PART_NAMES, (day, month, year), strict=True)}, None  # fmt: skip

        return date

    if isinstance(field, forms.ModelMultipleChoiceField):
        model = field.queryset.model
        if model._meta.model_name == "syllabustag":
            table = {
                _syllabus_key(tag): (tag.pk, f"Domain {tag.domain.number} level {tag.level.number}")
                for tag in field.queryset
            }

            def syllabus(text):
                chosen, said = [], []
                for part in split_values(text):
                    found = _SYLLABUS.match(part)
                    key = f"{found.group(1)}.{found.group(2)}" if found else None
                    if key not in table:
                        raise CellError(
                            f"“{part}” is not a syllabus domain and level: write them as 2.3 "
                            "for domain 2 at level 3"
                        )
                    chosen.append(table[key][0])
                    said.append(table[key][1])
                return {name: chosen}, "; ".join(said)

            return syllabus
        table = _record_table(field.queryset)
        noun = str(model._meta.verbose_name_plural)

        def many(text):
            chosen, said = [], []
            for part in split_values(text):
                value, label = _choose(table, part, noun)
                chosen.append(value)
                said.append(label)
            return {name: chosen}, "; ".join(said)

        return many

    if isinstance(field, forms.ModelChoiceField):
        model = field.queryset.model
        if model._meta.model_name == "organisation" and organisations is not None:

            def organisation(text):
                try:
                    match = organisations.match(text)
                except NoMatch as error:
                    raise CellError(str(error)) from None
                return {name: match.organisation.pk}, str(match)

            return organisation
        if model._meta.model_name == "region":
            return _region(name, field)
        table = _record_table(field.queryset)
        noun = str(model._meta.verbose_name_plural)

        def one(text):
            value, label = _choose(table, text, noun)
            return {name: value}, label

        return one

    if isinstance(field, forms.ChoiceField):
        table = _choice_table(field.choices)
        noun = f"choices for {str(field.label).lower().rstrip('?')}"

        def choice(text):
            value, label = _choose(table, text, noun)
            return {name: value}, label

        return choice

    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):

        def number(text):
            return {name: text.strip().replace(",", "")}, None

        return number

    def text(value):
        return {name: value}, None

    return text


def _region(name, field):
    """A programme region by name or slug; one outside the person's regions is refused as
    such, not as a region that does not exist."""
    model = field.queryset.model
    table = _record_table(model.objects.in_programme_scheme())
    allowed = {region.pk: region.name for region in field.queryset}

    def region(text):
        value, label = _choose(table, text, "programme regions")
        if value not in allowed:
            yours = ", ".join(sorted(allowed.values())) or "none"
            raise CellError(f"you cannot import into {label}: your regions are {yours}")
        return {name: value}, label

    return region


def _record_table(queryset):
    table = {}
    for record in queryset:
        label = getattr(record, "label", None) or str(record)
        for key in (str(record), getattr(record, "name", ""), getattr(record, "slug", "")):
            if key:
                table.setdefault(normalise(key), (record.pk, label))
    return table
