"""Comments on learning items, and how each person wants to hear of them.

A comment belongs to one learning item; a reply belongs to a comment that is not itself a
reply (one level of threading). Its writer may edit it for EDIT_WINDOW after writing it; the
region's lead or the national team may hide it with a reason. Nothing is deleted: hiding keeps
the comment and its history, and only its text is kept off the page.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from learning.models import LearningItem
from portal.fields import LimitedTextField
from portal.history import HistoryQuerySet
from portal.nhs_number import no_nhs_number
from portal.pagination import PAGE_SIZE

EDIT_WINDOW = datetime.timedelta(minutes=15)


class CommentQuerySet(HistoryQuerySet):
    def for_user(self, user):
        """The comments on the learning items the person may see."""
        return self.filter(item__in=LearningItem.objects.for_user(user).values("pk"))

    def threads(self):
        """Comments that start a thread, not replies."""
        return self.filter(parent__isnull=True)


class Comment(models.Model):
    item = models.ForeignKey(LearningItem, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="reply to",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = LimitedTextField(
        "comment",
        max_length=5_000,
        validators=[no_nhs_number],
        help_text="Plain text or Markdown: lists, links and emphasis.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField("edited", null=True, blank=True)
    hidden_at = models.DateTimeField("hidden", null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="hidden by",
    )
    hidden_reason = LimitedTextField(
        "reason for hiding", max_length=1_000, blank=True, validators=[no_nhs_number]
    )

    history = HistoricalRecords()
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["item", "parent", "created_at"])]

    def __str__(self):
        return f"Comment by {self.author} on {self.item}"

    def get_absolute_url(self):
        """A link that stays good (emails, digests): it sends on to location()."""
        return reverse("discussion:comment", args=[self.pk])

    def location(self):
        """The item's page of threads that shows the comment now (PAGE_SIZE threads a page,
        the oldest first), at the comment."""
        thread = self.parent if self.parent_id else self
        before = Comment.objects.filter(item_id=self.item_id, parent__isnull=True).filter(
            models.Q(created_at__lt=thread.created_at)
            | models.Q(created_at=thread.created_at, pk__lt=thread.pk)
        )
        page = before.count() // PAGE_SIZE + 1
        query = f"?comments={page}" if page > 1 else ""
        return f"{self.item.get_absolute_url()}{query}#comment-{self.pk}"

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @property
    def edit_deadline(self):
        return self.created_at + EDIT_WINDOW

    def is_editable_at(self, now):
        return not self.is_hidden and now < self.edit_deadline


class CommentDelivery(models.TextChoices):
    IMMEDIATE = "immediate", "By email, as each comment is written"
    DIGEST = "digest", "In my digest, with the new learning"


class DiscussionPreference(models.Model):
    """How a person hears of comments on learning they wrote or commented on. Until they
    choose, by email at once. A mention always tells them at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_preference"
    )
    comments = models.CharField(
        "new comments",
        max_length=10,
        choices=CommentDelivery.choices,
        default=CommentDelivery.IMMEDIATE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Discussion preference of {self.user}"


class CommentNotice(models.Model):
    """A comment someone is to hear of in their next digest, recorded with the comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_notices"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["recipient", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["comment", "recipient"], name="one_notice_a_comment")
        ]

    def __str__(self):
        return f"{self.comment} for {self.recipient}"
