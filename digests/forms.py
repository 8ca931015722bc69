from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from digests.models import DigestFrequency
from discussion.models import CommentDelivery
from learning.models import LearningItem
from portal.forms import PortalForm
from regions.models import Region


class DigestPreferenceForm(PortalForm):
    marks_optional = False  # every question has an answer already chosen
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

    comments = forms.ChoiceField(
        label="How do you want to hear of comments on learning you wrote or commented on?",
        choices=CommentDelivery.choices,
        widget=forms.RadioSelect,
        help_text="Someone who mentions you in a comment always tells you at once, by email.",
        # A form sent without it leaves the choice as it was.
        required=False,
    )

    author_summary = forms.TypedChoiceField(
        label="Do you want a weekly email about what happened to your learning?",
        choices=[
            ("yes", "Yes, on Monday mornings, in a week when something happened"),
            ("no", "No"),
        ],
        coerce=lambda value: value == "yes",
        empty_value=None,  # not sent: left as it was
        required=False,
        widget=forms.RadioSelect,
        help_text="It lists your learning that was reviewed, published, shown on the public "
        "pages, adopted, cited in a curriculum entry or commented on that week.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.in_programme_scheme().order_by("name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save preferences"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("frequency") == DigestFrequency.NEVER
            and cleaned.get("comments") == CommentDelivery.DIGEST
        ):
            self.add_error(
                "comments",
                "You chose to get no digests: choose to hear of comments by email, or choose "
                "how often you want a digest",
            )
        return cleaned
