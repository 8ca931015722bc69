"""Form pieces for choosing an organisation, shared by every app whose records name one: the
register, adoption and spread, curriculum and training."""

from crispy_forms.layout import Fieldset
from django import forms

from portal.forms import max_length_of
from regions.models import Organisation

NEW_ORGANISATION_KINDS = [
    (Organisation.Kind.NHS_TRUST, "NHS trust"),
    (Organisation.Kind.HIGHER_EDUCATION, "Higher education institution"),
    (Organisation.Kind.HEE_NHS_ENGLAND, "HEE or NHS England"),
    (Organisation.Kind.OTHER, "Another organisation"),
]


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        return organisation.label


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
