"""Reference data: region schemes, regions, organisations and Patient Safety Collaboratives.

Organisations and regions change over time (HEE's four regions gave way to NHS England's
seven; the AHSNs became health innovation networks), so names and boundaries are data with
dates, never hard-coded. The rows are seeded by `manage.py load_reference_data` and then
maintained in the admin.
"""

from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Replace
from django.utils import dateformat, timezone
from simple_history.models import HistoricalRecords

from portal.nhs_number import no_nhs_number


def _long_date(value):
    return dateformat.format(value, "j F Y")


class RegionSchemeQuerySet(models.QuerySet):
    def programme(self):
        """The scheme the programme organises its regions by (at most one, a database rule)."""
        return self.get(is_programme_scheme=True)


class RegionScheme(models.Model):
    """A way of dividing England into regions, valid between two dates."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Blank while still in use.")
    is_programme_scheme = models.BooleanField(
        "programme's scheme",
        default=False,
        help_text="The scheme whose regions the programme is organised by. Only one can be.",
    )

    objects = RegionSchemeQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_programme_scheme"],
                condition=Q(is_programme_scheme=True),
                name="regions_one_programme_scheme",
                violation_error_message="Another scheme is already the programme's scheme.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="regions_scheme_valid_to_after_valid_from",
                violation_error_message="A scheme cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.name


class RegionQuerySet(models.QuerySet):
    def in_programme_scheme(self):
        return self.filter(scheme__is_programme_scheme=True)

    def with_collaboratives(self):
        """Prefetch each region's PSCs (those whose primary region it is) for display."""
        return self.prefetch_related(
            Prefetch(
                "primary_collaboratives",
                queryset=PatientSafetyCollaborative.objects.with_history_and_coverage(),
            )
        )


class Region(models.Model):
    scheme = models.ForeignKey(RegionScheme, on_delete=models.PROTECT, related_name="regions")
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    display_order = models.PositiveSmallIntegerField(default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["scheme_id", "display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "slug"], name="regions_region_slug_unique"),
        ]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def national(self):
        return self.filter(kind__in=Organisation.NATIONAL_KINDS)

    def matching(self, text):
        """Those whose ODS code is `text`, or whose name or a former name contains every
        word of it, in any case and with or without apostrophes ("guys" finds "Guy's")."""
        words = [word.replace("'", "") for word in text.split()]
        words = [word for word in words if word]
        if not words:
            return self.none()
        by_words = Q()
        for word in words:
            by_words &= Q(bare_name__icontains=word) | Q(bare_former_name__icontains=word)
        ids = (
            Organisation.objects.alias(
                bare_name=Replace("name", Value("'"), Value("")),
                bare_former_name=Replace("former_names__name", Value("'"), Value("")),
            )
            .filter(by_words)
            .values("pk")
        )
        return self.filter(Q(ods_code__iexact=text.strip()) | Q(pk__in=ids))

    def with_history(self):
        return self.select_related("successor").prefetch_related("former_names")

    def open_first(self):
        return self.order_by(F("closed_on").desc(nulls_first=True), "name")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        HIGHER_EDUCATION = "higher_education", "Higher education institution"
        INVESTIGATION_BODY = "investigation_body", "National investigation body (HSSIB)"
        HEE_NHS_ENGLAND = "hee_nhs_england", "HEE or NHS England"
        HEALTH_INNOVATION_NETWORK = (
            "health_innovation_network",
            "Health innovation network (PSC host)",
        )
        OTHER = "other", "Other"

    NATIONAL_KINDS = [Kind.INVESTIGATION_BODY, Kind.HEE_NHS_ENGLAND]

    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="A stable key: the reference data file finds the organisation by it.",
    )
    kind = models.CharField(max_length=40, choices=Kind)
    name = models.CharField(
        max_length=200, help_text="The current name. Record earlier names under former names."
    )
    ods_code = models.CharField(
        "ODS code",
        max_length=10,
        blank=True,
        help_text="Organisation Data Service code, where it has one.",
    )
    closed_on = models.DateField(
        null=True, blank=True, help_text="The last day it operated, if it has closed."
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text="The organisation that took over its work when it closed.",
    )
    nhs_england_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="NHS England region",
        help_text="The NHS England region ODS places it in; blank for one outside England.",
    )
    programme_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        limit_choices_to={"scheme__is_programme_scheme": True},
        help_text="The programme region it falls in.",
    )
    # The values the last ODS load gave (name, closed_on and the two regions' ids). A field
    # whose value still equals what ODS last gave has not been edited here, so the next load
    # may change it; one that differs was edited by a person and is left alone.
    ods_values = models.JSONField("values from ODS", default=dict, blank=True, editable=False)

    # Who added or changed it, and when: people add organisations from the portal's forms.
    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="regions_organisation_ods_code_unique",
                violation_error_message="Another organisation already has this ODS code.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.successor_id is not None and self.successor_id == self.pk:
            raise ValidationError({"successor": "An organisation cannot succeed itself."})

    def is_closed(self, on=None):
        return self.closed_on is not None and self.closed_on < (on or timezone.localdate())

    @property
    def label(self):
        """Its name, saying when it has closed: for choosing one from a list."""
        if self.closed_on is None:
            return self.name
        return f"{self.name} (closed {_long_date(self.closed_on)})"

    @property
    def search_label(self):
        """Its name with its ODS code and whether it has closed: what a person types or picks
        in an organisation search box, and what the box shows once one is chosen."""
        notes = [note for note in (self.ods_code, self.closed_note) if note]
        return f"{self.name} ({', '.join(notes)})" if notes else self.name

    @property
    def search_detail(self):
        """What tells apart organisations with like names: code, region, whether closed."""
        notes = [f"ODS code {self.ods_code}" if self.ods_code else self.get_kind_display()]
        if self.nhs_england_region_id:
            notes.append(self.nhs_england_region.name)
        if self.closed_on:
            notes.append(f"Closed {_long_date(self.closed_on)}")
        return ". ".join(notes) + "."

    @property
    def closed_note(self):
        return f"closed {_long_date(self.closed_on)}" if self.closed_on else ""


