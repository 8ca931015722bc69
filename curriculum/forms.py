import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone

from accounts.scope import user_scope
from curriculum.models import (
    MOST_PEOPLE_A_SESSION,
    TEACHING_KINDS,
    CurriculumEntry,
    StaffSupport,
    TrainingSession,
)
from learning.models import LearningItem
from portal.forms import TODAY, DateField, FilterForm, PortalForm, VersionedForm, region_filter
from regions.forms import OrganisationChoice, WithNewOrganisation
from regions.models import Organisation, Region
from register.models import Recommendation
from taxonomy.forms import syllabus_field
from taxonomy.models import Profession

# The earliest date worth recording: the programme's work starts well after it.
EARLIEST = datetime.date(2000, 1, 1)


def _helper(button, *layout):
    helper = FormHelper()
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("save", button))
    return helper


def _scoped_links(form, user):
    """The recommendations of the person's regions and their own learning, plus whatever
    the record already carries, to choose what it carries."""
    scope = user_scope(user)
    recommendations = Recommendation.objects.for_user(user).order_by("-issued_on", "-pk")
    learning = LearningItem.objects.filter(authors=user).exclude(
        status=LearningItem.Status.WITHDRAWN
    )
    if form.instance.pk:
        recommendations = recommendations | Recommendation.objects.filter(
            pk__in=form.instance.recommendations.values("pk")
        )
        learning = learning | LearningItem.objects.filter(
            pk__in=form.instance.learning_items.values("pk")
        )
    form.fields["recommendations"].queryset = recommendations.distinct()
    form.fields["recommendations"].label_from_instance = lambda r: r.title
    form.fields["learning_items"].queryset = learning.distinct().order_by("title")
    regions = scope.regions
    if form.instance.pk:
        # What the record already has stays choosable, so an edit need not change it.
        regions = regions | Region.objects.filter(pk=form.instance.region_id)
    form.fields["region"].queryset = regions.distinct()
    form.fields["region"].empty_label = "Choose a region"
    if not form.instance.pk:
        form.fields["region"].initial = scope.default_region_id


def _not_too_far(value, *, future_days, label):
    if value < EARLIEST:
        raise forms.ValidationError(f"The {label} must be in 2000 or later")
    latest = timezone.localdate() + datetime.timedelta(days=future_days)
    if value > latest:
        if future_days == 0:
            raise forms.ValidationError(f"The {label} must be today or in the past")
        raise forms.ValidationError(
            f"The {label} must be no more than a year ahead, by {latest:%-d %B %Y}"
        )
    return value


PEOPLE_MESSAGES = {
    "min_value": "Enter a number of people of 1 or more",
    "max_value": f"Enter a number of people of {MOST_PEOPLE_A_SESSION:,} or fewer",
    "invalid": "Enter the number of people as a whole number, like 40",
    "required": "Enter the number of people",
}


class CurriculumEntryForm(WithNewOrganisation, VersionedForm):
    organisation_field = "organisation"

    syllabus = syllabus_field()
    status_on = DateField(
        label="Date of the status",
        initial=timezone.localdate,
        latest=TODAY,
        help_text="When it reached this status. For example, 1 9 2026.",
    )
    academic_year = forms.CharField(
        label="Academic year it starts",
        max_length=7,
        help_text="The year it starts and the next, for example 2025/26.",
    )

    class Meta:
        model = CurriculumEntry
        fields = [
            "organisation",
            "programme",
            "profession",
            "stage",
            "change",
            "syllabus",
            "status",
            "status_on",
            "academic_year",
            "recommendations",
            "learning_items",
            "region",
        ]
        widgets = {
            "stage": forms.RadioSelect,
            "status": forms.RadioSelect,
            "change": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.CheckboxSelectMultiple,
            "learning_items": forms.CheckboxSelectMultiple,
        }
        field_classes = {"organisation": OrganisationChoice}
        help_texts = {
            "programme": "For example, BSc Adult Nursing, year 2, or a foundation doctors' "
            "teaching programme.",
            "change": "What will be taught differently. Do not include patient-identifiable "
            "information.",
            "learning_items": "Your own learning items.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=TEACHING_KINDS
        ).order_by("name")
        self.fields["organisation"].required = False
        self.fields["organisation"].empty_label = "Choose a university or trust"
        self.fields["organisation"].error_messages["invalid_choice"] = (
            "Choose a university (higher education institution) or an NHS trust from the "
            "list: those are who teach"
        )
        self.fields["new_organisation_kind"].choices = [
            ("", "Choose a type"),
            (Organisation.Kind.HIGHER_EDUCATION, "Higher education institution"),
            (Organisation.Kind.NHS_TRUST, "NHS trust"),
        ]
        self.fields["profession"].queryset = Profession.objects.all()
        self.fields["profession"].empty_label = "Choose a profession"
        _scoped_links(self, user)
        layout = [
            "organisation",
            self.organisation_fieldset("Or add a university or trust that is not in the list"),
            "programme",
            "profession",
            "stage",
            "change",
            "syllabus",
        ]
        if self.instance.pk:
            # The status changes on its own page, which keeps the date of each change.
            del self.fields["status"]
            del self.fields["status_on"]
        else:
            layout += ["status", "status_on"]
        layout += ["academic_year", "recommendations", "learning_items", "region", "version"]
        self.helper = _helper("Save curriculum entry", *layout)

    def clean_status_on(self):
        return _not_too_far(
            self.cleaned_data["status_on"], future_days=0, label="date of the status"
        )


