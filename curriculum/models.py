"""What fellows change in what is taught, the training they deliver, and the support given to
staff affected by incidents. Modelled for counting: each record has its region, its
organisation, a date (the quarter it falls in) and, for training and support, how many
people it reached."""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.scope import user_scope
from portal.concurrency import Versioned
from portal.fields import LimitedTextField
from portal.history import UNTRACKED, HistoryQuerySet
from portal.nhs_number import no_nhs_number
from regions.models import Organisation

# More people than any one session could reach: a number above it is a typing mistake.
MOST_PEOPLE_A_SESSION = 100_000
ACADEMIC_YEAR = re.compile(r"^(\d{4})/(\d{2})$")

# Who teaches: a university, or an NHS trust's education team.
TEACHING_KINDS = [Organisation.Kind.HIGHER_EDUCATION, Organisation.Kind.NHS_TRUST]


def validate_academic_year(value):
    match = ACADEMIC_YEAR.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(
            "Enter the academic year as the year it starts and the next, like 2025/26"
        )


class WorkingRecordQuerySet(HistoryQuerySet):
    def for_user(self, user):
        """Records of the person's programme regions (all for the national team); none for
        someone who reads published learning only."""
        scope = user_scope(user)
        if scope.reads_published_only:
            return self.none()
        return self.filter(scope.region_q("region"))


class CurriculumEntry(Versioned):
    """A change to what is taught, at a university or a trust's education team."""

    class Stage(models.TextChoices):
        UNDERGRADUATE = "undergraduate", "Undergraduate"
        POSTGRADUATE = "postgraduate", "Postgraduate"
        CPD = "cpd", "Continuing professional development (CPD)"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        IN_CURRICULUM = "in_curriculum", "In the curriculum"
        EVALUATED = "evaluated", "Evaluated"

    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="curriculum_entries",
        verbose_name="university or trust education team",
    )
    programme = models.CharField("programme or module", max_length=200, validators=[no_nhs_number])
    profession = models.ForeignKey(
        "taxonomy.Profession", on_delete=models.PROTECT, related_name="curriculum_entries"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    change = LimitedTextField("what changes", max_length=5_000, validators=[no_nhs_number])
    syllabus = models.ManyToManyField(
        "taxonomy.SyllabusTag", blank=True, related_name="+", verbose_name="Patient Safety Syllabus"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    status_on = models.DateField("date of the status", default=timezone.localdate)
    academic_year = models.CharField(
        "academic year it starts", max_length=7, validators=[validate_academic_year]
    )
    recommendations = models.ManyToManyField(
        "register.Recommendation",
        blank=True,
        related_name="curriculum_entries",
        verbose_name="recommendations it carries",
    )
    learning_items = models.ManyToManyField(
        "learning.LearningItem",
        blank=True,
        related_name="curriculum_entries",
        verbose_name="learning it carries",
    )
    fellow = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curriculum_entries",
        verbose_name="safety fellow",
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="curriculum_entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[syllabus, recommendations, learning_items], excluded_fields=UNTRACKED
    )
    objects = WorkingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-status_on", "-pk"]
        verbose_name_plural = "curriculum entries"
        indexes = [
            models.Index(fields=["region", "status"]),
            # The list's order, for the national team and for a region's people, read a page
            # at a time (ADR 43).
            models.Index(
                models.F("status_on").desc(), models.F("id").desc(), name="curriculum_entry_newest"
            ),
            models.Index(
                "region",
                models.F("status_on").desc(),
                models.F("id").desc(),
                name="curriculum_entry_region_newest",
            ),
            # The syllabus coverage of what was made from today on (docs/adr/0047).
            models.Index(fields=["created_at"], name="curriculum_entry_made"),
        ]

    def __str__(self):
        return f"{self.programme}, {self.organisation}"

    def get_absolute_url(self):
        return reverse("curriculum:entry-detail", args=[self.pk])

    @property
    def title(self):
        return str(self)

    def clean(self):
        super().clean()
        if self.organisation_id and self.organisation.kind not in TEACHING_KINDS:
            raise ValidationError(
                {
                    "organisation": "Choose a university (higher education institution) or "
                    "an NHS trust: those are who teach"
                }
            )


class CurriculumStatusChange(models.Model):
    entry = models.ForeignKey(
        CurriculumEntry, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        max_length=20, choices=CurriculumEntry.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=CurriculumEntry.Status.choices)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "at", "pk"]

    def __str__(self):
        return f"{self.entry}: {self.from_status or 'new'} → {self.to_status} on {self.on}"


