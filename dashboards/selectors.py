"""The figures of the dashboards for one quarter, for every region at once, counted in the
database in seven queries however many records there are (eight with the regions): each groups
one kind of record by region, and several kinds share a query through UNION ALL. The national
figure beside a region's is the total of the regions, and for a median, the median over every
region's records.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, F, IntegerField, Sum, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from curriculum.selectors import coverage_counts, coverage_gaps, coverage_parts
from dashboards import figures
from portal import summaries
from portal.counts import counted
from portal.quarters import LONDON, Days, Quarter
from regions.models import Region
from register.models import Recommendation

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


REGIONS = "counts:regions"


def programme_regions():
    """The programme's regions in their order, kept until a region changes: every dashboard
    and home reads them, and a write to the records they count does not change them."""
    return counted(
        "programme-regions",
        lambda: list(Region.objects.in_programme_scheme().order_by("display_order", "name")),
        generation=REGIONS,
    )


def everything(kind, queryset):
    return queryset


def dashboard(quarter, regions=None, *, within=None, within_key=""):
    """Every programme region's figures for `quarter`, and the nation's, as counted since the
    last write to what they count (portal/counts.py). `regions` is `programme_regions()`,
    when the caller has read them already.

    `within(kind, queryset)` narrows each kind of record counted ("initiative",
    "initiative_history", "progress", "learning", "investigation", "recommendation",
    "adoption", "adoption_change", "curriculum_entry", "curriculum_change", "training",
    "support") to a part of the programme, such as a
    PSC's own records (the quarterly reports), named by `within_key` for the cache and the
    kept summaries.

    A quarter's own figures are counted once it has closed and kept (portal/summaries.py,
    docs/adr/0042): the dashboard takes the quarter's, the previous one's (the figures
    "before") and the trends' from them, and counts afresh only the quarter under way."""
    if regions is None:
        regions = programme_regions()
    # The figures of the quarter under way end today, so a new day counts again.
    # The name says which shape of Figures it keeps, so one kept by an older release is not read.
    name = f"dashboard-3-{quarter.year}-{quarter.number}-{timezone.localdate().isoformat()}"
    if within is not None:
        name = f"{name}-{within_key}"
    return counted(name, lambda: _count(quarter, regions, within, within_key))


# What the headline cards show of the quarter under way (presenters.headline): a home shows
# the cards and not the tables, so counts only these.
HEADLINE_PARTS = frozenset({"learning", "recommendations", "people_trained", "begun"})


def headline_figures(quarter, regions=None):
    """dashboard(), with only what the headline cards show counted for the quarter under way:
    its learning published, recommendations, people trained and adoptions begun. Its other
    figures of that quarter are left empty, and its syllabus gaps are not read, so this is for
    the cards alone (the homes); the quarters before it, kept, are whole."""
    if regions is None:
        regions = programme_regions()
    name = f"headline-1-{quarter.year}-{quarter.number}-{timezone.localdate().isoformat()}"
    return counted(name, lambda: _count(quarter, regions, only=HEADLINE_PARTS))


def keep_closed_periods():
    """Count and keep what has closed and is not kept yet: the whole programme's last eight
    quarters, each day of the quarter under way before today, the syllabus coverage and the
    SPC charts' months, so the first page of a day does not count them. The days of the
    quarters before are no longer asked for, and go."""
    # Imported here: both modules read this one.
    from curriculum.selectors import COVERAGE_DAY
    from dashboards.control_charts import last_month
    from dashboards.monthly import monthly

    regions = programme_regions()
    current = Quarter.current()
    _count(current, regions)
    monthly(last_month(current), regions)
    summaries.forget([DAY, COVERAGE_DAY], before=current.starts_on)


# The shape of a quarter's kept figures: its rows [part, region id, key, days, count].
SHAPE = 1
QUARTER = "dashboard-quarter"
# What happened on each day of the quarter under way before today, in the same rows
# (docs/adr/0047).
DAY = "dashboard-day"
# The parts that count what happened in a period, so that a period's are the sum of its days':
# the others say how records stand at its end (a status, a stage, a group of recommendations).
HAPPENED = frozenset({
    "learning", "investigations", "answered", "begun", "training_sessions", "people_trained",
    "support_sessions", "staff_reached",
})  # fmt: skip


