"""A quarterly report someone asked for: its scope, quarter and format, how far its export
has gone, and the file once it is made. Files are kept for seven days."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.scope import user_scope
from portal.nhs_number import no_nhs_number
from portal.quarters import Quarter
from portal.work import Work

KEPT_FOR = datetime.timedelta(days=7)


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Reports of a scope the person may ask for: the national team every one; a lead
        their regions' and their regions' PSCs'; a chair their PSC's."""
        scope = user_scope(user)
        if scope.is_national:
            return self.all()
        return self.filter(
            Q(region__in=scope.led_region_ids, psc__isnull=True)
            | Q(psc__primary_region__in=scope.led_region_ids)
            | Q(psc__in=scope.chaired_psc_ids)
        )

    def unfinished(self):
        return self.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING])


class Report(Work):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF, for a board"
        XLSX = "xlsx", "Excel workbook (XLSX)"
        CSV = "csv", "CSV files in a ZIP"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    # The scope: a PSC (with its region), a region, or the nation (neither).
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    psc = models.ForeignKey(
        "regions.PatientSafetyCollaborative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField()  # the financial year's first calendar year
    quarter_number = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sections_done = models.PositiveSmallIntegerField(default=0)
    sections_total = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    message = models.TextField(blank=True, validators=[no_nhs_number])  # written by the portal
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.scope_name}, {self.quarter} ({self.get_format_display()})"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def quarter(self):
        return Quarter(self.year, self.quarter_number)

    @property
    def scope_name(self):
        if self.psc_id:
            return f"{self.psc}, {self.psc.primary_region}"
        return str(self.region) if self.region_id else "England"

    @property
    def is_finished(self):
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def expires_at(self):
        return (self.finished_at or self.created_at) + KEPT_FOR

    @property
    def is_downloadable(self):
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and timezone.now() < self.expires_at
        )

    @property
    def filename(self):
        scope = self.psc.slug if self.psc_id else self.region.slug if self.region_id else "england"
        ext = "zip" if self.format == self.Format.CSV else self.format
        year = f"{self.year}-{(self.year + 1) % 100:02d}"
        return f"quarterly-report-{scope}-{year}-q{self.quarter_number}.{ext}"
