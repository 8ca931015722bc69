"""Reads for curriculum and training: lists, the reach of training, and the syllabus
coverage grid, each aggregated in the database in a fixed number of queries."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.scope import user_scope
from curriculum.models import CurriculumEntry, StaffSupport, TrainingSession
from learning.models import LearningItem
from portal import summaries
from portal.counts import counted
from portal.quarters import LONDON, Days, Quarter
from portal.summaries import Key
from regions.models import Region
from taxonomy.models import SyllabusTag

_TAGS = Prefetch("syllabus", queryset=SyllabusTag.objects.with_names())


def entries_for(user):
    return CurriculumEntry.objects.for_user(user).select_related(
        "organisation", "profession", "region"
    )


def entry_detail_for(user):
    return entries_for(user).select_related("fellow", "created_by").prefetch_related(_TAGS)


def sessions_for(user):
    return (
        TrainingSession.objects.for_user(user)
        .select_related("region", "host")
        .prefetch_related("professions")
    )


def session_detail_for(user):
    return sessions_for(user).select_related("created_by").prefetch_related(_TAGS)


def support_for(user):
    return StaffSupport.objects.for_user(user).select_related("organisation", "region")


def carried_by(record, user):
    """(curriculum entries, training sessions) that carry a recommendation or a learning item,
    that the person may see."""
    return (
        record.curriculum_entries.for_user(user).select_related("organisation"),
        record.training_sessions.for_user(user).select_related("host"),
    )


def carrying_any(recommendation_ids, learning_ids, user):
    """(curriculum entries, training sessions) that carry any of the recommendations or
    learning items, that the person may see: two queries."""
    carries = Q(recommendations__in=recommendation_ids) | Q(learning_items__in=learning_ids)
    entries = list(
        CurriculumEntry.objects.for_user(user)
        .filter(carries)
        .distinct()
        .select_related("organisation")
        .order_by("programme")
    )
    sessions = list(
        TrainingSession.objects.for_user(user)
        .filter(carries)
        .distinct()
        .select_related("host")
        .order_by("-held_on")
    )
    return entries, sessions


# Reach


@dataclass
class Reach:
    """People trained by training sessions, counted four ways. A session for several
    professions counts its people under each of them, so the professions add up to more
    than the total."""

    total: int
    sessions: int
    by_region: list
    by_profession: list
    by_syllabus: list
    by_quarter: list


def training_reach(sessions):
    """Reach of `sessions` (a scoped queryset): four queries however many sessions."""
    sessions = sessions.order_by()
    by_region = list(
        sessions.values("region__name")
        .annotate(people=Sum("people_trained"), count=Count("pk"))
        .order_by("region__name")
    )
    by_profession = list(
        sessions.filter(professions__isnull=False)
        .values("professions__name", "professions__display_order")
        .annotate(people=Sum("people_trained"), count=Count("pk"))
        .order_by("professions__display_order")
    )
    by_syllabus = list(
        sessions.filter(syllabus__isnull=False)
        .values("syllabus__domain__number", "syllabus__level__number")
        .annotate(people=Sum("people_trained"), count=Count("pk"))
        .order_by("syllabus__domain__number", "syllabus__level__number")
    )
    quarters = defaultdict(lambda: [0, 0])
    for held_on, people in sessions.values_list("held_on", "people_trained"):
        quarter = quarters[Quarter.of(held_on)]
        quarter[0] += people
        quarter[1] += 1
    return Reach(
        total=sum(row["people"] for row in by_region),
        sessions=sum(row["count"] for row in by_region),
        by_region=by_region,
        by_profession=by_profession,
        by_syllabus=by_syllabus,
        by_quarter=[
            {"quarter": quarter, "people": people, "count": count}
            for quarter, (people, count) in sorted(quarters.items())
        ],
    )


# The coverage grid

# A cell is a gap in a region when nothing there is tagged to it, or when the region has
# less than this share of the median the programme's regions have in it (ADR 13).
FAR_BELOW_MEDIAN = 0.25


@dataclass
class Cell:
    tag: SyllabusTag
    learning: int = 0
    curriculum: int = 0
    training: int = 0
    people: int = 0
    median: float | None = None  # of the regions' records in the cell (nation: None)
    gap: str = ""  # why it is a gap, or empty

    @property
    def records(self):
        return self.learning + self.curriculum + self.training

    @property
    def band(self):
        """0 to 4, for the shading: none, 1 to 2, 3 to 5, 6 to 10, more than 10 records."""
        records = self.records
        return (
            0
            if records == 0
            else 1
            if records <= 2
            else 2
            if records <= 5
            else 3
            if records <= 10
            else 4
        )


@dataclass
class Grid:
    region: Region | None
    domains: list
    levels: list
    rows: list = field(default_factory=list)  # [(domain, [Cell for each level])]

    @property
    def gaps(self):
        return [cell for _domain, cells in self.rows for cell in cells if cell.gap]


# The coverage is counted up to the end of the last quarter that has closed once, and kept
# (portal/summaries.py, docs/adr/0042); so is what is dated on each day of the quarter under way
# before today (docs/adr/0047). Only what is dated from today on is counted afresh. A record's
# date is when learning was published, when a curriculum entry was made (an entry has no other
# date that is always there) and when a session was held.
COVERAGE = "coverage"
COVERAGE_DAY = "coverage-day"
COVERAGE_SHAPE = 1


def coverage_key(today=None):
    """The kept coverage's key: everything dated before the quarter under way."""
    return Key(COVERAGE, "", Quarter.of(today or timezone.localdate()).previous().ends_on)


