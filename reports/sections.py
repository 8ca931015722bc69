"""What a quarterly report holds: a summary of the quarter's figures (the dashboard's own,
from dashboards/selectors.py) and a section of rows for each kind of work, for one PSC, one
region or the nation, in one NHS financial quarter.

Each section's rows come from a queryset read with `.iterator()`, so a report over a year of
national data is written row by row, never held whole in memory; the queries a report takes do
not grow with its rows (prefetching is done in chunks by the iterator).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from curriculum.models import CurriculumEntry, StaffSupport, TrainingSession
from dashboards import figures, presenters
from dashboards.selectors import dashboard, programme_regions
from fellows.models import Initiative, Milestone
from learning.models import Investigation, LearningItem
from register.models import AdoptionStageChange

TEXT, NUMBER, DATE = "text", "number", "date"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = TEXT
    width: int = 20  # in characters, for a spreadsheet


@dataclass
class Section:
    slug: str
    title: str
    columns: list
    rows: object  # a function giving the rows, each a tuple as long as the columns
    note: str = ""


@dataclass(frozen=True)
class Scope:
    """What a report covers: a PSC (its initiatives, and its region's other work), a region,
    or the nation (both None)."""

    region: object = None
    psc: object = None

    @classmethod
    def of_psc(cls, psc):
        return cls(region=psc.primary_region, psc=psc)

    @property
    def name(self):
        if self.psc is not None:
            return f"{self.psc.name}, {self.region}"
        return str(self.region) if self.region is not None else "England"

    def filter(self, queryset, region_field="region"):
        if self.region is None:
            return queryset
        return queryset.filter(**{region_field: self.region})

    def initiatives(self, queryset):
        if self.psc is not None:
            return queryset.filter(host_psc=self.psc)
        return self.filter(queryset)


@dataclass
class Report:
    scope: Scope
    quarter: object
    sections: list = field(default_factory=list)

    def charts(self):
        """The dashboard's trend charts for the scope's region (the nation's)."""
        now = dashboard(self.quarter)
        mine = now.nation if self.scope.region is None else now.of(self.scope.region)
        return presenters.trend_charts(mine, now.nation, now.quarters)


def report(scope, quarter):
    """The report's sections, in order, the summary first."""
    return Report(
        scope,
        quarter,
        [
            _summary(scope, quarter),
            _initiatives(scope, quarter),
            _learning(scope, quarter),
            _investigations(scope, quarter),
            _recommendations(scope, quarter),
            _adoptions(scope, quarter),
            _curriculum(scope, quarter),
            _training(scope, quarter),
            _support(scope, quarter),
        ],
    )


def _summary(scope, quarter):
    """The dashboard's figures for the scope's region (the nation's for a national report),
    beside the previous quarter's and the nation's."""

    def rows():
        regions = programme_regions()
        now, before = dashboard(quarter, regions), dashboard(quarter.previous(), regions)
        if scope.region is None:
            mine, earlier = now.nation, before.nation
        else:
            mine, earlier = now.of(scope.region), before.of(scope.region)
        previous = {
            (section.slug, row.label): row.value
            for section in presenters.sections(earlier, before.nation)
            for row in section.rows
        }
        for section in presenters.sections(mine, now.nation):
            for row in section.rows:
                yield (
                    section.title,
                    row.label,
                    row.value,
                    previous.get((section.slug, row.label)),
                    row.national,
                )

    return Section(
        "summary",
        "Summary",
        [
            Column("Section", width=45),
            Column("Figure", width=50),
            Column(f"{scope.region or 'England'}, {quarter}", NUMBER, 18),
            Column(f"{quarter.previous()}", NUMBER, 14),
            Column("England", NUMBER, 12),
        ],
        rows,
        note="England is the total of the regions; a median is over every region's records.",
    )


def _initiatives(scope, quarter):
    def rows():
        end, start = figures.as_of(quarter), quarter.starts_on
        statuses = figures.initiative_statuses(quarter).filter(id=OuterRef("pk"))
        scores = figures.initiative_scores(quarter).filter(initiative=OuterRef("pk"))
        earlier = figures.initiative_scores(quarter.previous()).filter(initiative=OuterRef("pk"))
        milestones = Milestone.objects.filter(due_on__gte=start, due_on__lte=end)
        initiatives = (
            scope.initiatives(Initiative.objects.all())
            .filter(Exists(statuses))
            .exclude(status__in=[Initiative.Status.PLANNED])
            .annotate(
                status_then=statuses.values("status")[:1],
                score=scores.values("ihi_score")[:1],
                score_before=earlier.values("ihi_score")[:1],
                due=Count("milestones", filter=Q(milestones__in=milestones), distinct=True),
                met=Count(
                    "milestones",
                    filter=Q(milestones__in=milestones, milestones__completed_on__lte=end),
                    distinct=True,
                ),
            )
            .select_related("region", "host_psc__host")
            .order_by("region__display_order", "title", "pk")
        )
        labels = dict(Initiative.Status.choices)
        for initiative in initiatives.iterator(chunk_size=2000):
            change = (
                initiative.score - initiative.score_before
                if initiative.score is not None and initiative.score_before is not None
                else None
            )
            yield (
                initiative.title,
                str(initiative.region),
                str(initiative.host_psc or ""),
                labels.get(initiative.status_then, initiative.status_then),
                initiative.score,
                change,
                initiative.due,
                initiative.met,
                initiative.due - initiative.met,
            )

    return Section(
        "initiatives",
        "Initiatives",
        [
            Column("Initiative", width=50),
            Column("Region", width=22),
            Column("Host PSC", width=30),
            Column("Status at the quarter's end", width=16),
            Column("Latest IHI score", NUMBER, 10),
            Column("Change in the quarter", NUMBER, 10),
            Column("Milestones due", NUMBER, 10),
            Column("Met", NUMBER, 8),
            Column("Missed", NUMBER, 8),
        ],
        rows,
    )


def _learning(scope, quarter):
    def rows():
        items = (
            scope.filter(figures.learning_published(quarter))
            .select_related("region")
            .order_by("published_at", "pk")
        )
        kinds = dict(LearningItem.Kind.choices)
        for item in items.iterator(chunk_size=2000):
            yield (
                item.title,
                kinds.get(item.kind, item.kind),
                str(item.region),
                item.published_at,
                item.days_to_publish,
            )

    return Section(
        "learning",
        "Learning published",
        [
            Column("Title", width=60),
            Column("Type", width=28),
            Column("Region", width=22),
            Column("Published", DATE, 12),
            Column("Days from submission", NUMBER, 10),
        ],
        rows,
    )


def _investigations(scope, quarter):
    def rows():
        logged = (
            scope.filter(figures.investigations_logged(quarter))
            .select_related("region", "organisation")
            .order_by("created_at", "pk")
        )
        sources = dict(Investigation.Source.choices)
        for investigation in logged.iterator(chunk_size=2000):
            yield (
                investigation.title,
                sources.get(investigation.source, investigation.source),
                str(investigation.organisation or ""),
                str(investigation.region),
                investigation.created_at,
            )

    return Section(
        "investigations",
        "Investigations logged",
        [
            Column("Title", width=60),
            Column("Source", width=30),
            Column("Organisation", width=30),
            Column("Region", width=22),
            Column("Logged", DATE, 12),
        ],
        rows,
    )


def _recommendations(scope, quarter):
    order = {figures.OVERDUE: 0, figures.OPEN: 1, figures.LATE: 2, figures.ON_TIME: 3}

    def rows():
        grouped = (
            scope.filter(figures.recommendations_grouped(quarter))
            .exclude(group=None)
            .select_related("region", "addressed_to")
            .order_by("due_on", "pk")
        )
        # Overdue first, then the rest: four passes over the rows of one group each.
        for group in sorted(order, key=order.get):
            label = figures.RECOMMENDATION_GROUPS[group]
            for recommendation in grouped.filter(group=group).iterator(chunk_size=2000):
                yield (
                    recommendation.reference,
                    recommendation.title,
                    str(recommendation.addressed_to),
                    str(recommendation.region),
                    label,
                    recommendation.get_status_display(),
                    recommendation.due_on,
                    recommendation.answered_on,
                    recommendation.days_to_respond,
                )

    return Section(
        "recommendations",
        "Recommendations",
        [
            Column("Reference", width=14),
            Column("Recommendation", width=60),
            Column("Addressed to", width=30),
            Column("Region", width=22),
            Column("In the quarter", width=28),
            Column("Response", width=30),
            Column("Due", DATE, 12),
            Column("First answered", DATE, 12),
            Column("Days to respond", NUMBER, 10),
        ],
        rows,
        note="Overdue recommendations come first.",
    )


def _adoptions(scope, quarter):
    def rows():
        changes = (
            scope.filter(AdoptionStageChange.objects.all(), "adoption__region")
            .filter(on__gte=quarter.starts_on, on__lte=figures.as_of(quarter))
            .select_related(
                "adoption__organisation",
                "adoption__region",
                "adoption__initiative",
                "adoption__learning_item",
            )
            .order_by("on", "pk")
        )
        for change in changes.iterator(chunk_size=2000):
            adoption = change.adoption
            of = adoption.initiative or adoption.learning_item
            yield (
                str(of.title if of else ""),
                str(adoption.organisation),
                str(adoption.region),
                change.get_from_stage_display() if change.from_stage else "Begun",
                change.get_to_stage_display(),
                change.on,
            )

    return Section(
        "adoptions",
        "Adoptions and their changes of stage",
        [
            Column("Initiative or learning", width=50),
            Column("Organisation", width=30),
            Column("Region", width=22),
            Column("From", width=16),
            Column("To", width=16),
            Column("On", DATE, 12),
        ],
        rows,
    )


def _curriculum(scope, quarter):
    def rows():
        changes = (
            scope.filter(figures.curriculum_statuses(quarter), "entry__region")
            .select_related("entry__organisation", "entry__region", "entry__profession")
            .order_by("entry__organisation__name", "entry__programme", "pk")
        )
        labels = dict(CurriculumEntry.Status.choices)
        for change in changes.iterator(chunk_size=2000):
            entry = change.entry
            yield (
                str(entry.organisation),
                entry.programme,
                str(entry.profession),
                str(entry.region),
                labels.get(change.to_status, change.to_status),
                change.on,
                entry.academic_year,
            )

    return Section(
        "curriculum",
        "Curriculum entries",
        [
            Column("University or trust", width=36),
            Column("Programme or module", width=40),
            Column("Profession", width=20),
            Column("Region", width=22),
            Column("Status at the quarter's end", width=16),
            Column("Since", DATE, 12),
            Column("Academic year", width=10),
        ],
        rows,
    )


def _training(scope, quarter):
    def rows():
        sessions = (
            scope.filter(figures.training_held(quarter))
            .select_related("region", "host")
            .prefetch_related(Prefetch("professions"))
            .order_by("held_on", "pk")
        )
        formats = dict(TrainingSession.Format.choices)
        for session in sessions.iterator(chunk_size=2000):
            yield (
                session.title,
                formats.get(session.format, session.format),
                ", ".join(str(p) for p in session.professions.all()),
                str(session.host or ""),
                str(session.region),
                session.held_on,
                session.people_trained,
            )

    return Section(
        "training",
        "Training delivered",
        [
            Column("Title", width=50),
            Column("Format", width=16),
            Column("Professions", width=36),
            Column("Host", width=30),
            Column("Region", width=22),
            Column("Held", DATE, 12),
            Column("People trained", NUMBER, 10),
        ],
        rows,
    )


def _support(scope, quarter):
    def rows():
        held = (
            scope.filter(figures.support_held(quarter))
            .select_related("region", "organisation")
            .order_by("held_on", "pk")
        )
        kinds = dict(StaffSupport.Kind.choices)
        for support in held.iterator(chunk_size=2000):
            yield (
                kinds.get(support.kind, support.kind),
                str(support.organisation),
                str(support.region),
                support.held_on,
                support.staff_reached,
                support.get_support_model_display(),
            )

    return Section(
        "support",
        "Support for staff affected by incidents",
        [
            Column("Kind", width=20),
            Column("Organisation", width=30),
            Column("Region", width=22),
            Column("Held", DATE, 12),
            Column("Staff reached", NUMBER, 10),
            Column("Model", width=24),
        ],
        rows,
    )
