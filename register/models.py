"""The register: what investigations and fellows recommend, who answers and when, and who
adopted what where.

Modelled for counting by region, addressed organisation and NHS financial quarter: each
recommendation carries its region, the organisation it is addressed to, the date it was made,
its due date, the date it was first answered and how many days that took; each adoption its
region, organisation and the date of its latest stage.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.scope import user_scope
from fellows.models import Initiative
from learning.models import LearningItem
from portal.concurrency import Versioned
from portal.fields import LimitedTextField
from portal.history import UNTRACKED, HistoryQuerySet
from portal.nhs_number import no_nhs_number


class RecommendationKind(models.TextChoices):
    SAFETY_RECOMMENDATION = "safety_recommendation", "HSSIB safety recommendation"
    SAFETY_OBSERVATION = "safety_observation", "HSSIB safety observation"
    PFD_CONCERN = "pfd_concern", "Prevention of Future Deaths concern"
    FINDING = "finding", "PSIRF or Learning from Deaths finding"
    FELLOW = "fellow", "Safety fellow's recommendation"


# The kinds of recommendation each source of investigation makes, the usual one first (keyed
# by learning.Investigation.Source). A new recommendation from an investigation starts as the
# first, and so takes that kind's deadline; another kind is saved only once the person confirms
# it (docs/adr/0033). A source not named here (other) makes any kind without asking.
KINDS_BY_SOURCE = {
    "hssib": (RecommendationKind.SAFETY_RECOMMENDATION, RecommendationKind.SAFETY_OBSERVATION),
    "psirf": (RecommendationKind.FINDING,),
    "lfd": (RecommendationKind.FINDING,),
    "pfd": (RecommendationKind.PFD_CONCERN,),
}


def kinds_from_source(source):
    """The kinds of recommendation an investigation of `source` makes, the usual one first."""
    return KINDS_BY_SOURCE.get(source, ())


class ResponseDeadline(models.Model):
    """How long the addressee of one kind of recommendation has to respond, by default.

    Data, not code: a coroner's Prevention of Future Deaths report asks for a response within
    56 days; HSSIB's deadline is often quoted as 90 days but is not confirmed, so the
    national team can correct it in the admin without a release.
    """

    kind = models.CharField(max_length=30, choices=RecommendationKind.choices, unique=True)
    days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days} days"


def default_due_on(kind, issued_on):
    """The usual due date of a response, or None where the kind expects none by default."""
    if issued_on is None:
        return None
    deadline = ResponseDeadline.objects.filter(kind=kind).first()
    return issued_on + datetime.timedelta(days=deadline.days) if deadline else None


class ResponseStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting response"
    ACCEPTED = "accepted", "Response received: accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Response received: partially accepted"
    NOT_ACCEPTED = "not_accepted", "Response received: not accepted"
    IN_PROGRESS = "in_progress", "Action in progress"
    IMPLEMENTED = "implemented", "Implemented"
    CLOSED = "closed", "Closed without action"


class RecommendationQuerySet(HistoryQuerySet):
    def for_user(self, user):
        """Recommendations of the person's programme regions (all for the national team);
        none for someone who reads published learning only."""
        scope = user_scope(user)
        if scope.reads_published_only:
            return self.none()
        return self.filter(scope.region_q("region"))

    def unanswered(self):
        return self.filter(status=ResponseStatus.AWAITING)

    def overdue(self, today=None):
        """Unanswered past their due date: due yesterday is overdue, due today is not."""
        return self.unanswered().filter(due_on__lt=today or timezone.localdate())


class Recommendation(Versioned):
    """A safety recommendation, observation or concern from an investigation, or a fellow's
    own recommendation arising from a gap they found."""

    Kind = RecommendationKind

    reference = models.CharField(
        max_length=60,
        blank=True,
        validators=[no_nhs_number],
        help_text="The recommendation's own reference, for example HSSIB's R/2024/123.",
    )
    kind = models.CharField("type", max_length=30, choices=RecommendationKind.choices)
    # Room for the longest concern of a coroner's Prevention of Future Deaths report (16,545
    # characters among 208 read), with a margin.
    text = LimitedTextField("recommendation", max_length=20_000, validators=[no_nhs_number])
    investigation = models.ForeignKey(
        "learning.Investigation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        help_text="Leave blank for a safety fellow's own recommendation.",
    )
    gap = models.ForeignKey(
        "learning.LearningItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gap_recommendations",
        limit_choices_to={"kind": "gap"},
        help_text="The gap in practice, training or curriculum this answers.",
    )
    addressed_to = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name="addressed to",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations_owned",
        help_text="The person in the portal who follows it up.",
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="recommendations"
    )
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, related_name="recommendations")
    syllabus = models.ManyToManyField(
        "taxonomy.SyllabusTag",
        blank=True,
        related_name="+",
        verbose_name="Patient Safety Syllabus",
    )
    issued_on = models.DateField("date made", help_text="The date of the report or finding.")
    due_on = models.DateField("response due", null=True, blank=True)
    answered_by_learning = models.ManyToManyField(
        "learning.LearningItem",
        blank=True,
        related_name="recommendations_answered",
        verbose_name="learning that answers it",
    )
    answered_by_initiatives = models.ManyToManyField(
        "fellows.Initiative",
        blank=True,
        related_name="recommendations_answered",
        verbose_name="initiatives that answer it",
    )

    # Kept by the response service, so the register counts in the database: the latest
    # response's status, when it was first answered and how many days that took. On no form
    # (and read-only in the admin), but editable to Django so the history shows changes.
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.AWAITING
    )
    answered_on = models.DateField("first answered", null=True, blank=True)
    days_to_respond = models.PositiveIntegerField(null=True, blank=True)
    # The due date the owner was last reminded about: never two reminders for one due date.
    reminded_for_due_on = models.DateField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Kept up to date by a database trigger on PostgreSQL (see the search migration).
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[themes, syllabus, answered_by_learning, answered_by_initiatives],
        excluded_fields=[*UNTRACKED, "reminded_for_due_on"],
    )
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["region", "status", "due_on"]),
            models.Index(fields=["addressed_to", "status"]),
            # The register's order, for the national team and for a region's people, read a
            # page at a time rather than sorting every recommendation in scope (ADR 43).
            models.Index(F("issued_on").desc(), F("id").desc(), name="register_rec_newest"),
            models.Index(
                "region",
                F("issued_on").desc(),
                F("id").desc(),
                name="register_rec_region_newest",
            ),
            # The dashboards' days: what was answered on each, and from today on (ADR 47).
            models.Index(fields=["answered_on"], name="register_rec_answered"),
        ]
        constraints = [
            models.CheckConstraint(
                name="register_recommendation_due_after_issue",
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("issued_on")),
            )
        ]

    def __str__(self):
        return self.reference or f"Recommendation {self.pk}"

    def get_absolute_url(self):
        return reverse("register:recommendation-detail", args=[self.pk])

    @property
    def title(self):
        """A line to name it by in lists and history: its reference and its opening words."""
        opening = self.text if len(self.text) <= 90 else self.text[:87].rsplit(" ", 1)[0] + "..."
        return f"{self.reference}: {opening}" if self.reference else opening

    @property
    def is_answered(self):
        return self.status != ResponseStatus.AWAITING

    def last_response_id(self):
        """The id of the response recorded last, 0 when there is none. Ids grow with each
        response, and one recommendation's are recorded one at a time (the response service
        locks it), so the highest is the latest recorded whatever date it carries."""
        return self.responses.order_by("-pk").values_list("pk", flat=True).first() or 0

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return not self.is_answered and self.due_on is not None and self.due_on < today

    @property
    def overdue(self):
        return self.is_overdue()

    @property
    def answered_on_time(self):
        """True or False once answered (with a due date); None while unanswered."""
        if self.answered_on is None or self.due_on is None:
            return None
        return self.answered_on <= self.due_on

    def clean(self):
        super().clean()
        errors = {}
        if self.due_on and self.issued_on and self.due_on < self.issued_on:
            errors["due_on"] = "The response due date must be on or after the date it was made"
        if self.kind and self.kind != RecommendationKind.FELLOW and not self.investigation_id:
            errors["investigation"] = "Choose the investigation this comes from"
        if errors:
            raise ValidationError(errors)


class RecommendationResponse(models.Model):
    """One dated entry in a recommendation's response: each status change is one, so how
    long anything took can be answered from them."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(max_length=20, choices=ResponseStatus.choices)
    responded_on = models.DateField("date")
    # A response answers a recommendation point by point: as long as the longest one.
    text = LimitedTextField("response", max_length=20_000, blank=True, validators=[no_nhs_number])
    url = models.URLField(
        "link to the published response", max_length=500, blank=True, validators=[no_nhs_number]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["responded_on", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} on {self.responded_on:%-d %B %Y}"


class AdoptionStage(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    PILOTING = "piloting", "Piloting"
    ADOPTED = "adopted", "Adopted"
    EMBEDDED = "embedded", "Embedded"
    STOPPED = "stopped", "Stopped"


# The order of the stages forward; stopping can happen from any of them.
STAGE_ORDER = [
    AdoptionStage.CONSIDERING,
    AdoptionStage.PILOTING,
    AdoptionStage.ADOPTED,
    AdoptionStage.EMBEDDED,
]


def is_backwards(from_stage, to_stage):
    if from_stage not in STAGE_ORDER or to_stage not in STAGE_ORDER:
        return from_stage == AdoptionStage.STOPPED and to_stage != AdoptionStage.STOPPED
    return STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(from_stage)


def origin_region(path=""):
    """The region what an adoption took up came from, its initiative's or its learning item's,
    as an expression from the model at `path` ("adoption__" from a stage change). Spread is
    credited there, whichever of the two spread (docs/adr/0033)."""
    return Coalesce(f"{path}initiative__region", f"{path}learning_item__region")


class AdoptionQuerySet(HistoryQuerySet):
    def for_user(self, user):
        """Spread crosses regions, so an adoption is seen from both ends: by the people of
        the adopter's region and by those of the region whose initiative or learning it
        took up (and by the national team)."""
        scope = user_scope(user)
        if scope.reads_published_only:
            return self.none()
        if scope.is_national:
            return self.all()
        # Two columns of the row itself, each with an index in the list's order, so neither
        # side of the OR joins (and reads) every learning item or initiative (docs/adr/0043).
        regions = scope.region_ids
        return self.filter(Q(region__in=regions) | Q(origin_region__in=regions))

    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, with each new row's origin region filled in from what it spreads: a
        bulk insert skips save(), which keeps it otherwise."""
        objs = list(objs)
        missing = [adoption for adoption in objs if adoption.origin_region_id is None]
        if missing:
            initiatives = dict(
                Initiative.objects.filter(
                    pk__in={adoption.initiative_id for adoption in missing}
                ).values_list("pk", "region_id")
            )
            learning = dict(
                LearningItem.objects.filter(
                    pk__in={adoption.learning_item_id for adoption in missing}
                ).values_list("pk", "region_id")
            )
            for adoption in missing:
                adoption.origin_region_id = initiatives.get(adoption.initiative_id) or learning.get(
                    adoption.learning_item_id
                )
        return super().bulk_create(objs, *args, **kwargs)


class Adoption(Versioned):
    """Who took up what, where: an organisation adopting an initiative or a published
    learning item, at a stage. Its stage changes are kept as AdoptionStageChange rows."""

    Stage = AdoptionStage

    initiative = models.ForeignKey(
        "fellows.Initiative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    learning_item = models.ForeignKey(
        "learning.LearningItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
        verbose_name="learning item",
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="adoptions",
        verbose_name="adopting organisation",
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="adoptions",
        help_text="The programme region of the adopting organisation.",
    )
    # The region of the initiative or learning item adopted, where spread is credited (ADR
    # 33): kept on the row so that a region's people find what spread from them through an
    # index (ADR 43). save() and bulk_create() fill it in; a database trigger follows a change
    # of the initiative's or the item's region.
    origin_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        # The index in the list's order below leads with it, and serves on its own too.
        db_index=False,
    )
    stage = models.CharField(max_length=20, choices=AdoptionStage.choices)
    stage_on = models.DateField("date of the stage", default=timezone.localdate)
    contact_role = models.CharField(
        "contact's role",
        max_length=150,
        blank=True,
        validators=[no_nhs_number],
        help_text="The role of the person to contact there, such as deputy chief nurse. "
        "Never a patient, and never a name of a patient.",
    )
    notes = LimitedTextField(max_length=5_000, blank=True, validators=[no_nhs_number])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=[*UNTRACKED, "origin_region"])
    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-stage_on", "-pk"]
        indexes = [
            models.Index(fields=["region", "stage"]),
            # The spread list's order, for the national team and for each side of a region's
            # scope (adopted there, or spread from there), read a page at a time (ADR 43).
            models.Index(F("stage_on").desc(), F("id").desc(), name="register_adoption_newest"),
            models.Index(
                "region",
                F("stage_on").desc(),
                F("id").desc(),
                name="register_adoption_region_new",
            ),
            models.Index(
                "origin_region",
                F("stage_on").desc(),
                F("id").desc(),
                name="register_adoption_origin_new",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="register_adoption_spreads_one_thing",
                condition=Q(initiative__isnull=False, learning_item__isnull=True)
                | Q(initiative__isnull=True, learning_item__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.spread}"

    def get_absolute_url(self):
        return reverse("register:adoption-detail", args=[self.pk])

    @property
    def spread(self):
        """The initiative or learning item being spread."""
        return self.initiative or self.learning_item

    def save(self, *args, **kwargs):
        # What it spreads is set on it (by a form, the admin, a service) whenever it is new
        # or changed, so a loaded one is the one to follow; otherwise the stored region holds.
        loaded = [
            field
            for field in ("initiative", "learning_item")
            if self._meta.get_field(field).is_cached(self) and getattr(self, f"{field}_id")
        ]
        if loaded:
            self.origin_region_id = getattr(self, loaded[0]).region_id
        elif self.origin_region_id is None and (self.initiative_id or self.learning_item_id):
            self.origin_region_id = self.spread.region_id
        super().save(*args, **kwargs)

    @property
    def stage_is_stale(self):
        """No change of stage for 90 days while it is still under way."""
        return (
            self.stage not in (AdoptionStage.EMBEDDED, AdoptionStage.STOPPED)
            and (timezone.localdate() - self.stage_on).days > 90
        )

    def clean(self):
        super().clean()
        if bool(self.initiative_id) == bool(self.learning_item_id):
            raise ValidationError(
                {"initiative": "Choose either an initiative or a learning item that is spread"}
            )
        if self.learning_item_id and self.learning_item.status != "published":
            raise ValidationError(
                {"learning_item": "Only published learning can be adopted elsewhere"}
            )


class AdoptionStageChange(models.Model):
    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=AdoptionStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=AdoptionStage.choices)
    on = models.DateField()
    note = LimitedTextField(max_length=5_000, blank=True, validators=[no_nhs_number])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "at", "pk"]
        # The dashboards' days: the adoptions begun on each, and from today on (ADR 47).
        indexes = [
            models.Index(
                fields=["on"], condition=models.Q(from_stage=""), name="register_change_begun"
            )
        ]

    def __str__(self):
        return f"{self.adoption}: {self.from_stage or 'new'} → {self.to_stage} on {self.on}"
