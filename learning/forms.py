from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from accounts.scope import user_scope
from fellows.models import Initiative
from learning.models import Investigation, LearningItem, LearningItemEvent
from portal.forms import (
    TODAY,
    DateField,
    FilterForm,
    PortalForm,
    VersionedForm,
    max_length_of,
    region_filter,
)
from portal.nhs_number import no_nhs_number
from regions.forms import OrganisationChoice
from regions.models import Organisation
from taxonomy.forms import syllabus_field, theme_filter


class InvestigationForm(VersionedForm):
    published_on = DateField(
        label="Publication date",
        required=False,
        latest=TODAY,
        help_text="For example, 27 3 2025.",
    )
    sjr_overall_score = forms.TypedChoiceField(
        label="Structured judgement review overall score",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "Not applicable"),
            (1, "1: very poor care"),
            (2, "2: poor care"),
            (3, "3: adequate care"),
            (4, "4: good care"),
            (5, "5: excellent care"),
        ],
        help_text="Only for a Learning from Deaths review: the overall score of the "
        "structured judgement review.",
    )
    report_url = forms.URLField(
        label="Link to the published report",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Needed for HSSIB and Prevention of Future Deaths reports. Link to the "
        "published report only.",
    )

    class Meta:
        model = Investigation
        fields = [
            "title",
            "source",
            "psirf_response_type",
            "sjr_overall_score",
            "organisation",
            "report_url",
            "published_on",
            "summary",
            "themes",
            "region",
        ]
        widgets = {
            "source": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "psirf_response_type": "Only for a PSIRF learning response: the type of response.",
            "summary": "What the investigation found. Do not include patient-identifiable "
            "information.",
        }
        labels = {"organisation": "Organisation that published it"}
        field_classes = {"organisation": OrganisationChoice}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = Investigation.Source.choices
        self.fields["psirf_response_type"].choices = [("", "Not applicable")] + list(
            self.fields["psirf_response_type"].choices
        )[1:]
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["region"].queryset = user_scope(user).regions
        self.fields["region"].empty_label = "Choose a region"
        if not self.instance.pk:
            self.fields["region"].initial = user_scope(user).default_region_id
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save investigation"))


class LearningItemForm(VersionedForm):
    syllabus = syllabus_field()

    class Meta:
        model = LearningItem
        fields = [
            "kind",
            "title",
            "summary",
            "body",
            "region",
            "themes",
            "syllabus",
            "psirf_response_type",
            "investigations",
            "initiatives",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "themes": forms.CheckboxSelectMultiple,
            "investigations": forms.CheckboxSelectMultiple,
            "initiatives": forms.CheckboxSelectMultiple,
        }
        labels = {
            "investigations": "Investigations this learning comes from",
            "initiatives": "Related initiatives",
        }
        help_texts = {
            "psirf_response_type": "If the learning comes from a PSIRF learning response.",
            "body": "Plain text or Markdown: headings, lists, links and emphasis. Do not "
            "include patient-identifiable information.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = LearningItem.Kind.choices
        self.fields["psirf_response_type"].choices = [("", "Not applicable")] + list(
            self.fields["psirf_response_type"].choices
        )[1:]
        self.fields["region"].queryset = user_scope(user).regions
        self.fields["region"].empty_label = "Choose a region"
        if not self.instance.pk:
            self.fields["region"].initial = user_scope(user).default_region_id
        self.fields["investigations"].queryset = Investigation.objects.for_user(user).order_by(
            "title"
        )
        self.fields["initiatives"].queryset = Initiative.objects.for_user(user).order_by("title")
        # An empty list of checkboxes under a heading reads as a fault: leave the question out.
        for name in ("investigations", "initiatives"):
            if not self.fields[name].queryset.exists() and not self.instance.pk:
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save as draft"))


class ReturnForm(PortalForm):
    feedback = forms.CharField(
        label="Feedback for the authors",
        max_length=max_length_of(LearningItemEvent, "feedback"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what needs to change before the learning can be published.",
        error_messages={"required": "Enter feedback for the authors"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feedback"].validators.append(no_nhs_number)
        self.helper = FormHelper()
        self.helper.add_input(Submit("return", "Return with feedback"))


class PublishForm(PortalForm):
    marks_optional = False  # a choice with an answer already made, not a box to fill
    public = forms.TypedChoiceField(
        label="Show it on the public pages too?",
        choices=[
            ("no", "No, only people signed in to the portal"),
            ("yes", "Yes, anyone can read it without signing in"),
        ],
        coerce=lambda answer: answer == "yes",
        # Not answered (a form sent without it) is "no": nothing is shown to the world
        # unless its reviewer said so.
        required=False,
        empty_value=False,
        widget=forms.RadioSelect,
        initial="no",
        help_text=(
            "The public pages can be read, followed in a feed and found through search engines "
            "by anyone. Authors are named there only if they have agreed. You can change this "
            "later."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("publish", "Publish"))


class InvestigationFilterForm(FilterForm):
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "All sources"), *Investigation.Source.choices]
    )
    region = region_filter()


class LearningFilterForm(FilterForm):
    lookups = {"theme": "themes"}

    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *LearningItem.Kind.choices]
    )
    region = region_filter()
    theme = theme_filter()
