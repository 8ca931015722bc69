"""Form pieces shared by every app: the design system's date input and its field, and the
base of every form that edits a versioned record."""

import calendar
import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connection, models
from django.forms.utils import pretty_name
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy

from portal.nhs_number import NoNHSNumberValidator

# (name, label, width): the order, labels and box widths of the design system's date input.
DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
DATE_PART_NAMES = tuple(name for name, _label, _width in DATE_PARTS)

_ONE_OR_TWO_DIGITS = re.compile(r"\d{1,2}", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


def check_date_parts(day, month, year):
    """Read a date typed as day, month and year boxes.

    Returns (date, None, ()) for a real date, (None, None, ()) when every box is empty, and
    otherwise (None, code, parts): why the date was refused and which boxes to highlight.
    """
    typed = {"day": day, "month": month, "year": year}
    missing = [name for name in DATE_PART_NAMES if not typed[name]]
    if len(missing) == len(DATE_PART_NAMES):
        return None, None, ()
    if missing:
        return None, "incomplete", tuple(missing)
    if not _DIGITS.fullmatch(year):
        return None, "invalid", ("year",)
    if len(year) != 4:
        return None, "year_digits", ("year",)
    if int(year) < datetime.MINYEAR:
        # Year 0000 has four digits but no calendar: there is no such date.
        return None, "invalid", ("year",)

    wrong = []
    month_ok = bool(_ONE_OR_TWO_DIGITS.fullmatch(month)) and 1 <= int(month) <= 12
    if not month_ok:
        wrong.append("month")
    # Without a real month the longest month is the most that can be said about the day.
    last_day = calendar.monthrange(int(year), int(month))[1] if month_ok else 31
    if not (_ONE_OR_TWO_DIGITS.fullmatch(day) and 1 <= int(day) <= last_day):
        wrong.insert(0, "day")
    if wrong:
        return None, "invalid", tuple(wrong)
    return datetime.date(int(year), int(month), int(day)), None, ()


def _and_join(words):
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes named `<name>-day`, `<name>-month` and `<name>-year`.

    The submitted value is an ISO date string when the boxes make a real date, and otherwise
    the boxes exactly as typed, so the form can say what is wrong and show them again.
    """

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric"})
            for name, _label, _width in DATE_PARTS
        }
        super().__init__(widgets, attrs)
        self.widgets_names = [f"-{name}" for name in DATE_PART_NAMES]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], DATE_PART_NAMES, strict=True):
            if subwidget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}-{part}"
        return context

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else ""

    def decompress(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (
            (value or "").strip() for value in super().value_from_datadict(data, files, name)
        )
        date, code, _parts = check_date_parts(day, month, year)
        if date is not None:
            return date.isoformat()
        if code is None:
            return None
        return [day, month, year]


# The bounds a date field may be given: a date, TODAY, a timedelta from today, or
# YearsAhead(n), the end of the year n years from now. Worked out when the form is checked
# and the hint drawn, so a process that runs for months keeps up.
TODAY = "today"
EARLIEST = datetime.date(2000, 1, 1)


class YearsAhead(int):
    pass


TEN_YEARS_AHEAD = YearsAhead(10)


def _bound_date(bound):
    if bound == TODAY:
        return timezone.localdate()
    if isinstance(bound, YearsAhead):
        return datetime.date(timezone.localdate().year + bound, 12, 31)
    if isinstance(bound, datetime.timedelta):
        return timezone.localdate() + bound
    return bound


def _typed(date):
    """A date as a person types it into the boxes: 31 12 2036."""
    return f"{date.day} {date.month} {date.year}"


def _spoken(date):
    return date_format(date, "j F Y")


class DateField(forms.DateField):
    """A date typed into the design system's date input, refused with its standard messages.

    A date must lie between `earliest` and `latest` (1 January 2000 to the end of the year ten
    years from now unless the field says otherwise; TODAY for "no later than today"), and the
    hint says so. Override a message per field with `error_messages`, for example
    `{"required": "Enter the date the initiative started"}`.
    """

    widget = DateInputWidget
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "Date must include a %(missing)s",
        "year_digits": "Year must include 4 numbers",
        "invalid": "Enter a real date",
        "too_early": "The %(label)s must be on or after %(earliest)s",
        "too_late": "The %(label)s must be on or before %(latest)s",
        "in_the_future": "The %(label)s must be today or in the past",
    }

    def __init__(self, *, earliest=EARLIEST, latest=TEN_YEARS_AHEAD, help_text="", **kwargs):
        self.earliest, self.latest = earliest, latest
        super().__init__(help_text=lazy(self._hint, str)(help_text), **kwargs)

    def _hint(self, help_text):
        earliest, latest = (
            "today" if bound == TODAY else _typed(_bound_date(bound))
            for bound in (self.earliest, self.latest)
        )
        between = f"From {earliest} to {latest}."
        help_text = str(help_text).strip()
        if help_text and not help_text.endswith("."):
            help_text += "."
        return f"{help_text} {between}" if help_text else between

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = _bound_date(self.earliest), _bound_date(self.latest)
        label = str(self.label or "date")
        if not label[1:2].isupper():
            label = label[:1].lower() + label[1:]
        params = {
            "label": label,
            "earliest": _spoken(earliest),
            "latest": _spoken(latest),
            "parts": ("year",),
        }
        if value < earliest:
            raise forms.ValidationError(
                self.error_messages["too_early"], code="too_early", params=params
            )
        if value > latest:
            code = "in_the_future" if self.latest == TODAY else "too_late"
            raise forms.ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            day, month, year = ((part or "").strip() for part in value)
            date, code, parts = check_date_parts(day, month, year)
            if code is not None:
                raise forms.ValidationError(
                    self.error_messages[code],
                    code=code,
                    params={"missing": _and_join(parts), "parts": parts},
                )
            return date
        if isinstance(value, str) and value.strip():
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return super().to_python(value)


def _out_of_range(model_field, value):
    """Whether `value` is a whole number the model field's column cannot hold."""
    if not isinstance(model_field, models.IntegerField):
        return False
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # not a number at all: Django's own check refuses it
    low, high = connection.ops.integer_field_range(model_field.get_internal_type())
    return (low is not None and number < low) or (high is not None and number > high)


def _check_values_within_range(check_values):
    def checked(field, value):
        model = field.queryset.model
        key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
        try:
            values = list(value)
        except TypeError:
            values = []
        for one in values:
            if isinstance(one, str | int) and _out_of_range(key, one):
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": one},
                )
        return check_values(field, value)

    checked.within_range = True
    return checked