def _count(quarter, regions, within=None, within_key="", only=None):
    """The dashboard from each quarter's own figures: those of closed quarters kept, and of
    the quarter under way what happened on each day before today kept too; counted afresh,
    what happened from today on and how its records stand, with what is tagged to the syllabus
    since today, in one query (of the quarter under way, with `only`, only those parts)."""
    # Today is read once: the days kept and the part counted afresh meet there, even if
    # midnight passes while they are counted.
    today = timezone.localdate()
    current = Quarter.of(today)
    # A part of the programme not named cannot be kept apart from the others: counted afresh.
    keeps = within is None or bool(within_key)
    scope = within_key if within is not None else ""
    quarters = quarter.last(TREND_QUARTERS)
    wanted = {
        summaries.Key(QUARTER, scope, q.ends_on): SHAPE for q in quarters if q < current and keeps
    }
    days = []
    if keeps and current in quarters:
        days = [summaries.Key(DAY, scope, day) for day in current.days_before(today)]

    def count(key):
        return own_rows(Quarter.of(key.ends_on), within or everything)

    def count_days(keys):
        # The missing days of the quarter under way, in one query.
        missing = sorted(key.ends_on for key in keys)
        counted = {summaries.Key(DAY, scope, day): [] for day in missing}
        rows = own_rows(
            current,
            within or everything,
            only=HAPPENED,
            days=Days(missing[0], missing[-1]),
            by_day=True,
        )
        for *row, day in rows:
            found = counted.get(summaries.Key(DAY, scope, day))
            if found is not None:
                found.append(row)
        return counted

    kept = summaries.kept(wanted, count)
    # The days before today, added up once until a summary is dropped: a day's rows are many
    # at national scale, and a page needs only their sum.
    days_rows = []
    if days:
        days_rows = summaries.kept_combined(
            dict.fromkeys(days, SHAPE),
            count,
            count_all=count_days,
            combine=_added_up,
            name="dashboard-days-added-up",
        )
    rows = {}
    since = None
    for q in quarters:
        key = summaries.Key(QUARTER, scope, q.ends_on)
        if key in kept:
            rows[q] = kept[key]
        elif q == current:
            # What is tagged before today is kept whatever the scope (the coverage is the
            # whole programme's), so it is counted from today on.
            span = Days(today, current.ends_on) if days else None
            found = own_rows(
                q,
                within or everything,
                coverage=Days(today, today) if only is None else None,
                only=only,
                days=span,
            )
            rows[q] = [row for row in found if not row[0].startswith("coverage")]
            rows[q] += [row for row in days_rows if only is None or row[0] in only]
            since = _coverage_rows(found)
        else:
            rows[q] = own_rows(q, within or everything)
    region_ids = [region.pk for region in regions]
    if only is None:
        coverage = coverage_counts(region_ids, since=since, today=today)
    else:
        # A home's cards show no gaps: the coverage is not read (headline_figures()).
        coverage = coverage_counts(region_ids, kept=[], since=[], today=today)
    return assemble(quarter, regions, rows, coverage)


def _added_up(found):
    """The rows [part, region id, key, days, count] of several periods ({key: rows}), added
    up."""
    totals = defaultdict(int)
    for rows in found.values():
        for part, place, key, days, count in rows:
            totals[part, place, key, days] += count or 0
    return [[*group, count] for group, count in totals.items()]


