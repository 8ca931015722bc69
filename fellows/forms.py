from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Case, Value, When
from django.utils import timezone

from accounts.models import User
from accounts.scope import user_scope
from fellows.models import Initiative, Milestone, ProgressUpdate
from portal.forms import (
    TODAY,
    DateField,
    FilterForm,
    PortalModelForm,
    VersionedForm,
    region_filter,
)
from regions.forms import OrganisationsChoice
from regions.models import Organisation, PatientSafetyCollaborative, Region
from taxonomy.forms import syllabus_field


def _with_helper(form, button):
    form.helper = FormHelper()
    form.helper.add_input(Submit("submit", button))


class InitiativeForm(VersionedForm):
    """Offers only the regions and host PSCs the person works in (any for the national team),
    and carries the version it was shown so a later edit by someone else is not overwritten."""

    starts_on = DateField(label="Start date", required=False, help_text="For example, 1 4 2026")
    ends_on = DateField(label="End date", required=False, help_text="For example, 31 3 2027")
    syllabus = syllabus_field()

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "aims",
            "status",
            "starts_on",
            "ends_on",
            "region",
            "host_psc",
            "partners",
            "themes",
            "syllabus",
            "fellows",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "aims": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "fellows": forms.CheckboxSelectMultiple,
        }
        # Every NHS trust is an organisation: partners are added by searching, not listed.
        field_classes = {"partners": OrganisationsChoice}
        help_texts = {
            "summary": "What the initiative is and why. Never include patient details.",
            "partners": "Trusts, universities and other organisations working on it with you. "
            "Type part of a name or an ODS code to add one; untick one to take it off.",
            "fellows": "The safety fellows working on it. If you choose none, it is you.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(user)
        regions = Region.objects.in_programme_scheme()
        pscs = PatientSafetyCollaborative.objects.select_related("host")
        if not scope.is_national:
            led_regions = scope.led_region_ids
            regions = regions.filter(pk__in=scope.fellow_region_ids | led_regions)
            pscs = pscs.filter(pk__in=scope.fellow_psc_ids) | pscs.filter(
                primary_region__in=led_regions
            )
        if self.instance.pk:
            # What the record already has stays choosable, so an edit need not change it.
            regions = regions | Region.objects.filter(pk=self.instance.region_id)
            pscs = pscs | PatientSafetyCollaborative.objects.filter(pk=self.instance.host_psc_id)
        self.fields["region"].queryset = regions.distinct()
        self.fields["host_psc"].queryset = pscs.distinct().order_by("host__name")
        self.fields["region"].empty_label = "Choose a region"
        self.fields["host_psc"].empty_label = "Choose a host PSC"
        kind_order = Case(
            *(When(kind=kind, then=Value(order)) for order, kind in enumerate(Organisation.Kind)),
            default=Value(len(Organisation.Kind)),
        )
        self.fields["partners"].queryset = Organisation.objects.filter(
            closed_on__isnull=True
        ).order_by(kind_order, "name")

        fellows = User.objects.fellows_in(self.fields["region"].queryset)
        if self.instance.pk:
            fellows = fellows | User.objects.filter(initiatives=self.instance)
        self.fields["fellows"].queryset = fellows.distinct().order_by("full_name", "email")
        self.fields["fellows"].required = False

        if not self.instance.pk:
            self.fields["fellows"].initial = [user.pk] if scope.fellow_assignment else []
            own = scope.fellow_assignment
            if own is not None:
                self.fields["region"].initial = own.region_id
                self.fields["host_psc"].initial = own.psc_id
        _with_helper(self, "Save initiative")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned


class MilestoneForm(VersionedForm):
    due_on = DateField(label="Due date", help_text="For example, 30 6 2026")
    completed_on = DateField(
        label="Completed date",
        required=False,
        latest=TODAY,
        help_text="Leave blank until it is done",
    )

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "completed_on"]
        labels = {"title": "Milestone"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_helper(self, "Save milestone")


class ProgressUpdateForm(PortalModelForm):
    written_on = DateField(
        label="Date of the update",
        initial=timezone.localdate,
        latest=TODAY,
        help_text="For example, 15 5 2026",
    )

    class Meta:
        model = ProgressUpdate
        fields = ["written_on", "ihi_score", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "ihi_score": "Where the initiative is now on the IHI scale for improvement projects",
            "text": "What has happened since the last update. Never include patient details.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scores = self.fields["ihi_score"].choices[1:]
        self.fields["ihi_score"].choices = [("", "Choose a score"), *scores]
        _with_helper(self, "Save update")


class InitiativeFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Initiative.Status.choices]
    )
    region = region_filter()
    milestones = forms.ChoiceField(
        label="Milestones",
        required=False,
        choices=[("", "Any milestones"), ("overdue", "An overdue milestone")],
    )

    def narrow(self, rows, data):
        if data["milestones"] == "overdue":
            rows = rows.filter(next_milestone_overdue=True)
        return super().narrow(rows, {**data, "milestones": ""})