class OdsRegionMapping(models.Model):
    """Which programme region the trusts of an NHS England region fall in, as data the
    national team edits in the admin. A row with an ICB code overrides its region's row for
    the trusts of that ICB (Thames Valley and Wessex joined HEE's South, though ODS places
    them in the South East)."""

    nhs_england_code = models.CharField(
        "NHS England region code", max_length=10, help_text="As in ODS files, for example Y56."
    )
    icb_code = models.CharField(
        "ICB code",
        max_length=10,
        blank=True,
        help_text="Blank for every trust of the region; a code (QRL, say) for that ICB's only.",
    )
    nhs_england_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name="NHS England region"
    )
    programme_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme__is_programme_scheme": True},
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["nhs_england_code", "icb_code"]
        verbose_name = "ODS region mapping"
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_england_code", "icb_code"],
                name="regions_ods_region_mapping_unique",
                violation_error_message="This region and ICB code already have a mapping.",
            ),
        ]

    def __str__(self):
        where = f"{self.nhs_england_code} {self.icb_code}".strip()
        return f"{where} to {self.programme_region}"


class OdsRefresh(models.Model):
    """A newer ODS file of NHS trusts uploaded by the national team: previewed, then applied
    once. The parsed rows are kept, so the preview and the apply read the same file."""

    file_name = models.CharField(max_length=200, validators=[no_nhs_number])
    trusts = models.JSONField(help_text="The file's rows, as read.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(default=dict, blank=True, help_text="What the apply changed.")

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "ODS refresh"

    def __str__(self):
        return f"{self.file_name}, {self.uploaded_at:%Y-%m-%d %H:%M}"

    OUTCOME_WORDS = {
        "added": "Added",
        "renamed": "Renamed",
        "closed": "Closed",
        "reopened": "Open again",
        "moved": "Regions changed",
        "kept": "Kept as edited in the portal",
        "unchanged": "Unchanged",
    }

    @property
    def outcome_rows(self):
        """(words, count) in a fixed order: the database keeps no order of JSON keys."""
        return [(words, self.outcome.get(key, 0)) for key, words in self.OUTCOME_WORDS.items()]


class OrganisationName(models.Model):
    """A name the organisation used to have, so pages can say "formerly ..."."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(max_length=200)
    used_from = models.DateField(null=True, blank=True, help_text="Blank if not known.")
    used_until = models.DateField(help_text="The last day the name was used.")

    class Meta:
        ordering = ["-used_until", "name"]
        verbose_name = "former name"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="regions_organisation_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(used_from__isnull=True) | Q(used_from__lte=F("used_until")),
                name="regions_organisation_name_dates_in_order",
                violation_error_message="A name cannot stop being used before it started.",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.period}"

    @property
    def period(self):
        if self.used_from:
            return f"{_long_date(self.used_from)} to {_long_date(self.used_until)}"
        return f"until {_long_date(self.used_until)}"


class PatientSafetyCollaborativeQuerySet(models.QuerySet):
    def with_history_and_coverage(self):
        return self.select_related("host", "primary_region").prefetch_related(
            "host__former_names",
            Prefetch("regions", queryset=Region.objects.select_related("scheme")),
        )


class PatientSafetyCollaborative(models.Model):
    """One of the PSCs, each hosted by a health innovation network.

    There is no name field: a PSC is known by its host network's name, so when the networks
    were renamed in October 2023 one edit (with the old name kept as a former name) renamed
    both, and the two can never disagree.
    """

    slug = models.SlugField(max_length=50, unique=True)
    host = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="collaborative",
        limit_choices_to={"kind": Organisation.Kind.HEALTH_INNOVATION_NETWORK},
    )
    primary_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="primary_collaboratives",
        limit_choices_to={"scheme__is_programme_scheme": True},
        help_text="The programme region whose safety fellow this PSC hosts.",
    )
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="covering_collaboratives",
        verbose_name="coverage",
        help_text="Every region the PSC's footprint covers, in any scheme.",
    )

    objects = PatientSafetyCollaborativeQuerySet.as_manager()

    class Meta:
        ordering = ["host__name"]
        verbose_name = "Patient Safety Collaborative"

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.host.name

    def clean(self):
        super().clean()
        errors = {}
        if self.host_id and self.host.kind != Organisation.Kind.HEALTH_INNOVATION_NETWORK:
            errors["host"] = "A PSC's host must be a health innovation network."
        if self.primary_region_id and not self.primary_region.scheme.is_programme_scheme:
            errors["primary_region"] = "The primary region must be in the programme's scheme."
        if errors:
            raise ValidationError(errors)

    def coverage_by_scheme(self):
        """[(scheme, [regions])] for the regions covered, one entry a scheme.

        Reads `regions` through `.all()` so that the prefetch in with_history_and_coverage()
        is used and a list page stays at a fixed number of queries.
        """
        regions = sorted(
            self.regions.all(),
            key=lambda r: (r.scheme.valid_from, r.scheme_id, r.display_order, r.name),
        )
        return [(scheme, list(group)) for scheme, group in groupby(regions, key=lambda r: r.scheme)]
