import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from simple_history.models import HistoricalRecords

from accounts.scope import user_scope
from portal.concurrency import Versioned
from portal.fields import LimitedTextField
from portal.history import UNTRACKED, HistoryQuerySet
from portal.nhs_number import no_nhs_number
from taxonomy.models import PsirfResponse, Theme


class InvestigationQuerySet(HistoryQuerySet):
    def for_user(self, user):
        """Investigations recorded in the person's programme regions (all for the national
        team); none for someone who reads published learning only."""
        scope = user_scope(user)
        if scope.reads_published_only:
            return self.none()
        return self.filter(scope.region_q("region"))


class Investigation(Versioned):
    """A published investigation whose learning a fellow is translating. Never a case record:
    the portal links to the published report."""

    class Source(models.TextChoices):
        HSSIB = "hssib", "HSSIB national investigation report"
        PSIRF = "psirf", "PSIRF learning response"
        LEARNING_FROM_DEATHS = "lfd", "Learning from Deaths review (structured judgement)"
        PREVENTION_OF_FUTURE_DEATHS = "pfd", "Coroner's Prevention of Future Deaths report"
        OTHER = "other", "Other"

    source = models.CharField(max_length=10, choices=Source.choices)
    psirf_response_type = models.CharField(
        "PSIRF response type", max_length=10, choices=PsirfResponse.choices, blank=True
    )
    sjr_overall_score = models.PositiveSmallIntegerField(
        "structured judgement review overall score",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (very poor care) to 5 (excellent care).",
    )
    title = models.CharField(max_length=250, validators=[no_nhs_number])
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="investigations"
    )
    report_url = models.URLField("link to the published report", max_length=500, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True)
    summary = LimitedTextField(max_length=5_000, validators=[no_nhs_number])
    themes = models.ManyToManyField(Theme, blank=True, related_name="investigations")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="investigations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Kept up to date by a database trigger on PostgreSQL (see the search migration); unused on
    # SQLite, where search falls back to plain matching.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(m2m_fields=[themes], excluded_fields=UNTRACKED)
    objects = InvestigationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        # The dashboards' days: what was logged on each, and from today on (docs/adr/0047).
        indexes = [models.Index(fields=["created_at"], name="learning_investigation_made")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:investigation-detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.source == self.Source.PSIRF and not self.psirf_response_type:
            errors["psirf_response_type"] = "Select the type of PSIRF learning response."
        if self.source != self.Source.PSIRF and self.psirf_response_type:
            errors["psirf_response_type"] = "Only a PSIRF learning response has a response type."
        if self.source != self.Source.LEARNING_FROM_DEATHS and self.sjr_overall_score:
            errors["sjr_overall_score"] = "Only a Learning from Deaths review has an SJR score."
        if (
            self.source in {self.Source.HSSIB, self.Source.PREVENTION_OF_FUTURE_DEATHS}
            and not self.report_url
        ):
            errors["report_url"] = "Enter the link to the published report."
        if errors:
            raise ValidationError(errors)


def _authored_ids(user):
    """The ids of the items the person is an author of, from the authors table's user index."""
    return LearningItem.authors.through.objects.filter(user_id=user.pk).values("learningitem_id")


class LearningItemQuerySet(HistoryQuerySet):
    def for_user(self, user):
        """Published learning for every signed-in person; items in progress only for their
        authors and for the reviewers of their region (its regional leads, the national team).

        Each condition is one an index serves (status, the authors table's user, region), and
        "mine" is a subquery on the authors table rather than a join, so the rows need no
        DISTINCT and a COUNT reads no more than it must."""
        if not user.is_authenticated:
            return self.none()
        scope = user_scope(user)
        if scope.is_national:
            return self
        visible = models.Q(status=LearningItem.Status.PUBLISHED) | models.Q(
            pk__in=_authored_ids(user)
        )
        reviewed = scope.reviewed_region_ids
        if reviewed:
            visible |= models.Q(region__in=reviewed)
        return self.filter(visible)

    def published_for(self, user):
        """The published learning a person sees: all of it, for anyone signed in. Read on its
        own, without the conditions of for_user, so the status index alone answers it."""
        if not user.is_authenticated:
            return self.none()
        return self.published()

    def authored_by(self, user):
        """The items the person is an author of: all of them are theirs to see (for_user's
        "mine"), read through the authors table's user index alone rather than beside the other
        conditions of for_user, which would have it scan every item."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=_authored_ids(user))

    def published(self):
        return self.filter(status=LearningItem.Status.PUBLISHED)

    def public(self):
        """What the public pages show: published learning its reviewer made public. Both
        conditions, so an item withdrawn or returned leaves the public pages at once."""
        return self.filter(status=LearningItem.Status.PUBLISHED, is_public=True)

    def awaiting_review(self):
        return self.filter(status=LearningItem.Status.SUBMITTED)


class LearningItem(Versioned):
    class Kind(models.TextChoices):
        BEST_PRACTICE = "best_practice", "Best practice"
        FROM_INVESTIGATION = "investigation", "Learning from an investigation"
        GAP = "gap", "Gap in practice or training"
        CURRICULUM_CHANGE = "curriculum", "Curriculum change"
        STAFF_SUPPORT = "staff_support", "Support for staff affected by incidents"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        PUBLISHED = "published", "Published"
        RETURNED = "returned", "Returned with feedback"
        WITHDRAWN = "withdrawn", "Withdrawn"

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=250, validators=[no_nhs_number])
    # Room for the circumstances of a coroner's report, which 94 of 199 read ran past 1,000
    # characters; the body is the learning itself.
    summary = LimitedTextField(
        max_length=4_000,
        validators=[no_nhs_number],
        help_text="One or two sentences: shown in lists and digests.",
    )
    body = LimitedTextField(
        max_length=20_000,
        blank=True,
        validators=[no_nhs_number],
        help_text="Plain text or Markdown: headings, lists, links and emphasis.",
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="learning_items"
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="learning_items")
    themes = models.ManyToManyField(Theme, blank=True, related_name="learning_items")
    syllabus = models.ManyToManyField(
        "taxonomy.SyllabusTag",
        blank=True,
        related_name="+",
        verbose_name="Patient Safety Syllabus",
    )
    psirf_response_type = models.CharField(
        "PSIRF response type", max_length=10, choices=PsirfResponse.choices, blank=True
    )
    investigations = models.ManyToManyField(
        Investigation, blank=True, related_name="learning_items"
    )
    initiatives = models.ManyToManyField(
        "fellows.Initiative", blank=True, related_name="learning_items"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Published learning is shown to the world only when its reviewer chooses so (the public
    # pages, docs/adr/0036); leaving "published" clears it, so a later publication asks again.
    is_public = models.BooleanField(
        "shown on the public pages",
        default=False,
        db_default=False,  # rows written in SQL (benchmarks, bulk loads) are not public
        help_text="Published learning anyone can read without signing in.",
    )
    public_since = models.DateTimeField(null=True, blank=True)
    # Kept by the publish step, so dashboards count the median in the database.
    days_to_publish = models.PositiveIntegerField(
        "days from submission to publication", null=True, blank=True
    )

    # Kept up to date by a database trigger on PostgreSQL (see the search migration); unused on
    # SQLite, where search falls back to plain matching.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[authors, themes, syllabus, investigations],
        excluded_fields=[*UNTRACKED, "days_to_publish"],
    )
    objects = LearningItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "region"]),
            # What the dashboards count of published learning (a quarter's by region, type
            # and days to publish; eight quarters' trend), read from the index alone.
            models.Index(
                fields=["published_at", "region", "kind", "days_to_publish"],
                condition=models.Q(status="published"),
                name="learning_published_counts",
            ),
            # The learning list's order, newest first, for published items only: the index on
            # published_at alone reads every unpublished item (their NULLs sort first) before
            # the first published one.
            models.Index(
                models.F("published_at").desc(),
                models.F("created_at").desc(),
                condition=models.Q(status="published"),
                name="learning_published_newest",
            ),
            # The public list's order, newest first, and the feed's and sitemap's rows.
            models.Index(
                models.F("published_at").desc(),
                models.F("id").desc(),
                condition=models.Q(status="published", is_public=True),
                name="learning_public_newest",
            ),
            # The review queue's order, the longest waiting first: without it the queue sorts
            # every submitted item (20,000 for the national team at 200,000 items) for a page.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status="submitted"),
                name="learning_awaiting_oldest",
            ),
            # The same for a region's lead: with the index above alone, a region with little
            # waiting would read every other region's submissions to find that it has none.
            models.Index(
                fields=["region", "submitted_at", "id"],
                condition=models.Q(status="submitted"),
                name="learning_awaiting_by_region",
            ),
            # An author's news of their items made public lately: without it the home read
            # every learning item to find the few made public in the news window.
            models.Index(
                fields=["public_since"],
                condition=models.Q(is_public=True),
                name="learning_public_since",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:item-detail", args=[self.pk])

    @staticmethod
    def days_between(submitted_at, published_at):
        """Whole days from submission to publication, on the London calendar."""
        if submitted_at is None or published_at is None:
            return None
        return (timezone.localdate(published_at) - timezone.localdate(submitted_at)).days

    @property
    def is_editable(self):
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    @property
    def return_event(self):
        """The step that returned it, with the feedback its author reads first, while it stays
        returned; None otherwise. Reads the events as prefetched for its page."""
        if self.status != self.Status.RETURNED:
            return None
        returns = [event for event in self.events.all() if event.to_status == self.Status.RETURNED]
        return returns[-1] if returns else None

    @property
    def waiting_label(self):
        """How long it has waited for review, in words: "submitted 3 days ago"."""
        if self.submitted_at is None:
            return "submitted"
        now = timezone.now()
        if now - self.submitted_at < datetime.timedelta(minutes=1):
            return "submitted just now"
        return f"submitted {timesince(self.submitted_at, now)} ago"


class LearningItemEvent(models.Model):
    """One step of a learning item's review: who moved it from which status to which, when,
    and the feedback given when it was returned."""

    item = models.ForeignKey(LearningItem, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=LearningItem.Status.choices)
    to_status = models.CharField(max_length=20, choices=LearningItem.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    feedback = LimitedTextField(max_length=5_000, blank=True, validators=[no_nhs_number])

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.item}: {self.from_status} → {self.to_status}"


class LearningItemSeen(models.Model):
    """When an author last looked at their learning item's page: what happened to the item
    after it is news to them (learning/news.py). Not a change anyone made, so it has no
    history; it is written only when the page showed news."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(LearningItem, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="learning_seen_once_a_person")
        ]

    def __str__(self):
        return f"{self.user} saw {self.item} at {self.seen_at}"