def refuse_ids_out_of_range():
    """A multi-select sent an id bigger than the database holds (`themes=99999999999999999999`)
    is refused as any id that is not a choice, instead of an OverflowError on SQLite. Done once
    for every multi-select (generated by model forms, declared, allauth's and the admin's)
    rather than field by field; PortalConfig.ready calls it."""
    field_class = forms.ModelMultipleChoiceField
    if not getattr(field_class._check_values, "within_range", False):
        field_class._check_values = _check_values_within_range(field_class._check_values)


# Text-direction controls that make text display differently from the order it was typed in
# (embeddings, overrides and isolates: U+202A to U+202E, U+2066 to U+2069), the trick of
# "Trojan Source". Right-to-left text itself needs none of them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _no_bidi_controls(value):
    found = BIDI_CONTROLS.search(value or "")
    if found:
        raise forms.ValidationError(
            "Remove the hidden text-direction character (U+%(code)04X): it makes text show "
            "in a different order from the one it was typed in",
            code="bidi_control",
            params={"code": ord(found.group(0))},
        )


def _label(field, name):
    return str(field.label or pretty_name(name))


def max_length_of(model, name):
    """The size of a model's field, for a field of a plain form that is saved to it: the
    model holds each size once (portal/fields.py), and forms, hints and the admin read it."""
    return model._meta.get_field(name).max_length


