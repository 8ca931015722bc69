"""The SPC charts' monthly series: each measure (dashboards/measures.py) month by month for
every programme region at once, and England's, counted in five queries however many records
there are. Months are London months (portal/months.py); the month under way is left out, as
its figures are not yet whole.

The definitions are the dashboards' own (dashboards/figures.py): learning counts when it is
published, a recommendation is overdue at a month's end when it was made by then, is still
unanswered then and was due before the month's last day, as the quarter's figure counts it at
the quarter's end; adoptions are the adoptions begun, as in the trend charts.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.utils import timezone

from curriculum.models import TrainingSession
from dashboards import figures
from dashboards import measures as m
from dashboards.selectors import everything, median_of
from learning.models import LearningItem
from portal import summaries
from portal.counts import counted
from portal.months import Month
from register.models import AdoptionStageChange, Recommendation

MONTHS = 36  # three years: at least the 24 months a board reads, where there are records


@dataclass
class Counts:
    """One scope's raw counts, month by month (each list one entry a month)."""

    months: int

    def __post_init__(self):
        size = self.months
        self.published = [0] * size
        self.publish_days = [defaultdict(int) for _ in range(size)]  # days: how many
        self.due = [0] * size
        self.on_time = [0] * size
        self.overdue = [0] * size
        self.trained = [0] * size
        self.adoptions = [0] * size

    def add(self, other):
        for name in ("published", "due", "on_time", "overdue", "trained", "adoptions"):
            mine = getattr(self, name)
            for index, value in enumerate(getattr(other, name)):
                mine[index] += value
        for mine, theirs in zip(self.publish_days, other.publish_days, strict=True):
            for days, count in theirs.items():
                mine[days] += count

    def values(self):
        """{measure slug: [value each month]}; None where a month has nothing to measure."""
        return {
            m.PUBLISHED: list(self.published),
            m.DAYS_TO_PUBLISH: [median_of(histogram) for histogram in self.publish_days],
            m.RESPONDED_ON_TIME: [
                round(100 * on_time / due, 1) if due else None
                for on_time, due in zip(self.on_time, self.due, strict=True)
            ],
            m.OVERDUE: list(self.overdue),
            m.TRAINED: list(self.trained),
            m.ADOPTIONS: list(self.adoptions),
        }


@dataclass
class Monthly:
    months: list  # portal.months.Month, oldest first
    by_region: dict  # region id: {measure slug: [values]}
    nation: dict  # {measure slug: [values]}

    def of(self, region):
        return self.by_region[region.pk]


# The shape of a run of months' kept series (portal/summaries.py).
SHAPE = 1


def monthly(last, regions, *, within=None, within_key="", count=MONTHS):
    """The series of the `count` months to `last` (a Month) for each of `regions`, and the
    total of every region's records (England's, or with `within` the part of the programme
    it narrows to, named by `within_key` for the cache).

    Every month counted has ended, so once counted the series are kept in the database
    until a late write touches one of their months (portal/summaries.py, docs/adr/0042)."""
    name = f"monthly-{last.year}-{last.number}-{count}-{timezone.localdate().isoformat()}"
    if within is not None:
        name = f"{name}-{within_key}"
    return counted(name, lambda: _kept(last, regions, within, within_key, count))


def _kept(last, regions, within, within_key, count):
    months = last.last(count)
    if last >= Month.of(timezone.localdate()) or (within is not None and not within_key):
        return _count(months, regions, within or everything)
    key = summaries.Key(f"months-{count}", within_key if within is not None else "", last.ends_on)
    region_ids = [region.pk for region in regions]

    def count_them(key):
        found = _count(months, regions, within or everything)
        return {
            "regions": region_ids,
            "by_region": [[pk, values] for pk, values in found.by_region.items()],
            "nation": found.nation,
        }

    found = summaries.kept({key: SHAPE}, count_them)[key]
    if found["regions"] != region_ids:  # the programme's regions have changed since
        return _count(months, regions, within or everything)
    return Monthly(months, dict(found["by_region"]), found["nation"])


def _count(months, regions, within):
    by_region = {region.pk: Counts(len(months)) for region in regions}
    first, last = months[0], months[-1]

    def rows_of(queryset, place="region_id"):
        for row in queryset:
            found = by_region.get(row[place])
            if found is not None:
                yield found, row

    def slot(field, *, moments):
        return figures.bucket(field, months, moments=moments)

    learning = (
        within("learning", LearningItem.objects.published())
        .filter(published_at__gte=first.starts_at, published_at__lt=last.ends_at)
        .order_by()
        .annotate(slot=slot("published_at", moments=True))
        .values("region_id", "slot", "days_to_publish")
        .annotate(count=Count("pk"))
    )
    for found, row in rows_of(learning):
        found.published[row["slot"]] += row["count"]
        if row["days_to_publish"] is not None:
            found.publish_days[row["slot"]][row["days_to_publish"]] += row["count"]

    on_time = Case(When(answered_on__lte=F("due_on"), then=Value(True)), default=Value(False))
    due = (
        within("recommendation", Recommendation.objects.all())
        .filter(due_on__gte=first.starts_on, due_on__lte=last.ends_on)
        .order_by()
        .annotate(slot=slot("due_on", moments=False), on_time=on_time)
        .values("region_id", "slot", "on_time")
        .annotate(count=Count("pk"))
    )
    for found, row in rows_of(due):
        found.due[row["slot"]] += row["count"]
        if row["on_time"]:
            found.on_time[row["slot"]] += row["count"]

    def overdue_at(month):
        end = month.ends_on
        unanswered = Q(answered_on__isnull=True) | Q(answered_on__gt=end)
        return Count("pk", filter=Q(issued_on__lte=end, due_on__lt=end) & unanswered)

    overdue = (
        within("recommendation", Recommendation.objects.all())
        .filter(issued_on__lte=last.ends_on, due_on__lt=last.ends_on)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=first.ends_on))
        .order_by()
        .values("region_id")
        .annotate(**{f"m{index}": overdue_at(month) for index, month in enumerate(months)})
    )
    for found, row in rows_of(overdue):
        for index in range(len(months)):
            found.overdue[index] += row[f"m{index}"]

    trained = (
        within("training", TrainingSession.objects.all())
        .filter(held_on__gte=first.starts_on, held_on__lte=last.ends_on)
        .order_by()
        .annotate(slot=slot("held_on", moments=False))
        .values("region_id", "slot")
        .annotate(people=Sum("people_trained"))
    )
    for found, row in rows_of(trained):
        found.trained[row["slot"]] += row["people"] or 0

    begun = (
        within("adoption_change", AdoptionStageChange.objects.filter(from_stage=""))
        .filter(on__gte=first.starts_on, on__lte=last.ends_on)
        .order_by()
        .annotate(slot=slot("on", moments=False), place=F("adoption__region"))
        .values("place", "slot")
        .annotate(count=Count("pk"))
    )
    for found, row in rows_of(begun, "place"):
        found.adoptions[row["slot"]] += row["count"]

    nation = Counts(len(months))
    for found in by_region.values():
        nation.add(found)
    return Monthly(
        months,
        {region_id: found.values() for region_id, found in by_region.items()},
        nation.values(),
    )