people_count = [MinValueValidator(1), MaxValueValidator(MOST_PEOPLE_A_SESSION)]


class TrainingSession(Versioned):
    """A session or course delivered, and how many people it trained."""

    class Format(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        ONLINE = "online", "Online, live"
        SIMULATION = "simulation", "Simulation"
        ELEARNING = "elearning", "E-learning"

    held_on = models.DateField("date")
    title = models.CharField(max_length=250, validators=[no_nhs_number])
    format = models.CharField(max_length=20, choices=Format.choices)
    professions = models.ManyToManyField(
        "taxonomy.Profession", related_name="training_sessions", verbose_name="audience"
    )
    people_trained = models.PositiveIntegerField(
        "number of people trained", validators=people_count
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="training_sessions"
    )
    host = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name="host organisation",
    )
    syllabus = models.ManyToManyField(
        "taxonomy.SyllabusTag", blank=True, related_name="+", verbose_name="Patient Safety Syllabus"
    )
    learning_items = models.ManyToManyField(
        "learning.LearningItem",
        blank=True,
        related_name="training_sessions",
        verbose_name="learning it carries",
    )
    recommendations = models.ManyToManyField(
        "register.Recommendation",
        blank=True,
        related_name="training_sessions",
        verbose_name="recommendations it carries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[professions, syllabus, learning_items, recommendations],
        excluded_fields=UNTRACKED,
    )
    objects = WorkingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["region", "held_on"]),
            # The list's order, newest first with the id to break ties, for the national team
            # and a region's people: the index above serves a date range, not this (ADR 43).
            models.Index(
                models.F("held_on").desc(), models.F("id").desc(), name="curriculum_session_newest"
            ),
            models.Index(
                "region",
                models.F("held_on").desc(),
                models.F("id").desc(),
                name="curriculum_session_region_new",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("curriculum:training-detail", args=[self.pk])


class StaffSupport(Versioned):
    """Support for staff affected by incidents: training peer supporters, or support
    sessions. Numbers only: never the names of the staff supported."""

    class Kind(models.TextChoices):
        PEER_SUPPORTER_TRAINING = "peer_training", "Training of peer supporters"
        SUPPORT_SESSION = "session", "Support session"

    class SupportModel(models.TextChoices):
        PEER_SUPPORT = "peer_support", "Peer support"
        TRIM = "trim", "Trauma risk management (TRiM)"
        SCHWARTZ = "schwartz", "Schwartz rounds"
        PSYCHOLOGICAL_FIRST_AID = "first_aid", "Psychological first aid"
        DEBRIEF = "debrief", "Team debrief or huddle"
        OTHER = "other", "Another model"

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    held_on = models.DateField("date")
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="staff_support"
    )
    staff_reached = models.PositiveIntegerField("number of staff reached", validators=people_count)
    support_model = models.CharField(
        "model of support", max_length=20, choices=SupportModel.choices
    )
    notes = LimitedTextField(max_length=5_000, blank=True, validators=[no_nhs_number])
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="staff_support"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=UNTRACKED)
    objects = WorkingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "support for staff affected by incidents"
        verbose_name_plural = "support for staff affected by incidents"
        # The dashboards' days: what was held on each, and from today on (docs/adr/0047).
        indexes = [models.Index(fields=["held_on"], name="curriculum_support_held")]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.organisation}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("curriculum:support-detail", args=[self.pk])

    @property
    def title(self):
        return str(self)
