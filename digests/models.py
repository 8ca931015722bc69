"""Regional digests: what each person wants, each planned round, and each person's email.

The tables were created when digests lived in the learning app and keep their names, so no
data moved when the models did.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from learning.models import LearningItem


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly, on Monday morning"
    DAILY = "daily", "Daily, every morning"
    NEVER = "never", "Never: do not send me digests"


class DigestKind(models.TextChoices):
    """What a round of emails holds: new learning from a person's regions, or what happened
    to the learning they wrote (learning/news.py), sent weekly to its authors."""

    LEARNING = "learning", "New learning from your regions"
    AUTHORS = "authors", "What happened to your learning"


def default_digest_kinds():
    """Every type of learning: a person narrows the list on their preferences page. Saved
    preferences keep the types they hold."""
    return list(LearningItem.Kind.values)


class DigestPreference(models.Model):
    """What one person wants in their digest. Created with the defaults the first time it is
    needed; until then the person gets the defaults (weekly, every type, their regions).

    The regions follow the person's roles, as they are on the day each digest is sent, until
    the person chooses other regions on their preferences page (`regions_chosen_at`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="+",
        help_text="The regions the person chose; used only once they have chosen "
        "(regions chosen at).",
    )
    regions_chosen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person chose their own regions. Empty means the digest follows "
        "the regions of their roles, whatever those become.",
    )
    kinds = models.JSONField("types of learning", default=default_digest_kinds)
    frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    author_summary = models.BooleanField(
        "weekly summary of what happened to my learning",
        default=True,
        help_text="A weekly email, only in a week when something happened to their learning.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "learning_digestpreference"

    def __str__(self):
        return f"Digest preference of {self.user}"


class DigestRun(models.Model):
    """One planned round of digests: every recipient of one kind and frequency for one
    period."""

    kind = models.CharField(max_length=10, choices=DigestKind.choices, default=DigestKind.LEARNING)
    frequency = models.CharField(max_length=10, choices=DigestFrequency.choices)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    planned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "learning_digestrun"
        ordering = ["-period_end", "frequency"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "frequency", "period_end"], name="digest_run_once_a_period"
            )
        ]

    def __str__(self):
        end = timezone.localtime(self.period_end)
        if self.kind == DigestKind.AUTHORS:
            return f"Weekly summary for authors to {end:%Y-%m-%d %H:%M}"
        return f"{self.frequency.capitalize()} digest to {end:%Y-%m-%d %H:%M}"


class DigestDeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=DigestDelivery.Status.PENDING)


class DigestDelivery(models.Model):
    """One person's digest for one period. A sender claims it (pending to sending) with a
    conditional UPDATE before sending, so two workers never both send it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(DigestRun, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    kind = models.CharField(max_length=10, choices=DigestKind.choices, default=DigestKind.LEARNING)
    frequency = models.CharField(max_length=10, choices=DigestFrequency.choices)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    detail = models.CharField(max_length=300, blank=True, help_text="Why skipped or failed.")

    objects = DigestDeliveryQuerySet.as_manager()

    class Meta:
        db_table = "learning_digestdelivery"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "frequency", "period_end"],
                name="digest_delivery_once_a_period",
            )
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"], name="learning_di_status_ab74e6_idx")
        ]

    def __str__(self):
        return f"{self.run} for {self.user}"