class CurriculumStatusForm(PortalForm):
    status = forms.ChoiceField(
        label="New status",
        choices=CurriculumEntry.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status"},
    )
    on = DateField(
        label="Date of the change",
        initial=timezone.localdate,
        latest=TODAY,
        help_text="For example, 1 9 2026.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["version"].initial = entry.version
        self.fields["status"].initial = entry.status
        self.helper = _helper("Save status")

    def clean_on(self):
        on = _not_too_far(self.cleaned_data["on"], future_days=0, label="date of the change")
        if on < self.entry.status_on:
            raise forms.ValidationError(
                "The date of the change must be on or after the date of the current status, "
                f"{self.entry.status_on:%-d %B %Y}"
            )
        return on

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.entry.status:
            raise forms.ValidationError(
                f"It is already {self.entry.get_status_display().lower()}: choose another status"
            )
        return status

    @property
    def expected_version(self):
        return self.cleaned_data.get("version") or 0


class TrainingSessionForm(WithNewOrganisation, VersionedForm):
    organisation_field = "host"

    held_on = DateField(
        label="Date",
        latest=datetime.timedelta(days=365),
        error_messages={"too_late": "The date must be no more than a year ahead, by %(latest)s"},
        help_text="The date of the session, or the first day of a course; no more than a year "
        "ahead. For example, 12 2 2026.",
    )
    syllabus = syllabus_field()
    people_trained = forms.IntegerField(
        label="Number of people trained",
        min_value=1,
        max_value=MOST_PEOPLE_A_SESSION,
        error_messages=PEOPLE_MESSAGES,
        help_text=f"From 1 to {MOST_PEOPLE_A_SESSION:,}. A number, never names.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = TrainingSession
        fields = [
            "held_on",
            "title",
            "format",
            "professions",
            "people_trained",
            "host",
            "region",
            "syllabus",
            "learning_items",
            "recommendations",
        ]
        widgets = {
            "format": forms.RadioSelect,
            "professions": forms.CheckboxSelectMultiple,
            "learning_items": forms.CheckboxSelectMultiple,
            "recommendations": forms.CheckboxSelectMultiple,
        }
        field_classes = {"host": OrganisationChoice}
        labels = {"professions": "Professions in the audience"}
        help_texts = {"learning_items": "Your own learning items."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Organisation.objects.order_by("name")
        self.fields["host"].required = False
        self.fields["host"].empty_label = "Choose an organisation"
        self.fields["professions"].error_messages["required"] = "Choose at least one profession"
        _scoped_links(self, user)
        self.helper = _helper(
            "Save training",
            "held_on",
            "title",
            "format",
            "professions",
            "people_trained",
            "host",
            self.organisation_fieldset("Or add an organisation that is not in the list"),
            "region",
            "syllabus",
            "learning_items",
            "recommendations",
            "version",
        )

    def clean_held_on(self):
        return _not_too_far(self.cleaned_data["held_on"], future_days=365, label="date")


class StaffSupportForm(WithNewOrganisation, VersionedForm):
    held_on = DateField(label="Date", latest=TODAY, help_text="For example, 12 2 2026.")
    staff_reached = forms.IntegerField(
        label="Number of staff reached",
        min_value=1,
        max_value=MOST_PEOPLE_A_SESSION,
        error_messages=PEOPLE_MESSAGES,
        help_text="A number only: never the names of the staff supported.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = StaffSupport
        fields = [
            "kind",
            "held_on",
            "organisation",
            "staff_reached",
            "support_model",
            "notes",
            "region",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "support_model": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"organisation": OrganisationChoice}
        help_texts = {
            "notes": "What helped, and what was learned. Never the names of the staff "
            "supported, and no patient-identifiable information."
        }

    organisation_field = "organisation"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].required = False
        self.fields["organisation"].empty_label = "Choose an organisation"
        scope = user_scope(user)
        regions = scope.regions
        if self.instance.pk:
            regions = regions | Region.objects.filter(pk=self.instance.region_id)
        self.fields["region"].queryset = regions.distinct()
        self.fields["region"].empty_label = "Choose a region"
        if not self.instance.pk:
            self.fields["region"].initial = scope.default_region_id
        self.helper = _helper(
            "Save support",
            "kind",
            "held_on",
            "organisation",
            self.organisation_fieldset("Or add an organisation that is not in the list"),
            "staff_reached",
            "support_model",
            "notes",
            "region",
            "version",
        )

    def clean_held_on(self):
        return _not_too_far(self.cleaned_data["held_on"], future_days=0, label="date")


class EntryFilterForm(FilterForm):
    region = region_filter()
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *CurriculumEntry.Status.choices],
    )
    profession = forms.ModelChoiceField(
        label="Profession",
        required=False,
        queryset=Profession.objects.all(),
        empty_label="All professions",
    )


class SessionFilterForm(FilterForm):
    region = region_filter()
    format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "Any format"), *TrainingSession.Format.choices],
    )
    profession = forms.ModelChoiceField(
        label="Profession",
        required=False,
        queryset=Profession.objects.all(),
        empty_label="All professions",
    )
    lookups = {"profession": "professions"}