def coverage_wanted(today):
    """{key: shape} of the coverage kept: before the quarter under way, and each of its days
    before `today`."""
    wanted = {coverage_key(today): COVERAGE_SHAPE}
    for day in Quarter.of(today).days_before(today):
        wanted[Key(COVERAGE_DAY, "", day)] = COVERAGE_SHAPE
    return wanted


def coverage_kept_rows(today):
    """The coverage's rows [kind, tag, region, count, people] kept: before the quarter under
    way and on each of its days before `today`, added up once until a summary is dropped."""
    return summaries.kept_combined(
        coverage_wanted(today),
        coverage_kept,
        count_all=coverage_count_all,
        combine=_added_up,
        name="coverage-added-up",
    )


def _added_up(found):
    totals = defaultdict(lambda: [0, 0])
    for rows in found.values():
        for kind, tag, region_id, count, people in rows:
            total = totals[kind, tag, region_id]
            total[0] += count
            total[1] += people
    return [[*cell, count, people] for cell, (count, people) in totals.items()]


def coverage_count_all(keys):
    """{key: rows} for the days among `keys` (coverage_wanted(today)), counted in one query."""
    days = sorted(key.ends_on for key in keys if key.kind == COVERAGE_DAY)
    if not days:
        return {}
    counted = {Key(COVERAGE_DAY, "", day): [] for day in days}
    for *row, day in coverage_since(
        Days(days[0], days[0]), until=Days(days[-1], days[-1]), by_day=True
    ):
        found = counted.get(Key(COVERAGE_DAY, "", day))
        if found is not None:
            found.append(row)
    return counted


def coverage_parts(*, since=None, before=None, until=None):
    """[(kind, queryset)] of what the coverage counts (0 learning, 1 curriculum entries,
    2 training sessions), tagged, and dated from the period `since` on, before the period
    `before` or up to the end of the period `until`."""
    learning = LearningItem.objects.published()
    entries = CurriculumEntry.objects.all()
    sessions = TrainingSession.objects.all()
    if since is not None:
        learning = learning.filter(published_at__gte=since.starts_at)
        entries = entries.filter(created_at__gte=since.starts_at)
        sessions = sessions.filter(held_on__gte=since.starts_on)
    if before is not None:
        learning = learning.filter(published_at__lt=before.starts_at)
        entries = entries.filter(created_at__lt=before.starts_at)
        sessions = sessions.filter(held_on__lt=before.starts_on)
    if until is not None:
        learning = learning.filter(published_at__lt=until.ends_at)
        entries = entries.filter(created_at__lt=until.ends_at)
        sessions = sessions.filter(held_on__lte=until.ends_on)
    return [
        (kind, queryset.filter(syllabus__isnull=False))
        for kind, queryset in ((0, learning), (1, entries), (2, sessions))
    ]


