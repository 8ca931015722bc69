"""What the national team sets for the SPC charts: a target for a measure, and a rebase (the
date from which a chart's limits are recalculated, with the reason). Each keeps its history:
who changed it and when."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dashboards.measures import CHOICES
from portal.fields import LimitedTextField
from portal.nhs_number import no_nhs_number


class Target(models.Model):
    """A measure's target, the same for every region, PSC and England. A measure without one
    has no assurance icon."""

    measure = models.CharField(max_length=30, choices=CHOICES, unique=True)
    value = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        help_text="In the measure's own unit: a count, days, or a percentage (95 for 95%).",
    )
    reason = LimitedTextField(
        max_length=2_000, blank=True, validators=[no_nhs_number], help_text="Why this target."
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    set_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure"]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.value:g}"


class Rebase(models.Model):
    """From `starts_on`'s month, a chart's limits are worked out again, because the process is
    known to have changed then. For one region's chart, one PSC's, or England's (neither)."""

    measure = models.CharField(max_length=30, choices=CHOICES)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"scheme__is_programme_scheme": True},
        help_text="Leave blank, with no PSC, for England's chart.",
    )
    psc = models.ForeignKey(
        "regions.PatientSafetyCollaborative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="PSC",
    )
    starts_on = models.DateField(
        "limits recalculated from", help_text="The first month of the new limits: any day in it."
    )
    reason = LimitedTextField(
        max_length=2_000,
        validators=[no_nhs_number],
        help_text="What changed then, as the chart will say.",
    )
    baseline_months = models.PositiveSmallIntegerField(
        "fix the limits on the first months",
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text="Set the limits on this many months from the date and hold them after, so "
        "later months are judged against the baseline. Leave blank to use every month. A date "
        "at or before the chart's first month fixes the first limits without recalculating.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(psc__isnull=True),
                name="dashboards_rebase_one_scope",
                violation_error_message="Choose a region or a PSC, not both (neither for England).",
            ),
        ]

    def __str__(self):
        where = self.psc or self.region or "England"
        return f"{self.get_measure_display()}, {where}, from {self.starts_on:%B %Y}"
