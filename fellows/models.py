from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.scope import user_scope
from portal.concurrency import Versioned
from portal.fields import LimitedTextField
from portal.history import UNTRACKED, HistoryQuerySet
from portal.nhs_number import no_nhs_number

# The IHI scale for quality-improvement projects: 0.5 (intent to participate) to 5.0
# (outstanding sustainable results), in half points.
IHI_SCORES = [
    (Decimal("0.5"), "0.5 Intent to participate"),
    (Decimal("1.0"), "1.0 Charter and team established"),
    (Decimal("1.5"), "1.5 Planning for the project has begun"),
    (Decimal("2.0"), "2.0 Activity, but no changes"),
    (Decimal("2.5"), "2.5 Changes tested, but no improvement"),
    (Decimal("3.0"), "3.0 Modest improvement"),
    (Decimal("3.5"), "3.5 Improvement"),
    (Decimal("4.0"), "4.0 Significant improvement"),
    (Decimal("4.5"), "4.5 Sustainable improvement"),
    (Decimal("5.0"), "5.0 Outstanding sustainable results"),
]


class InitiativeQuerySet(HistoryQuerySet):
    def for_user(self, user):
        """Initiatives in the person's programme regions (all for the national team), and a
        chair's PSC's; none for someone who reads published learning only."""
        scope = user_scope(user)
        if scope.reads_published_only:
            return self.none()
        if scope.is_national:
            # Not folded into the filter below: an empty Q() ORed with another is dropped,
            # which would leave the national team only the PSC condition.
            return self.all()
        return self.filter(scope.region_q("region") | models.Q(host_psc__in=scope.psc_ids))


class Initiative(Versioned):
    """Work a safety fellow leads or supports: improvement projects, spread of good practice."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    title = models.CharField(max_length=250, validators=[no_nhs_number])
    summary = LimitedTextField(max_length=5_000, validators=[no_nhs_number])
    aims = LimitedTextField(max_length=5_000, blank=True, validators=[no_nhs_number])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    starts_on = models.DateField("start date", null=True, blank=True)
    ends_on = models.DateField("end date", null=True, blank=True)
    host_psc = models.ForeignKey(
        "regions.PatientSafetyCollaborative",
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name="host PSC",
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="initiatives"
    )
    partners = models.ManyToManyField(
        "regions.Organisation",
        blank=True,
        related_name="initiatives",
        verbose_name="partner organisations",
    )
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, related_name="initiatives")
    syllabus = models.ManyToManyField(
        "taxonomy.SyllabusTag",
        blank=True,
        related_name="+",
        verbose_name="Patient Safety Syllabus",
    )
    fellows = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="initiatives", verbose_name="safety fellows"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Kept up to date by a database trigger on PostgreSQL (see the search migration); unused on
    # SQLite, where search falls back to plain matching.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[partners, themes, syllabus, fellows],
        excluded_fields=UNTRACKED,
    )
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            # The lists' order, latest changed first, read from the index a page at a time: a
            # region's or a PSC's initiatives sorted whole, with each row's latest score and
            # next milestone worked out first, grew with them (ADR 26).
            models.Index(models.F("updated_at").desc(), "id", name="fellows_initiative_newest"),
            models.Index(
                "host_psc",
                models.F("updated_at").desc(),
                "id",
                name="fellows_initiative_psc_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="fellows_initiative_ends_after_start",
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("fellows:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})


class Milestone(Versioned):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=250, validators=[no_nhs_number])
    due_on = models.DateField("due date")
    completed_on = models.DateField("completed date", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.completed_on is None and self.due_on < today


class ProgressUpdate(models.Model):
    """A dated note of progress with the IHI score at that date: the scores over time are the
    initiative's progress curve."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="progress_updates"
    )
    written_on = models.DateField("date", default=timezone.localdate)
    text = LimitedTextField("update", max_length=5_000, validators=[no_nhs_number])
    ihi_score = models.DecimalField(
        "IHI progress score", max_digits=2, decimal_places=1, choices=IHI_SCORES
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-written_on", "-created_at"]
        indexes = [
            # Each initiative's latest score, for the dashboards' quarter under way.
            models.Index(
                "initiative",
                models.F("written_on").desc(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                include=["ihi_score"],
                name="fellows_progress_latest",
            )
        ]

    def __str__(self):
        return f"{self.initiative}: {self.ihi_score} on {self.written_on}"