def _model_size(form, name):
    """The size of the model field a model form's field is saved to, if it has one. A field the
    form declares itself does not inherit it from the model, so it is read here."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return None
    try:
        return getattr(model._meta.get_field(name), "max_length", None)
    except FieldDoesNotExist:
        return None


def _limit(field, name, limit):
    label = _label(field, name)
    field.max_length = limit
    if isinstance(field.widget, forms.Textarea):
        # A browser cuts pasted text at `maxlength` without saying so, and the person may never
        # notice the end is missing: the hint says the size and a longer text is refused.
        field.widget.attrs.pop("maxlength", None)
    field.validators = [
        validator
        for validator in field.validators
        if not isinstance(validator, validators.MaxLengthValidator)
    ]
    message = f"{label} must be {limit:,} characters or fewer"
    field.validators.append(validators.MaxLengthValidator(limit, message=message))


def _with_sentence(help_text, sentence):
    help_text = str(help_text or "").strip()
    if help_text and not help_text.endswith("."):
        help_text += "."
    return f"{help_text} {sentence}" if help_text else sentence


def guard_text_fields(form):
    """Every text box of a portal form takes the size of the model field it is saved to (or
    its own `max_length`, from `max_length_of` on a plain form), says it in the hint, and
    refuses hidden text-direction controls and NHS numbers, names and links included, with a
    message that names the box. Passwords are left as they are. A box for a paragraph without
    a size is a mistake in the form, said when it is first built: no default can stand in for
    the model's size, since the two would drift apart."""
    if getattr(form, "_text_guarded", False):
        return  # a form with both bases (regions' WithNewOrganisation) is guarded once
    form._text_guarded = True
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(
            field.widget, forms.PasswordInput | forms.HiddenInput
        ):
            continue
        limit = _model_size(form, name) or field.max_length
        if limit is None and isinstance(field.widget, forms.Textarea):
            raise ImproperlyConfigured(
                f"{type(form).__qualname__}.{name} takes a paragraph but has no size: give the "
                "model field it is saved to a max_length (portal.fields.LimitedTextField), "
                "and read it in the form with max_length_of()."
            )
        if limit is not None:
            _limit(field, name, limit)
            if form.says_text_limits:
                field.help_text = _with_sentence(field.help_text, f"Up to {limit:,} characters.")
        field.validators.append(_no_bidi_controls)
        # The field's own guard, so that its message (shown by the box and in the error
        # summary) says which box holds the number; one a form declared is replaced.
        field.validators = [
            validator
            for validator in field.validators
            if not isinstance(validator, NoNHSNumberValidator)
        ]
        field.validators.append(
            NoNHSNumberValidator(label=_label(field, name).rstrip("?:."), limit=limit)
        )


class PortalForm(forms.Form):
    """The base of the portal's forms: see guard_text_fields."""

    says_text_limits = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class PortalModelForm(forms.ModelForm):
    """The base of the portal's model forms: see guard_text_fields."""

    says_text_limits = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class VersionedForm(PortalModelForm):
    """A form for a record that refuses the second of two overlapping edits: it sends back
    the version of the record it was shown (see portal/concurrency.py), and when the save is
    refused it says who changed the record and when, keeping everything typed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            # A model's choices come with a blank "---------" first, which as a radio would
            # be an answer of its own: a question asked with radios has none.
            if isinstance(field.widget, forms.RadioSelect) and not isinstance(
                field.widget, forms.CheckboxSelectMultiple
            ):
                field.choices = [(value, label) for value, label in field.choices if value != ""]

    @property
    def expected_version(self):
        return self.cleaned_data.get("version") or 0

    def fields_to_save(self):
        """The cleaned values a service takes: model fields and many-to-many sets."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}

    def conflict(self, current):
        """`current` is the record as someone else saved it. Saving again is then a choice
        made knowing of the other change, so the form takes the newer version."""
        self.data = self.data.copy()
        self.data["version"] = current.version
        self.add_error(None, conflict_message(current))


