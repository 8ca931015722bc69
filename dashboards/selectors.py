"""The figures of the dashboards for one quarter, for every region at once, counted in the
database in seven queries however many records there are (eight with the regions): each groups
one kind of record by region, and several kinds share a query through UNION ALL. The national
figure beside a region's is the total of the regions, and for a median, the median over every
region's records.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, IntegerField, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone

from curriculum.models import TrainingSession
from curriculum.selectors import coverage_counts, coverage_gaps
from dashboards import figures
from learning.models import LearningItem
from portal.counts import counted
from regions.models import Region
from register.models import AdoptionStageChange, Recommendation

TREND_QUARTERS = 8
TRENDS = {
    "learning": "Learning published",
    "people": "People trained",
    "answered": "Recommendations answered",
    "adoptions": "Adoptions begun",
}


def _text(value):
    return Value(value, output_field=CharField())


def median_of(histogram):
    """The median of values given as {value: how many times}; None when there are none."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}
    middle, seen = [], 0
    for value, count in sorted(histogram.items()):
        middle += [value for position in wanted if seen <= position < seen + count]
        seen += count
    return statistics.mean(middle)


def _dict():
    return defaultdict(int)


def _no_trend():
    return [0] * TREND_QUARTERS


@dataclass
class Figures:
    """One region's figures for a quarter (the nation's, when `region` is None)."""

    region: Region | None
    initiatives: dict = field(default_factory=_dict)  # status at the end: count
    initiatives_before: dict = field(default_factory=_dict)  # at the previous quarter's end
    ihi: dict = field(default_factory=_dict)  # band: count
    ihi_before: dict = field(default_factory=_dict)
    learning: dict = field(default_factory=_dict)  # kind: published in the quarter
    publish_days: dict = field(default_factory=_dict)  # days: how many
    investigations: dict = field(default_factory=_dict)  # source: logged in the quarter
    learning_before: dict = field(default_factory=_dict)  # in the previous quarter
    publish_days_before: dict = field(default_factory=_dict)
    recommendations: dict = field(default_factory=_dict)  # group: count
    recommendations_before: dict = field(default_factory=_dict)  # at the previous quarter's end
    respond_days: dict = field(default_factory=_dict)  # days: how many answered in it
    adoptions: dict = field(default_factory=_dict)  # stage at the end: count
    spread_beyond: int = 0
    curriculum: dict = field(default_factory=_dict)  # status at the end: count
    training_sessions: int = 0
    people_trained: int = 0
    support_sessions: int = 0
    staff_reached: int = 0
    gaps: int = 0
    trends: dict = field(default_factory=lambda: defaultdict(_no_trend))

    @property
    def learning_total(self):
        return sum(self.learning.values())

    @property
    def median_days_to_publish(self):
        return median_of(self.publish_days)

    @property
    def learning_total_before(self):
        return sum(self.learning_before.values())

    @property
    def median_days_to_publish_before(self):
        return median_of(self.publish_days_before)

    @property
    def median_days_to_respond(self):
        return median_of(self.respond_days)

    def add(self, other):
        """Add a region's figures into the nation's."""
        for name in (
            "initiatives", "initiatives_before", "ihi", "ihi_before", "learning",
            "learning_before", "publish_days", "publish_days_before", "investigations",
            "recommendations", "recommendations_before", "respond_days", "adoptions",
            "curriculum",
        ):  # fmt: skip
            mine = getattr(self, name)
            for key, value in getattr(other, name).items():
                mine[key] += value
        self.spread_beyond += other.spread_beyond
        for name in ("training_sessions", "people_trained", "support_sessions", "staff_reached"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for series, values in other.trends.items():
            self.trends[series] = [a + b for a, b in zip(self.trends[series], values, strict=True)]


@dataclass
class Dashboard:
    quarter: object
    quarters: list  # the trends' quarters, oldest first
    regions: list
    by_region: dict  # region id: Figures
    nation: Figures

    def of(self, region):
        return self.by_region[region.pk]


def programme_regions():
    return list(Region.objects.in_programme_scheme().order_by("display_order", "name"))


def everything(kind, queryset):
    return queryset


def dashboard(quarter, regions=None, *, within=None, within_key=""):
    """Every programme region's figures for `quarter`, and the nation's, as counted since the
    last write to what they count (portal/counts.py). `regions` is `programme_regions()`,
    when the caller has read them already.

    `within(kind, queryset)` narrows each kind of record counted ("initiative_history",
    "progress", "learning", "investigation", "recommendation", "adoption_change",
    "curriculum_change", "training", "support") to a part of the programme, such as a
    PSC's own records (the quarterly reports), named by `within_key` for the cache."""
    if regions is None:
        regions = programme_regions()
    # The figures of the quarter under way end today, so a new day counts again.
    # The name says which shape of Figures it keeps, so one kept by an older release is not read.
    name = f"dashboard-2-{quarter.year}-{quarter.number}-{timezone.localdate().isoformat()}"
    if within is not None:
        name = f"{name}-{within_key}"
    return counted(name, lambda: _count(quarter, regions, within or everything))


def _count(quarter, regions, within=everything):
    by_region = {region.pk: Figures(region) for region in regions}
    region_ids = list(by_region)

    def rows_of(queryset, field_name="region_id"):
        for row in queryset:
            found = by_region.get(row[field_name])
            if found is not None:
                yield found, row

    _initiatives(quarter, rows_of, within)
    _learning_and_investigations(quarter, rows_of, within)
    _recommendations(quarter, rows_of, within)
    _adoptions(quarter, rows_of, within)
    _curriculum(quarter, rows_of, within)
    _trends(quarter, rows_of, within)
    gaps = coverage_gaps(coverage_counts(region_ids), region_ids)
    nation = Figures(None)
    for region_id, found in by_region.items():
        found.gaps = gaps[region_id]
        nation.add(found)
    nation.gaps = gaps[None]
    return Dashboard(quarter, quarter.last(TREND_QUARTERS), regions, by_region, nation)


def _initiatives(quarter, rows_of, within):
    def statuses(which, at):
        return (
            within("initiative_history", figures.initiative_statuses(at))
            .order_by()
            .annotate(which=_text(which), counted=_text("status"), key=F("status"))
            .values("which", "counted", "region_id", "key")
            .annotate(count=Count("pk"))
        )

    def bands(which, at):
        return (
            within("progress", figures.initiative_scores(at))
            .order_by()
            .annotate(
                which=_text(which),
                counted=_text("band"),
                key=Cast("band", CharField()),
                region_id=F("initiative__region"),
            )
            .values("which", "counted", "region_id", "key")
            .annotate(count=Count("pk"))
        )

    before = quarter.previous()
    union = statuses("now", quarter).union(
        statuses("before", before), bands("now", quarter), bands("before", before), all=True
    )
    for found, row in rows_of(union):
        if row["key"] is None:
            continue
        if row["counted"] == "status":
            counts = found.initiatives if row["which"] == "now" else found.initiatives_before
            counts[row["key"]] += row["count"]
        else:
            counts = found.ihi if row["which"] == "now" else found.ihi_before
            counts[int(row["key"])] += row["count"]


def _learning_and_investigations(quarter, rows_of, within):
    learning = (
        within("learning", figures.learning_published(quarter))
        .order_by()
        .annotate(counted=_text("learning"), key=F("kind"), days=F("days_to_publish"))
        .values("counted", "region_id", "key", "days")
        .annotate(count=Count("pk"))
    )
    investigations = (
        within("investigation", figures.investigations_logged(quarter))
        .order_by()
        .annotate(
            counted=_text("investigations"),
            key=F("source"),
            days=Value(None, output_field=IntegerField()),
        )
        .values("counted", "region_id", "key", "days")
        .annotate(count=Count("pk"))
    )
    learning_before = (
        within("learning", figures.learning_published(quarter.previous()))
        .order_by()
        .annotate(counted=_text("learning_before"), key=F("kind"), days=F("days_to_publish"))
        .values("counted", "region_id", "key", "days")
        .annotate(count=Count("pk"))
    )
    for found, row in rows_of(learning.union(investigations, learning_before, all=True)):
        if row["counted"] == "investigations":
            found.investigations[row["key"]] += row["count"]
            continue
        before = row["counted"] == "learning_before"
        counts = found.learning_before if before else found.learning
        counts[row["key"]] += row["count"]
        if row["days"] is not None:
            days = found.publish_days_before if before else found.publish_days
            days[row["days"]] += row["count"]


def _recommendations(quarter, rows_of, within):
    def grouped(which, at):
        return (
            within("recommendation", figures.recommendations_grouped(at))
            .order_by()
            .annotate(which=_text(which))
            .values("which", "region_id", "group", "days_to_respond")
            .annotate(count=Count("pk"))
        )

    union = grouped("now", quarter).union(grouped("before", quarter.previous()), all=True)
    for found, row in rows_of(union):
        if row["group"] is None:
            continue
        if row["which"] == "before":
            found.recommendations_before[row["group"]] += row["count"]
            continue
        found.recommendations[row["group"]] += row["count"]
        if row["group"] in (figures.ON_TIME, figures.LATE) and row["days_to_respond"] is not None:
            found.respond_days[row["days_to_respond"]] += row["count"]


def _adoptions(quarter, rows_of, within):
    stages = (
        within("adoption_change", figures.adoption_stages(quarter))
        .order_by()
        .annotate(counted=_text("stage"), key=F("to_stage"), place=F("adoption__region"))
        .values("counted", "place", "key")
        .annotate(count=Count("pk"))
    )
    beyond = (
        within("adoption_change", figures.spread_beyond(quarter))
        .order_by()
        .annotate(counted=_text("beyond"), key=_text(""), place=F("origin"))
        .values("counted", "place", "key")
        .annotate(count=Count("pk"))
    )
    for found, row in rows_of(stages.union(beyond, all=True), "place"):
        if row["counted"] == "stage":
            found.adoptions[row["key"]] += row["count"]
        else:
            found.spread_beyond += row["count"]


def _curriculum(quarter, rows_of, within):
    statuses = (
        within("curriculum_change", figures.curriculum_statuses(quarter))
        .order_by()
        .annotate(counted=_text("status"), key=F("to_status"), region_id=F("entry__region"))
        .values("counted", "region_id", "key")
        .annotate(count=Count("pk"))
    )

    def summed(queryset, counted, value):
        return (
            queryset.order_by()
            .annotate(counted=_text(counted), key=_text(""))
            .values("counted", "region_id", "key")
            .annotate(count=value)
        )

    training = within("training", figures.training_held(quarter))
    support = within("support", figures.support_held(quarter))
    union = statuses.union(
        summed(training, "training_sessions", Count("pk")),
        summed(training, "people_trained", Sum("people_trained")),
        summed(support, "support_sessions", Count("pk")),
        summed(support, "staff_reached", Sum("staff_reached")),
        all=True,
    )
    for found, row in rows_of(union):
        if row["counted"] == "status":
            found.curriculum[row["key"]] += row["count"]
        else:
            setattr(found, row["counted"], getattr(found, row["counted"]) + (row["count"] or 0))


def _trends(quarter, rows_of, within):
    quarters = quarter.last(TREND_QUARTERS)
    first, last = quarters[0], quarters[-1]

    def grouped(queryset, series, date_field, value, *, moments, place="region_id"):
        return (
            queryset.order_by()
            .annotate(
                series=_text(series),
                slot=figures.bucket(date_field, quarters, moments=moments),
                place=F(place),
            )
            .values("series", "place", "slot")
            .annotate(value=value)
        )

    union = grouped(
        within("learning", LearningItem.objects.published().filter(
            published_at__gte=first.starts_at, published_at__lt=last.ends_at
        )),
        "learning", "published_at", Count("pk"), moments=True,
    ).union(
        grouped(
            within("training", TrainingSession.objects.filter(
                held_on__gte=first.starts_on, held_on__lte=last.ends_on
            )),
            "people", "held_on", Sum("people_trained"), moments=False,
        ),
        grouped(
            within("recommendation", Recommendation.objects.filter(
                answered_on__gte=first.starts_on, answered_on__lte=last.ends_on
            )),
            "answered", "answered_on", Count("pk"), moments=False,
        ),
        grouped(
            within("adoption_change", AdoptionStageChange.objects.filter(
                from_stage="", on__gte=first.starts_on, on__lte=last.ends_on
            )),
            "adoptions", "on", Count("pk"), moments=False, place="adoption__region",
        ),
        all=True,
    )  # fmt: skip
    for found, row in rows_of(union, "place"):
        if row["slot"] is not None:
            found.trends[row["series"]][row["slot"]] += row["value"] or 0
