from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.scope import user_scope
from learning.models import LearningItem
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
from regions.forms import OrganisationChoice, WithNewOrganisation
from regions.models import Organisation, Region
from register.models import (
    Adoption,
    AdoptionStage,
    AdoptionStageChange,
    Recommendation,
    RecommendationKind,
    RecommendationResponse,
    ResponseStatus,
    is_backwards,
    kinds_from_source,
)
from taxonomy.forms import syllabus_field
from taxonomy.models import Theme


def _helper(button, *layout):
    helper = FormHelper()
    if layout:
        helper.layout = Layout(*layout)
    helper.add_input(Submit("save", button))
    return helper


def _either(kinds):
    labels = [f'"{kind.label}"' for kind in kinds]
    return " or ".join(labels) if len(labels) < 3 else ", ".join(labels)


def _organisations():
    return Organisation.objects.select_related("successor").order_by("name")


def _owners(region_ids):
    """People who may follow a recommendation up: the fellows and leads of the regions."""
    return User.objects.working_in(region_ids).order_by("full_name", "email").distinct()


class RecommendationForm(WithNewOrganisation, VersionedForm):
    syllabus = syllabus_field()
    issued_on = DateField(
        label="Date made",
        latest=TODAY,
        help_text="The date of the report or finding. For example, 27 3 2025.",
    )
    due_on = DateField(
        label="Response due",
        required=False,
        help_text="Leave blank for the usual deadline: 56 days after the report for a "
        "Prevention of Future Deaths concern, 90 days for an HSSIB safety recommendation. "
        "For example, 25 6 2025.",
    )

    class Meta:
        model = Recommendation
        fields = [
            "kind",
            "reference",
            "text",
            "addressed_to",
            "owner",
            "region",
            "issued_on",
            "due_on",
            "themes",
            "syllabus",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 5}),
            "themes": forms.CheckboxSelectMultiple,
        }
        field_classes = {"addressed_to": OrganisationChoice}
        help_texts = {
            "text": "The recommendation as written. Do not include patient-identifiable "
            "information.",
        }

    confirm_kind = forms.BooleanField(required=False)

    def __init__(self, *args, user, investigation=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(user)
        self.investigation = investigation or self.instance.investigation
        kinds = RecommendationKind.choices
        self.usual_kinds = ()
        if self.investigation is None:
            # Only a fellow's own recommendation stands without an investigation.
            kinds = [(RecommendationKind.FELLOW, RecommendationKind.FELLOW.label)]
            self.fields["kind"].initial = RecommendationKind.FELLOW
        else:
            # The kinds the investigation's source makes come first, the usual one chosen.
            self.usual_kinds = kinds_from_source(self.investigation.source)
            kinds = [(kind.value, kind.label) for kind in self.usual_kinds] + [
                choice for choice in kinds if choice[0] not in self.usual_kinds
            ]
            if self.usual_kinds and not self.instance.pk:
                self.fields["kind"].initial = self.usual_kinds[0]
                self.fields["kind"].help_text = self._usual_kinds_sentence() + "."
        self.fields["kind"].choices = kinds
        # The box to confirm an unusual kind shows only once one has been chosen.
        unusual = self._unusual_kind()
        if unusual is None:
            del self.fields["confirm_kind"]
        else:
            self.fields["confirm_kind"].label = (
                f'Yes, it is "{unusual.label}" although the investigation\'s source is '
                f"{self.investigation.get_source_display()}"
            )
        self.fields["addressed_to"].queryset = _organisations()
        self.fields["addressed_to"].required = False
        self.fields["addressed_to"].empty_label = "Choose an organisation"
        regions = scope.regions
        if self.instance.pk:
            # What the record already has stays choosable, so an edit need not change it.
            regions = regions | Region.objects.filter(pk=self.instance.region_id)
        self.fields["region"].queryset = regions.distinct()
        self.fields["region"].empty_label = "Choose a region"
        self.fields["owner"].queryset = _owners(scope.region_ids)
        self.fields["owner"].empty_label = "Nobody yet"
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk
            self.fields["region"].initial = (
                self.investigation.region_id if self.investigation else scope.default_region_id
            )
            if self.investigation is not None and self.investigation.published_on:
                self.fields["issued_on"].initial = self.investigation.published_on
        self.helper = _helper(
            "Save recommendation",
            "kind",
            *(["confirm_kind"] if "confirm_kind" in self.fields else []),
            "reference",
            "text",
            "addressed_to",
            self.organisation_fieldset("Or add an organisation that is not in the list"),
            "owner",
            "region",
            "issued_on",
            "due_on",
            "themes",
            "syllabus",
            "version",
        )

    def clean(self):
        cleaned = super().clean()
        owner, region = cleaned.get("owner"), cleaned.get("region")
        if owner is not None and region is not None:
            owner_scope = user_scope(owner)
            if not owner_scope.is_national and region.pk not in owner_scope.worked_region_ids:
                self.add_error("owner", f"Choose someone who works in {region.name}")
        issued_on, due_on = cleaned.get("issued_on"), cleaned.get("due_on")
        if issued_on and due_on and due_on < issued_on:
            self.add_error("due_on", "The response due date must be on or after the date made")
        unusual = self._unusual_kind()
        if unusual is not None and not cleaned.get("confirm_kind"):
            self.add_error(
                "kind",
                f"{self._usual_kinds_sentence()}. Choose the usual kind, or confirm the one "
                "you chose in the box below",
            )
        return cleaned

    def _usual_kinds_sentence(self):
        return (
            f"The investigation's source, {self.investigation.get_source_display()}, "
            f"usually makes {_either(self.usual_kinds)}"
        )

    def _unusual_kind(self):
        """The kind chosen, when the investigation's source does not usually make it and the
        record is not already of that kind; else None."""
        if not self.is_bound or not self.usual_kinds:
            return None
        chosen = self.data.get("kind")
        if chosen not in RecommendationKind.values or chosen in self.usual_kinds:
            return None
        if self.instance.pk and chosen == self.instance.kind:
            return None
        return RecommendationKind(chosen)

    def _post_clean(self):
        self.instance.investigation = self.investigation
        super()._post_clean()

    def fields_to_save(self):
        fields = super().fields_to_save()
        if not self.instance.pk:
            fields["investigation"] = self.investigation
        return fields


class GapForm(WithNewOrganisation, PortalForm):
    """A gap a fellow found and their recommendation that answers it, in one form."""

    gap_title = forms.CharField(
        label="The gap, in a line",
        max_length=max_length_of(LearningItem, "title"),
        validators=[no_nhs_number],
        error_messages={"required": "Enter the gap in a line"},
    )
    gap_summary = forms.CharField(
        label="What is missing, and where",
        max_length=max_length_of(LearningItem, "summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_nhs_number],
        help_text="In practice, training or curriculum. Do not include patient-identifiable "
        "information.",
        error_messages={"required": "Say what is missing, and where"},
    )
    text = forms.CharField(
        label="Your recommendation",
        max_length=max_length_of(Recommendation, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_nhs_number],
        error_messages={"required": "Enter your recommendation"},
    )
    addressed_to = OrganisationChoice(
        label="Addressed to",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Choose an organisation",
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=User.objects.none(), required=False, empty_label="Nobody yet",
        help_text="The person in the portal who follows it up.",
    )  # fmt: skip
    region = forms.ModelChoiceField(
        label="Region", queryset=None, empty_label="Choose a region",
        error_messages={"required": "Choose a region"},
    )  # fmt: skip
    due_on = DateField(label="Response due", required=False, help_text="For example, 30 6 2026.")
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(user)
        self.fields["addressed_to"].queryset = _organisations()
        self.fields["owner"].queryset = _owners(scope.region_ids)
        self.fields["owner"].initial = user.pk
        self.fields["region"].queryset = scope.regions
        self.fields["region"].initial = scope.default_region_id
        self.helper = _helper(
            "Save the gap and recommendation",
            Fieldset("The gap", "gap_title", "gap_summary"),
            Fieldset(
                "Your recommendation",
                "text",
                "addressed_to",
                "new_organisation_name",
                "new_organisation_kind",
                "owner",
                "region",
                "due_on",
                "themes",
            ),
        )

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError("The response due date must be today or later")
        return due_on


class ResponseForm(PortalForm):
    status = forms.ChoiceField(
        label="Where does it stand now?",
        choices=ResponseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the recommendation stands"},
    )
    responded_on = DateField(
        label="Date of the response",
        initial=timezone.localdate,
        latest=TODAY,
        help_text="The date on the response, or of the change. For example, 15 5 2026.",
    )
    text = forms.CharField(
        label="What the response says",
        required=False,
        max_length=max_length_of(RecommendationResponse, "text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_nhs_number],
        help_text="A summary, or the text of a short response. Do not include "
        "patient-identifiable information.",
    )
    url = forms.URLField(
        label="Link to the published response",
        required=False,
        max_length=max_length_of(RecommendationResponse, "url"),
        assume_scheme="https",
        validators=[no_nhs_number],
    )
    # What the page showed: the response recorded last (0 for none). A response recorded
    # after the page was shown refuses this one (register.services.response_record).
    last_response_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.fields["last_response_seen"].initial = recommendation.last_response_id()
        # The responses recorded after the page was shown, when saving was refused for them.
        self.newer_responses = []
        self.helper = _helper("Save response")

    def clean_last_response_seen(self):
        # A page without the field showed no responses, as far as anyone can tell.
        return self.cleaned_data["last_response_seen"] or 0

    def conflict(self, newer):
        """`newer` are the responses recorded since the page was shown, oldest first. The form
        keeps what was typed and now carries the latest of them, so saving again is a choice
        made having seen them."""
        self.newer_responses = newer
        self.data = self.data.copy()
        self.data["last_response_seen"] = newer[-1].pk
        self.add_error(None, stale_response_message(newer))

    def clean_responded_on(self):
        responded_on = self.cleaned_data["responded_on"]
        if responded_on > timezone.localdate():
            raise forms.ValidationError("The date of the response must be today or in the past")
        if responded_on < self.recommendation.issued_on:
            raise forms.ValidationError(
                "The date of the response must be on or after the date the recommendation "
                f"was made, {self.recommendation.issued_on:%-d %B %Y}"
            )
        return responded_on

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if (
            status
            and status != ResponseStatus.AWAITING
            and not cleaned.get("text")
            and not cleaned.get("url")
            and "url" not in self.errors
        ):
            self.add_error("text", "Enter what the response says, or link to it below")
        return cleaned


def stale_response_message(newer):
    latest = newer[-1]
    when = date_format(timezone.localtime(latest.recorded_at), "j F Y \\a\\t H:i")
    if len(newer) == 1:
        opening = f"{latest.recorded_by} recorded a response on {when}, after you opened this page."
        theirs = "read theirs below"
    else:
        opening = (
            f"{len(newer)} responses were recorded after you opened this page, the latest by "
            f"{latest.recorded_by} on {when}."
        )
        theirs = "read them below"
    return (
        f"{opening} Yours is not saved, and is still in the form: {theirs}, then save yours "
        "again if it should still be added."
    )


class AnswerSearchForm(PortalForm):
    marks_optional = False

    q = forms.CharField(label="Find learning or an initiative by its title", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("find", "Find", css_class="nhsuk-button--secondary"))


class RecommendationFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types"), *RecommendationKind.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("overdue", "Overdue"), *ResponseStatus.choices],
    )
    region = region_filter()
    addressed_to = OrganisationChoice(
        label="Addressed to",
        required=False,
        queryset=Organisation.objects.filter(recommendations__isnull=False).distinct(),
        empty_label="Any organisation",
    )

    def narrow(self, recommendations, data):
        if data["status"] == "overdue":
            recommendations = recommendations.overdue()
            data = {**data, "status": ""}
        return super().narrow(recommendations, data)


# Adoption and spread


class AdoptionForm(WithNewOrganisation, VersionedForm):
    organisation_field = "organisation"

    stage_on = DateField(
        label="Date of the stage",
        initial=timezone.localdate,
        latest=TODAY,
        help_text="When it reached this stage. For example, 1 9 2026.",
    )

    class Meta:
        model = Adoption
        fields = ["organisation", "region", "stage", "stage_on", "contact_role", "notes"]
        widgets = {"stage": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"organisation": OrganisationChoice}
        help_texts = {"notes": "Do not include patient-identifiable information."}

    def __init__(self, *args, user, spread=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spread = spread or self.instance.spread
        self.fields["organisation"].queryset = _organisations()
        self.fields["organisation"].required = False
        self.fields["organisation"].empty_label = "Choose an organisation"
        # Spreading across England is the point: the adopter may be in any region.
        self.fields["region"].queryset = Region.objects.in_programme_scheme()
        self.fields["region"].empty_label = "Choose a region"
        if self.instance.pk:
            del self.fields["stage"]
            del self.fields["stage_on"]
        layout = [
            "organisation",
            self.organisation_fieldset("Or add an organisation that is not in the list"),
            "region",
        ]
        if "stage" in self.fields:
            layout += ["stage", "stage_on"]
        layout += ["contact_role", "notes", "version"]
        self.helper = _helper("Save adoption", *layout)

    def _post_clean(self):
        if self.spread is not None:
            if isinstance(self.spread, LearningItem):
                self.instance.learning_item = self.spread
            else:
                self.instance.initiative = self.spread
        super()._post_clean()

    def fields_to_save(self):
        fields = super().fields_to_save()
        if not self.instance.pk:
            key = "learning_item" if isinstance(self.spread, LearningItem) else "initiative"
            fields[key] = self.spread
        return fields


class StageForm(PortalForm):
    stage = forms.ChoiceField(
        label="New stage",
        choices=AdoptionStage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new stage"},
    )
    on = DateField(
        label="Date of the change",
        initial=timezone.localdate,
        latest=TODAY,
        help_text="For example, 1 9 2026.",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=max_length_of(AdoptionStageChange, "note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_nhs_number],
        help_text="Why it changed. Needed when it goes back a stage or stops.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, adoption, **kwargs):
        super().__init__(*args, **kwargs)
        self.adoption = adoption
        self.fields["version"].initial = adoption.version
        self.fields["stage"].initial = adoption.stage
        self.helper = _helper("Save stage")

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError("The date of the change must be today or in the past")
        if on < self.adoption.stage_on:
            raise forms.ValidationError(
                "The date of the change must be on or after the date of the current stage, "
                f"{self.adoption.stage_on:%-d %B %Y}"
            )
        return on

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        if stage == self.adoption.stage:
            self.add_error(
                "stage",
                f"It is already at the stage {self.adoption.get_stage_display().lower()}: "
                "choose another",
            )
        elif (
            stage
            and (is_backwards(self.adoption.stage, stage) or stage == AdoptionStage.STOPPED)
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", "Say why it went back a stage or stopped")
        return cleaned

    @property
    def expected_version(self):
        return self.cleaned_data.get("version") or 0


class SpreadFilterForm(FilterForm):
    region = region_filter()
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *AdoptionStage.choices]
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label="All themes",
    )
    spread = forms.ChoiceField(
        label="What is spread",
        required=False,
        choices=[
            ("", "Initiatives and learning"),
            ("initiative", "Initiatives"),
            ("learning", "Learning"),
        ],
    )

    def narrow(self, adoptions, data):
        if data["spread"] == "initiative":
            adoptions = adoptions.filter(initiative__isnull=False)
        elif data["spread"] == "learning":
            adoptions = adoptions.filter(learning_item__isnull=False)
        if data["theme"]:
            adoptions = adoptions.filter(
                Q(initiative__themes=data["theme"]) | Q(learning_item__themes=data["theme"])
            ).distinct()
        return super().narrow(adoptions, {"region": data["region"], "stage": data["stage"]})
