"""Form pieces for choosing an organisation, shared by every app whose records name one: the
register, adoption and spread, curriculum and training."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.urls import reverse

from portal.forms import PortalForm, max_length_of
from portal.nhs_number import no_nhs_number
from regions.models import Organisation
from regions.ods import MAX_BYTES, OdsFileError, read_trusts

NEW_ORGANISATION_KINDS = [
    (Organisation.Kind.NHS_TRUST, "NHS trust"),
    (Organisation.Kind.HIGHER_EDUCATION, "Higher education institution"),
    (Organisation.Kind.HEE_NHS_ENGLAND, "HEE or NHS England"),
    (Organisation.Kind.OTHER, "Another organisation"),
]


# "Name (RJ1, closed 30 September 2024)": what a chosen organisation's box shows.
_SEARCH_LABEL = re.compile(r"(?P<name>.+?) \((?P<notes>[^()]*)\)")
MAX_MATCHES = 20
MAX_TYPED = 200


class OrganisationSearchWidget(forms.TextInput):
    """A text box for part of a name or an ODS code. When what was typed matches several
    organisations, the form comes back with them as radio buttons (`<name>-choice`) below
    the box: the search step that works without JavaScript. With JavaScript the box becomes
    an autocomplete that asks regions:organisation-search as the person types."""

    template_name = "regions/widgets/organisation_search.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.queryset = Organisation.objects.none()
        self.matches = []
        self.chosen = None

    def _render(self, template_name, context, renderer=None):
        # The project's templates, not the form renderer's (which sees only Django's own).
        return super()._render(template_name, context, TemplatesSetting())

    def value_from_datadict(self, data, files, name):
        return data.get(f"{name}-choice") or data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}-choice" not in data

    def format_value(self, value):
        if isinstance(value, Organisation):
            return value.search_label
        if self.chosen is not None:
            return self.chosen.search_label
        if isinstance(value, int) or (isinstance(value, str) and _is_id(value)):
            organisation = self.queryset.filter(pk=int(value)).first()
            return organisation.search_label if organisation else ""
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-organisation-search"] = reverse(
            "regions:organisation-search"
        )
        context["widget"]["matches"] = self.matches
        context["widget"]["choice_name"] = f"{name}-choice"
        return context


def _is_id(text):
    return text.isascii() and text.isdigit() and len(text) < 19


class OrganisationChoice(forms.ModelChoiceField):
    """Choose an organisation by typing part of its name, a former name or its ODS code.

    The page never lists every organisation (there are hundreds of trusts). A value is an
    organisation's id (from the search step's radio buttons, or a form's initial value), its
    label as the box shows it, its ODS code, its name, or words that match one organisation
    only; words that match several send the person back to choose among them."""

    widget = OrganisationSearchWidget
    default_error_messages = {
        "invalid_choice": "Choose an organisation that is in the list",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Type part of its name or its ODS code (RJ1, for example). If more than one "
            "matches, you will be asked to choose.",
        )
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, organisation):
        return organisation.label

    def to_python(self, value):
        self.widget.matches, self.widget.chosen = [], None
        if value in self.empty_values:
            return None
        if isinstance(value, Organisation):
            value = str(value.pk)
        text = " ".join(str(value).split())
        if not text:
            return None
        if len(text) > MAX_TYPED or "\x00" in text:
            raise ValidationError(
                f"Enter at most {MAX_TYPED} characters of its name, or its ODS code",
                code="invalid_choice",
            )
        organisation = self._find(text)
        self.widget.chosen = organisation
        return organisation

    def _find(self, text):
        organisations = self.queryset
        if _is_id(text):
            found = organisations.filter(pk=int(text)).first()
            if found is not None:
                return found
            if Organisation.objects.filter(pk=int(text)).exists():
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        label = _SEARCH_LABEL.fullmatch(text)
        if label:
            code = label["notes"].split(",")[0].strip()
            exact = organisations.filter(ods_code__iexact=code, name__iexact=label["name"])
            if len(found := list(exact[:2])) == 1:
                return found[0]
        for exact in (
            organisations.filter(ods_code__iexact=text),
            organisations.filter(name__iexact=label["name"] if label else text),
        ):
            if len(found := list(exact[:2])) == 1:
                return found[0]
        matches = list(
            organisations.matching(text)
            .select_related("nhs_england_region")
            .open_first()[: MAX_MATCHES + 1]
        )
        if len(matches) == 1:
            return matches[0]
        if not matches and Organisation.objects.matching(text).exists():
            # It exists, but this question takes other kinds (a university, say).
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        if not matches:
            raise ValidationError(
                f"No organisation matches “{text}”. Check the spelling, or type part of its "
                "name or its ODS code",
                code="invalid_choice",
            )
        if len(matches) > MAX_MATCHES:
            raise ValidationError(
                f"More than {MAX_MATCHES} organisations match “{text}”. Type more of its name, "
                "or its ODS code",
                code="invalid_choice",
            )
        self.widget.matches = matches
        raise ValidationError(
            f"{len(matches)} organisations match “{text}”. Choose one below the box",
            code="invalid_choice",
        )

    def validate(self, value):
        # What to_python found is in the queryset already; this only says when it is required.
        forms.Field.validate(self, value)

    def has_changed(self, initial, data):
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        if isinstance(initial, models.Model):
            initial = initial.pk
        return str(chosen.pk if chosen else "") != str(initial if initial is not None else "")


class WithNewOrganisation(forms.Form):
    """An organisation field (`organisation_field`) with the choice to add one that is not in
    the list; an organisation that has closed is refused, naming its successor."""

    organisation_field = "addressed_to"

    @property
    def answered_either_way(self):
        # Chosen from the list or added below: either answers the question.
        return {self.organisation_field}

    new_organisation_name = forms.CharField(
        label="Name of the organisation",
        required=False,
        max_length=max_length_of(Organisation, "name"),
        help_text="Only if it is not in the list above.",
    )
    new_organisation_kind = forms.ChoiceField(
        label="Type of organisation",
        required=False,
        choices=[("", "Choose a type"), *NEW_ORGANISATION_KINDS],
    )

    def organisation_fieldset(self, legend):
        return Fieldset(legend, "new_organisation_name", "new_organisation_kind")

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("new_organisation_name", "").strip()
        field = self.organisation_field
        chosen = cleaned.get(field)
        if name and chosen:
            self.add_error(
                "new_organisation_name",
                "Choose an organisation from the list or add a new one, not both",
            )
        elif name and not cleaned.get("new_organisation_kind"):
            self.add_error("new_organisation_kind", "Choose the type of organisation")
        elif not name and not chosen and field not in self.errors:
            self.add_error(field, "Choose an organisation, or add one that is not in the list")
        if chosen is not None and chosen.is_closed():
            successor = chosen.successor
            message = f"{chosen.name} closed on {chosen.closed_on:%-d %B %Y}."
            message += (
                f" Choose its successor, {successor.name}, or another organisation"
                if successor
                else " Choose the organisation that took over its work"
            )
            self.add_error(field, message)
        return cleaned

    def new_organisation(self):
        name = self.cleaned_data.get("new_organisation_name", "").strip()
        if not name:
            return None
        return {"name": name, "kind": self.cleaned_data["new_organisation_kind"]}


class OdsUploadForm(PortalForm):
    file = forms.FileField(
        label="The ODS file of NHS trusts",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="etr.csv, as downloaded from the Organisation Data Service: no header row, "
        "up to 2 MB.",
        error_messages={"required": "Choose the ODS file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The name is kept and shown, so it is free text like any other.
        no_nhs_number(upload.name)
        if upload.size > MAX_BYTES:
            raise ValidationError("The file is larger than 2 MB, so it is not the ODS file")
        try:
            self.trusts = read_trusts(upload.read())
        except OdsFileError as error:
            raise ValidationError(str(error)) from None
        return upload


class OrganisationsSearchWidget(OrganisationSearchWidget):
    """Several organisations: those chosen so far as ticked boxes (untick to take one off),
    and a search box (`<name>-add`) to add one more, with the same search step."""

    template_name = "regions/widgets/organisations_search.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.chosen_list = []
        self.typed = ""

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        typed = data.get(f"{name}-add-choice") or data.get(f"{name}-add") or ""
        return [*ids, *([typed] if typed.strip() else [])]

    def value_omitted_from_data(self, data, files, name):
        return False  # no ticked box means none, as with checkboxes

    def get_context(self, name, value, attrs):
        context = super().get_context(f"{name}-add", self.typed, attrs)
        if not self.chosen_list and value:
            ids = [v.pk if isinstance(v, Organisation) else v for v in value]
            ids = [int(v) for v in ids if isinstance(v, int) or _is_id(str(v))]
            self.chosen_list = list(self.queryset.filter(pk__in=ids).order_by("name"))
        context["widget"]["chosen"] = self.chosen_list
        context["widget"]["list_name"] = name
        context["widget"]["value"] = self.typed
        return context


class OrganisationsChoice(forms.ModelMultipleChoiceField):
    """Several organisations, each added by typing part of its name or its ODS code."""

    widget = OrganisationsSearchWidget

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text", "Type part of a name or an ODS code to add one; untick one to take it off."
        )
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)

    def clean(self, value):
        widget = self.widget
        widget.matches, widget.chosen_list, widget.typed = [], [], ""
        values = [str(v).strip() for v in (value or []) if str(v).strip()]
        ids = [int(v) for v in values if _is_id(v)]
        typed = [v for v in values if not _is_id(v)]
        chosen = list(self.queryset.filter(pk__in=ids))
        if len(chosen) != len(set(ids)):
            raise ValidationError(self.error_messages["invalid_choice"] % {"value": ""})
        widget.chosen_list = sorted(chosen, key=lambda org: org.name)
        single = OrganisationChoice(queryset=self.queryset)
        for text in typed:
            try:
                found = single.to_python(text)
            except ValidationError:
                widget.typed, widget.matches = text[:MAX_TYPED], single.widget.matches
                raise
            if found not in chosen:
                chosen.append(found)
        widget.chosen_list = sorted(chosen, key=lambda org: org.name)
        if self.required and not chosen:
            raise ValidationError(self.error_messages["required"], code="required")
        return self.queryset.filter(pk__in=[org.pk for org in chosen])

    def has_changed(self, initial, data):
        initial_ids = {str(v.pk if isinstance(v, models.Model) else v) for v in initial or []}
        return initial_ids != {str(v) for v in data or []}
