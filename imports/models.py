"""An import: the file someone uploaded, what checking it found, and once confirmed, what it
made. It is its own piece of work (portal/work.py): confirming it queues it with the change,
and its task saves it all or nothing."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.scope import user_scope
from portal.nhs_number import no_nhs_number
from portal.work import Work

UNDO_WITHIN = datetime.timedelta(hours=24)


class ImportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Each person's own imports; every import for the national team."""
        if user_scope(user).is_national:
            return self.all()
        return self.filter(created_by=user.pk)


class Import(Work):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Waiting to be checked"
        CHECKING = "checking", "Being checked"
        CHECKED = "checked", "Checked, waiting for you to confirm"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being imported"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"
        UNDONE = "undone", "Undone"

    kind = models.CharField(max_length=30, validators=[no_nhs_number])
    file = models.FileField(upload_to="imports/%Y/%m/")
    # As the person's computer named it: the upload form refuses a name with an NHS number.
    filename = models.CharField(max_length=255, validators=[no_nhs_number])
    # The columns of the file, by the portal field each was taken as ("" for none).
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # What the check found, row by row (a sample of the good rows, every error up to a limit),
    # in words written by the portal: no cell is kept that held an NHS number.
    preview = models.JSONField(default=dict, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True, validators=[no_nhs_number])  # written by the portal
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.filename} ({self.created_at:%-d %B %Y})"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def kind_title(self):
        from imports.kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.title if kind else self.kind

    @property
    def change_reason(self):
        return f"Imported from {self.filename[:60]}, import {self.pk}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.UNDONE)

    @property
    def undo_until(self):
        return (self.finished_at or self.created_at) + UNDO_WITHIN

    def may_be_undone(self, now=None):
        return self.status == self.Status.DONE and (now or timezone.now()) < self.undo_until


class ImportedRecord(models.Model):
    """A record an import created or updated, and its version just after, so undoing can
    tell whether anyone has changed it since."""

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    created = models.BooleanField()
    version = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return (
            f"{'Created' if self.created else 'Updated'} {self.content_type.model} {self.object_id}"
        )


class ColumnMapping(models.Model):
    """The last mapping of a person's own columns to a kind's fields, offered next time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, validators=[no_nhs_number])
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="imports_one_mapping_per_kind")
        ]

    def __str__(self):
        return f"{self.kind} columns of user {self.user_id}"
