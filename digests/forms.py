from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from digests.models import DigestFrequency
from learning.models import LearningItem
from portal.forms import PortalForm
from regions.models import Region


class DigestPreferenceForm(PortalForm):
    frequency = forms.ChoiceField(
        label="How often do you want a digest?",
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
    )
    regions = forms.ModelMultipleChoiceField(
        label="Regions",
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every region whose new learning you want to hear about.",
        error_messages={"required": "Select at least one region."},
    )
    kinds = forms.MultipleChoiceField(
        label="Types of learning",
        choices=LearningItem.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one type of learning."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.in_programme_scheme().order_by("name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save preferences"))