def coverage_kept(key):
    """Every cell of the syllabus (so a cell nothing is tagged to is there too) and what is
    tagged to it in each region, dated before the quarter after `key`'s: one query."""
    zero = Value(0, output_field=IntegerField())
    cells = SyllabusTag.objects.order_by().values(
        counted=Value(-1, output_field=IntegerField()),
        syllabus=F("pk"),
        region_id=Value(None, output_field=IntegerField()),
        count=zero,
        people=zero,
    )
    parts = [
        queryset.order_by()
        .annotate(counted=Value(kind, output_field=IntegerField()))
        .values("counted", "syllabus", "region_id")
        .annotate(count=Count("pk"), people=Sum("people_trained") if kind == 2 else zero)
        for kind, queryset in coverage_parts(before=Quarter.of(key.ends_on).next())
    ]
    return [
        [row["counted"], row["syllabus"], row["region_id"], row["count"], row["people"] or 0]
        for row in cells.union(*parts, all=True)
    ]


def coverage_counts(region_ids, *, kept=None, since=None, today=None):
    """{tag id: {region id: [learning, curriculum, training, people trained]}} for every cell
    of the syllabus and the programme's regions. `kept` is the kept coverage's rows (read with
    `coverage_kept_rows(today)`) and `since` the rows [kind, tag, region, count, people] dated
    from `today` on; when not given, they are read here: two queries, and when kept parts are
    missing, up to two more to count them and one to keep them."""
    today = today or timezone.localdate()
    if kept is None:
        kept = coverage_kept_rows(today)
    if since is None:
        since = counted(
            f"coverage-since-{today.isoformat()}",
            lambda: coverage_since(Days(today, today)),
        )
    counts = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    wanted = set(region_ids)
    for kind, tag, region_id, count, people in [*kept, *since]:
        by_region = counts[tag]
        if kind < 0 or region_id not in wanted:
            continue
        figures = by_region[region_id]
        figures[kind] += count
        figures[3] += people or 0
    return counts


def coverage_since(since, *, until=None, by_day=False):
    """The coverage's rows [kind, tag, region, count, people] dated from the period `since` on
    (up to the end of `until`); with `by_day`, each row ends with the day it is dated."""
    zero = Value(0, output_field=IntegerField())
    dated = {
        0: TruncDate("published_at", tzinfo=LONDON),
        1: TruncDate("created_at", tzinfo=LONDON),
        2: F("held_on"),
    }
    parts = [
        queryset.order_by()
        .annotate(
            counted=Value(kind, output_field=IntegerField()),
            **({"day_of": dated[kind]} if by_day else {}),
        )
        .values("counted", "syllabus", "region_id", *(["day_of"] if by_day else []))
        .annotate(count=Count("pk"), people=Sum("people_trained") if kind == 2 else zero)
        for kind, queryset in coverage_parts(since=since, until=until)
    ]
    union = parts[0].union(*parts[1:], all=True)
    return [
        [
            row["counted"],
            row["syllabus"],
            row["region_id"],
            row["count"],
            row["people"] or 0,
            *([row["day_of"]] if by_day else []),
        ]
        for row in union
    ]


def coverage_grid(*, region=None):
    """The Patient Safety Syllabus as a grid of domains and levels for a region (or the nation
    when None): what is tagged to each cell, and which cells are gaps. Counts published
    learning, curriculum entries and training sessions; the figures of the other regions are
    used only as the median a region's is compared with. Three queries."""
    tags = list(SyllabusTag.objects.with_names())
    region_ids = list(Region.objects.in_programme_scheme().values_list("pk", flat=True))
    counts = coverage_counts(region_ids)
    grid = Grid(
        region=region,
        domains=sorted({tag.domain for tag in tags}, key=lambda d: d.number),
        levels=sorted({tag.level for tag in tags}, key=lambda lv: lv.number),
    )
    cells = {tag.pk: _cell(tag, counts[tag.pk], region and region.pk, region_ids) for tag in tags}
    for domain in grid.domains:
        grid.rows.append((domain, [cells[tag.pk] for tag in tags if tag.domain_id == domain.pk]))
    return grid


