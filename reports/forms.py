from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from accounts.scope import user_scope
from portal.forms import PortalForm
from portal.quarters import Quarter
from regions.models import PatientSafetyCollaborative, Region
from reports.models import Report

QUARTERS_OFFERED = 12  # three years back, the quarter under way included


def scopes_for(user):
    """[(value, label, region, psc)] of the reports the person may ask for."""
    scope = user_scope(user)
    regions = Region.objects.in_programme_scheme().order_by("display_order")
    pscs = PatientSafetyCollaborative.objects.select_related("primary_region", "host").order_by(
        "host__name"
    )
    choices = []
    if scope.is_national:
        choices.append(("england", "England: every region", None, None))
    else:
        regions = regions.filter(pk__in=scope.led_region_ids)
        pscs = pscs.filter(pk__in=scope.chaired_psc_ids) | pscs.filter(
            primary_region__in=scope.led_region_ids
        )
    choices += [(f"region-{r.pk}", f"{r}: the region", r, None) for r in regions]
    choices += [(f"psc-{p.pk}", f"{p}: the PSC", p.primary_region, p) for p in pscs.distinct()]
    return choices


class ReportRequestForm(PortalForm):
    scope = forms.ChoiceField(
        label="What the report covers",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the report covers"},
    )
    quarter = forms.ChoiceField(
        label="NHS financial quarter",
        help_text="For example, 2025/26 Q3 is October to December 2025.",
        error_messages={"required": "Choose a quarter", "invalid_choice": "Choose a quarter"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=Report.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a format"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offered_scopes = scopes_for(user)
        self.scopes = {value: (region, psc) for value, _label, region, psc in offered_scopes}
        self.fields["scope"].choices = [(v, label) for v, label, _r, _p in offered_scopes]
        if len(self.scopes) == 1:
            self.fields["scope"].initial = next(iter(self.scopes))
        current = Quarter.current()
        offered = [current, *current.last(QUARTERS_OFFERED)[:-1][::-1]]
        self.fields["quarter"].choices = [
            (q.label, f"{q} ({q.starts_on:%B} to {q.ends_on:%B %Y})") for q in offered
        ]
        self.fields["quarter"].initial = current.previous().label
        self.helper = FormHelper()
        self.helper.add_input(Submit("make", "Make the report"))

    def clean_quarter(self):
        return Quarter.parse(self.cleaned_data["quarter"])

    @property
    def region_and_psc(self):
        return self.scopes[self.cleaned_data["scope"]]