def assemble(quarter, regions, rows, coverage):
    """The Dashboard for `quarter` from each quarter's own rows ({quarter: rows}, for the
    quarter and the seven before it) and the syllabus coverage (coverage_counts)."""
    by_region = {region.pk: Figures(region) for region in regions}

    def each(quarter_rows):
        for part, place, key, days, count in quarter_rows:
            found = by_region.get(place)
            if found is not None:
                yield found, part, key, days, count

    for found, part, key, days, count in each(rows[quarter]):
        _add_now(found, part, key, days, count)
    for found, part, key, days, count in each(rows[quarter.previous()]):
        _add_before(found, part, key, days, count)
    quarters = quarter.last(TREND_QUARTERS)
    for index, q in enumerate(quarters):
        for found, part, _key, _days, count in each(rows[q]):
            series = TREND_PARTS.get(part)
            if series is not None:
                found.trends[series][index] += count or 0
    region_ids = list(by_region)
    gaps = coverage_gaps(coverage, region_ids)
    nation = Figures(None)
    for region_id, found in by_region.items():
        found.gaps = gaps[region_id]
        nation.add(found)
    nation.gaps = gaps[None]
    return Dashboard(quarter, quarters, regions, by_region, nation)


# Which part of a quarter's rows each trend adds up.
TREND_PARTS = {
    "learning": "learning",
    "people_trained": "people",
    "answered": "answered",
    "begun": "adoptions",
}
SUMMED = (
    "spread_beyond",
    "training_sessions",
    "people_trained",
    "support_sessions",
    "staff_reached",
)


def _add_now(found, part, key, days, count):
    if part in ("initiatives", "ihi", "recommendations", "curriculum") and key is None:
        return
    if part == "initiatives":
        found.initiatives[key] += count
    elif part == "ihi":
        found.ihi[int(key)] += count
    elif part == "learning":
        found.learning[key] += count
        if days is not None:
            found.publish_days[days] += count
    elif part == "investigations":
        found.investigations[key] += count
    elif part == "recommendations":
        found.recommendations[key] += count
        if key in (figures.ON_TIME, figures.LATE) and days is not None:
            found.respond_days[days] += count
    elif part == "adoptions":
        found.adoptions[key] += count
    elif part == "curriculum":
        found.curriculum[key] += count
    elif part in SUMMED:
        setattr(found, part, getattr(found, part) + (count or 0))


def _add_before(found, part, key, days, count):
    if key is None and part in ("initiatives", "ihi", "recommendations"):
        return
    if part == "initiatives":
        found.initiatives_before[key] += count
    elif part == "ihi":
        found.ihi_before[int(key)] += count
    elif part == "learning":
        found.learning_before[key] += count
        if days is not None:
            found.publish_days_before[days] += count
    elif part == "recommendations":
        found.recommendations_before[key] += count


def _coverage_rows(rows):
    """The coverage's rows [kind, tag, region, count, people] from a quarter's own rows."""
    found = []
    for part, place, key, _days, count in rows:
        if part == "coverage-people":
            found.append([2, int(key), place, 0, count or 0])
        elif part.startswith("coverage-"):
            found.append([int(part.removeprefix("coverage-")), int(key), place, count, 0])
    return found