def _cell(tag, by_region, region_id, region_ids):
    if region_id is None:
        figures = [sum(f[i] for f in by_region.values()) for i in range(4)]
    else:
        figures = by_region.get(region_id, [0, 0, 0, 0])
    cell = Cell(tag, *figures)
    if region_id is not None:
        cell.median = statistics.median(
            sum(by_region[rid][:3]) if rid in by_region else 0 for rid in region_ids
        )
    cell.gap = _gap(cell, region_id)
    return cell


def coverage_gaps(counts, region_ids):
    """{region id: how many of the syllabus's cells are gaps there, None: nationally},
    from coverage_counts: no further query."""
    gaps = defaultdict(int)
    for by_region in counts.values():
        for region_id in [*region_ids, None]:
            if _cell(None, by_region, region_id, region_ids).gap:
                gaps[region_id] += 1
    return gaps


def _gap(cell, region_id):
    where = "in the region" if region_id is not None else "anywhere in the programme"
    if cell.records == 0:
        return f"Nothing is tagged to it {where}"
    if cell.median and cell.records < FAR_BELOW_MEDIAN * cell.median:
        return f"Far below the median of the regions ({cell.median:g})"
    return ""


def cell_records(tag, *, region, user):
    """What is tagged to one cell in a region (or the nation): published learning, and the
    curriculum entries and sessions the person may see."""
    learning = LearningItem.objects.published().filter(syllabus=tag).select_related("region")
    entries = entries_for(user).filter(syllabus=tag)
    sessions = sessions_for(user).filter(syllabus=tag)
    if region is not None:
        learning = learning.filter(region=region)
        entries = entries.filter(region=region)
        sessions = sessions.filter(region=region)
    return learning.order_by("-published_at"), entries, sessions


def learning_cited_since(item_ids, since, user):
    """Curriculum entries that began to cite these learning items after `since`, by someone
    else, as news for their authors (learning/news.py). When a citation began is read from
    the entry's history of links, so an entry that cites an item only later still counts.
    An entry outside the person's regions is named but not linked: they cannot open it."""
    from learning.news import Happening

    links = CurriculumEntry.learning_items.through.objects.filter(
        curriculumentry_id=OuterRef("curriculumentry_id"),
        learningitem_id=OuterRef("learningitem_id"),
    )
    # Every saved change of an entry copies its links into its history, so the first copy of
    # a link says when, and by whom, the citation began. Only links still there count.
    copies = (
        apps.get_model("curriculum", "HistoricalCurriculumEntry_learning_items")
        .objects.filter(Exists(links), learningitem_id__in=item_ids)
        .order_by("history__history_date", "pk")
        .values_list(
            "curriculumentry_id", "learningitem_id", "history__history_date",
            "history__history_user_id", "curriculumentry__created_by_id",
        )
    )  # fmt: skip
    first = {}
    for entry_id, item_id, at, by, creator in copies:
        # A change made outside a request (an import, a command) names nobody: its creator's.
        first.setdefault((entry_id, item_id), (at, by or creator))
    cited = [
        (entry_id, item_id, at)
        for (entry_id, item_id), (at, by) in first.items()
        if at > since and by != user.pk
    ]
    if not cited:
        return []
    entries = CurriculumEntry.objects.select_related("organisation").in_bulk(
        {entry_id for entry_id, _item_id, _at in cited}
    )
    scope = user_scope(user)
    found = []
    for entry_id, item_id, at in cited:
        entry = entries[entry_id]
        readable = scope.is_national or entry.region_id in scope.region_ids
        found.append(
            Happening(
                item_id,
                at,
                "cited",
                "Cited in a curriculum entry",
                f"{entry.programme}, {entry.organisation}",
                entry.get_absolute_url() if readable else "",
            )
        )
    return found
