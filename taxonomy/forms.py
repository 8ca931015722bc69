from django import forms

from portal.forms import GroupedCheckboxSelectMultiple
from taxonomy.models import SyllabusTag, Theme


def syllabus_field(**kwargs):
    """The Patient Safety Syllabus question of every record's form: a fieldset for each
    domain with its five levels, each checkbox one (domain, level) tag."""
    field = forms.ModelMultipleChoiceField(
        label=kwargs.pop("label", "Patient Safety Syllabus"),
        queryset=SyllabusTag.objects.with_names(),
        required=kwargs.pop("required", False),
        widget=GroupedCheckboxSelectMultiple(group_by=lambda tag: f"Domain {tag.domain}"),
        help_text=kwargs.pop(
            "help_text", "Choose each domain at the level it is taught or applies to."
        ),
        **kwargs,
    )
    field.label_from_instance = lambda tag: str(tag.level)
    return field


def theme_filter():
    """The theme box of a list's filters: every theme, found by its slug in the address."""
    return forms.ModelChoiceField(
        label="Theme",
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label="All themes",
    )