def own_rows(quarter, within=everything, *, coverage=None, only=None, days=None, by_day=False):
    """A quarter's own figures for every region, as rows [part, region id, key, days, count]:
    what the quarter counts at its end, each trend's value in it, and with `coverage` (a
    period) what is tagged to the syllabus from its start on (with `only`, a set of parts,
    just those). With `days` (Days within the quarter), what happened (HAPPENED) is counted
    for those days alone; with `by_day` too, each row ends with the day it happened. One
    query, each part joined by UNION ALL."""
    span = quarter if days is None else days

    def shaped(queryset, part, *, key=None, days=None, count=None, place="region_id", on=None):
        if only is not None and part not in only:
            return None
        named = {
            "part": _text(part),
            "place": F(place),
            "key": _text("") if key is None else key,
            "days": Cast(Value(None), IntegerField()) if days is None else days,
        }
        if by_day:
            named["day_of"] = on
        return (
            queryset.order_by()
            .annotate(**named)
            .values(*named)
            .annotate(count=Count("pk") if count is None else count)
        )

    moment_day = lambda name: TruncDate(name, tzinfo=LONDON)  # noqa: E731

    as_text = lambda name: Cast(name, CharField())  # noqa: E731
    training = within("training", figures.training_held(span))
    support = within("support", figures.support_held(span))
    if figures.under_way(quarter):
        # The records as they stand are what the histories say at the end (figures.py).
        statuses = [
            shaped(within("initiative", figures.initiatives_now()), "initiatives", key=F("status")),
            shaped(
                within("initiative", figures.initiative_scores_now()),
                "ihi-score",
                key=as_text("score"),
            ),
            shaped(within("adoption", figures.adoptions_now()), "adoptions", key=F("stage")),
            shaped(
                within("adoption", figures.spread_now()), "spread_beyond", place="origin_region"
            ),
            shaped(
                within("curriculum_entry", figures.curriculum_now()), "curriculum", key=F("status")
            ),
        ]
    else:
        statuses = [
            shaped(
                within("initiative_history", figures.initiative_statuses(quarter)),
                "initiatives",
                key=F("status"),
            ),
            shaped(
                within("progress", figures.initiative_scores(quarter)),
                "ihi",
                key=as_text("band"),
                place="initiative__region",
            ),
            shaped(
                within("adoption_change", figures.adoption_stages(quarter)),
                "adoptions",
                key=F("to_stage"),
                place="adoption__region",
            ),
            shaped(
                within("adoption_change", figures.spread_beyond(quarter)),
                "spread_beyond",
                place="origin",
            ),
            shaped(
                within("curriculum_change", figures.curriculum_statuses(quarter)),
                "curriculum",
                key=F("to_status"),
                place="entry__region",
            ),
        ]
    parts = [
        *statuses,
        shaped(within("learning", figures.learning_published(span)), "learning",
               key=F("kind"), days=F("days_to_publish"), on=moment_day("published_at")),
        shaped(within("investigation", figures.investigations_logged(span)),
               "investigations", key=F("source"), on=moment_day("created_at")),
        shaped(within("recommendation", figures.recommendations_grouped(quarter)),
               "recommendations", key=F("group"), days=F("days_to_respond")),
        shaped(within("recommendation", Recommendation.objects.filter(
                   answered_on__gte=span.starts_on, answered_on__lte=span.ends_on)),
               "answered", on=F("answered_on")),
        shaped(within("adoption_change", figures.adoptions_begun(span)),
               "begun", place="adoption__region", on=F("on")),
        shaped(training, "training_sessions", on=F("held_on")),
        shaped(training, "people_trained", count=Sum("people_trained"), on=F("held_on")),
        shaped(support, "support_sessions", on=F("held_on")),
        shaped(support, "staff_reached", count=Sum("staff_reached"), on=F("held_on")),
    ]  # fmt: skip
    if coverage is not None:
        for kind, queryset in coverage_parts(since=coverage):
            parts.append(shaped(queryset, f"coverage-{kind}", key=as_text("syllabus")))
            if kind == 2:
                people = Sum("people_trained")
                parts.append(
                    shaped(queryset, "coverage-people", key=as_text("syllabus"), count=people)
                )
    parts = [part for part in parts if part is not None]
    union = parts[0].union(*parts[1:], all=True)
    if by_day:
        return [
            [row["part"], row["place"], row["key"], row["days"], row["count"], row["day_of"]]
            for row in union
        ]
    return _scores_banded(
        [[row["part"], row["place"], row["key"], row["days"], row["count"]] for row in union]
    )


def _scores_banded(rows):
    """The rows with the latest IHI scores counted by score ("ihi-score") counted by their
    bands instead, as the closed quarters count them ("ihi")."""
    banded = defaultdict(int)
    kept = []
    for part, place, key, days, count in rows:
        if part != "ihi-score":
            kept.append([part, place, key, days, count])
        elif key is not None:
            band = figures.band_of(Decimal(key))
            if band is not None:
                banded[place, str(band)] += count
    return kept + [["ihi", place, band, None, count] for (place, band), count in banded.items()]