def conflict_message(current):
    noun = current._meta.verbose_name
    latest = current.history.select_related("history_user").order_by("-history_date").first()
    when = ""
    if latest is not None:
        when = " on " + date_format(timezone.localtime(latest.history_date), "j F Y \\a\\t H:i")
    if latest is not None and latest.history_user is not None:
        opening = f"{latest.history_user} changed this {noun}{when}, after you opened it."
    else:
        opening = f"Someone else saved this record{when}, after you opened it."
    return (
        f"{opening} Nothing has been overwritten and your changes are not saved: they are "
        f"still in the form. Open the {noun} in a new tab to see its current details, then "
        "save again if your changes should replace them."
    )


def region_filter():
    """The region field of a filter form; FilterForm gives it the regions the view offers."""
    return forms.ModelChoiceField(
        label="Region", required=False, queryset=None, empty_label="All regions"
    )


class FilterForm(PortalForm):
    """A GET form above a list that narrows it (drawn by templates/includes/filters.html).
    Subclasses declare their fields; a `region` field offers the regions the view passes
    (the person's own for working records, every region for published learning). Every
    field narrows: none is marked "(optional)"."""

    marks_optional = False
    # A filter's box is short and the limit rarely matters: the hint would only be noise.
    says_text_limits = False
    button = "Apply filters"
    button_class = "nhsuk-button--secondary"

    def __init__(self, data=None, *, regions=None, **kwargs):
        super().__init__(data or None, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("filter", self.button, css_class=self.button_class))

    def drawn_key(self):
        """Everything the form's markup is made from, so that markup drawn once can be used
        again (templates/includes/filters.html): its class, what was sent for its fields (a
        date's parts too), every choice it offers, as read now, and today, for any check
        that reads the date. None when the markup is to be drawn afresh."""
        fields = tuple(self.fields)
        data = self.data if hasattr(self.data, "getlist") else QueryDict(mutable=True)
        if data is not self.data:
            data.update(self.data)
        sent = tuple(
            sorted(
                (key, tuple(map(str, data.getlist(key))))
                for key in data
                if any(key == name or key.startswith(f"{name}_") for name in fields)
            )
        )
        choices = []
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.widgets.ChoiceWidget):
                # A box that finds its record as one types (an organisation) lists no
                # choices, but shows the chosen record's name: drawn afresh when one is sent.
                if hasattr(field, "choices") and any(key == name for key, _values in sent):
                    return None
                continue
            if hasattr(field, "choices"):
                # Read once: the widget draws from this list too, so a model's choices are
                # not read again from the database when the form is drawn. (Not list(): it
                # would ask a model's choices for their length, a COUNT query.)
                field.widget.choices = offered = [choice for choice in field.choices]  # noqa: C416
                choices.append((name, tuple((str(value), str(label)) for value, label in offered)))
        choices = tuple(choices)
        today = timezone.localdate()
        return (type(self).__module__, type(self).__qualname__, sent, choices, today)

    @property
    def is_filtering(self):
        """Whether any filter is set: the page then offers to clear them."""
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def apply(self, rows):
        """`rows` narrowed by the valid filters; all of them when nothing valid was sent."""
        if not (self.is_bound and self.is_valid()):
            return rows
        return self.narrow(rows, self.cleaned_data)

    # Filters whose rows' field has another name: {"theme": "themes"}.
    lookups = {}

    def narrow(self, rows, data):
        """Each filter that is set keeps the rows whose field of the same name (or its name
        in `lookups`) has the chosen value. Override for anything else."""
        for name, value in data.items():
            if value not in (None, ""):
                rows = rows.filter(**{self.lookups.get(name, name): value})
        return rows


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in groups, each drawn by the template pack as a fieldset with its own legend
    (templates/nhsuk/components/grouped_choices.html). For a model choice field, `group_by`
    names the group of each choice's record; choices of one group must come together."""

    def __init__(self, attrs=None, *, group_by):
        super().__init__(attrs)
        self.group_by = group_by

    def optgroups(self, name, value, attrs=None):
        groups = []
        for _none, options, index in super().optgroups(name, value, attrs):
            for option in options:
                label = self.group_by(option["value"].instance)
                if not groups or groups[-1][0] != label:
                    groups.append((label, [], index))
                groups[-1][1].append(option)
        return groups
