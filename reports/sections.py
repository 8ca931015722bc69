"""What a quarterly report holds: a summary of the quarter's figures (the dashboard's own,
from dashboards/selectors.py), a section of rows for each kind of work, and the short lists a
board acts on, for one PSC, one region or the nation, in one NHS financial quarter.

Each large section is read as plain rows (`values_list`: only the columns written, no model
instances) with `.iterator()`, so a report over a year of national data is written row by
row, never held whole in memory, at about the speed the database hands the rows over. The
queries a report takes do not grow with its rows.

Every section counts what the summary counts: its rows are the records behind the summary's
figures for the same scope, so a board can check one against the other.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Left
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import Role
from curriculum.models import CurriculumEntry, StaffSupport, TrainingSession
from dashboards import control_charts, figures, presenters
from dashboards.monthly import monthly
from dashboards.selectors import dashboard, programme_regions
from fellows.models import Initiative, Milestone
from learning.models import Investigation, LearningItem
from register.models import AdoptionStage, ResponseStatus

TEXT, NUMBER, DATE = "text", "number", "date"

# Each short list in the PDF shows this many rows; the workbook and the CSVs have every one.
SHORT_LIST = 10
CHUNK = 5000


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = TEXT
    width: int = 20  # in characters, for a spreadsheet


@dataclass
class Section:
    slug: str
    title: str
    sheet: str  # the workbook's sheet name: whole words, at most 31 characters (Excel's limit)
    columns: list
    rows: object  # a function giving the rows, each a tuple as long as the columns
    counts: str = ""  # what the rows are, in a sentence, for the report's notes


@dataclass
class ShortList:
    """One of the lists a board acts on, cut to SHORT_LIST rows, with how many more there are
    and where the full list is."""

    title: str
    columns: list
    rows: list
    total: int
    where: str  # the sheet (and CSV) that holds every one, or "" when the report has none
    counts: str = ""

    @property
    def more(self):
        return max(self.total - len(self.rows), 0)


# What a PSC's report counts, for each kind of record (docs/adr/0035): the initiatives its
# PSC hosts, and what its safety fellows recorded. A fellow belongs to a PSC through a fellow's
# role at it, at any time: what a former fellow recorded while there stays the PSC's.
PSC_MEANS = {
    "initiatives": "initiatives the PSC hosts",
    "records": "records made by the PSC's safety fellows (anyone who has held a fellow's role "
    "at the PSC)",
    "adoptions": "adoptions, anywhere, of the initiatives the PSC hosts and of learning its "
    "safety fellows wrote",
    "training": "sessions recorded by the PSC's safety fellows or hosted by the PSC's own "
    "health innovation network",
}

# The field that places each kind of record in a region, for a region's report.
_REGION_FIELD = {
    "initiative": "region",
    "initiative_history": "region",
    "progress": "initiative__region",
    "learning": "region",
    "investigation": "region",
    "recommendation": "region",
    "adoption": "region",
    "adoption_change": "adoption__region",
    "curriculum_entry": "region",
    "curriculum_change": "entry__region",
    "training": "region",
    "support": "region",
}


@dataclass(frozen=True)
class Scope:
    """What a report covers: a PSC (its own records, with its region beside it for
    comparison), a region, or the nation (both None)."""

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

    @property
    def short_name(self):
        if self.psc is not None:
            return self.psc.name
        return str(self.region) if self.region is not None else "England"

    @property
    def key(self):
        """Names the scope in the cache of the dashboard's figures."""
        return f"psc-{self.psc.pk}" if self.psc is not None else ""

    def records(self, kind, queryset):
        """`queryset` of records of `kind` (dashboards/selectors.py names the kinds) narrowed
        to the scope's own."""
        if self.psc is not None:
            return queryset.filter(self._psc_q(kind))
        if self.region is not None:
            return queryset.filter(**{_REGION_FIELD[kind]: self.region})
        return queryset

    def _psc_q(self, kind):
        psc = self.psc
        fellows = RoleAssignment.objects.filter(role=Role.FELLOW, psc=psc).values("user")
        if kind in ("initiative", "initiative_history"):
            return Q(host_psc=psc)
        if kind == "progress":
            return Q(initiative__host_psc=psc)
        if kind in ("learning", "investigation", "recommendation", "support"):
            return Q(created_by__in=fellows)
        if kind == "adoption":
            return Q(initiative__host_psc=psc) | Q(learning_item__created_by__in=fellows)
        if kind == "adoption_change":
            return Q(adoption__initiative__host_psc=psc) | Q(
                adoption__learning_item__created_by__in=fellows
            )
        if kind == "curriculum_entry":
            return Q(created_by__in=fellows)
        if kind == "curriculum_change":
            return Q(entry__created_by__in=fellows)
        if kind == "training":
            return Q(created_by__in=fellows) | Q(host=psc.host_id)
        raise ValueError(f"No PSC's records of kind {kind!r}")

    def what_it_counts(self):
        """A line for each kind of record: what the report counts as the scope's."""
        if self.psc is not None:
            return [
                ("Initiatives", PSC_MEANS["initiatives"]),
                (
                    "Learning, investigations, recommendations, curriculum entries and support",
                    PSC_MEANS["records"],
                ),
                ("Adoptions", PSC_MEANS["adoptions"]),
                ("Training", PSC_MEANS["training"]),
                (
                    "Syllabus coverage",
                    "counted for regions only; the PSC's region's figure is given",
                ),
            ]
        where = f"in {self.region}" if self.region is not None else "in every region of England"
        return [
            ("Every section", f"records placed {where}"),
            ("Adoptions", f"adoptions by organisations {where}"),
        ]


@dataclass
class Report:
    scope: Scope
    quarter: object
    sections: list = field(default_factory=list)

    def figures(self):
        """(the scope's figures, the previous quarter's, the region's or None, England's):
        the dashboard's own counts."""
        regions = programme_regions()
        now = dashboard(self.quarter, regions)
        before = dashboard(self.quarter.previous(), regions)
        if self.scope.psc is not None:
            mine = dashboard(
                self.quarter, regions, within=self.scope.records, within_key=self.scope.key
            )
            earlier = dashboard(
                self.quarter.previous(), regions, within=self.scope.records,
                within_key=self.scope.key,
            )  # fmt: skip
            return mine.nation, earlier.nation, now.of(self.scope.region), now.nation
        if self.scope.region is not None:
            return now.of(self.scope.region), before.of(self.scope.region), None, now.nation
        return now.nation, before.nation, None, None

    def spc_charts(self):
        """The SPC chart of each measure for the scope, month by month to the quarter's end
        (the dashboards' charts: a PSC's count its own records, as the figures do)."""
        scope, regions = self.scope, programme_regions()
        last = control_charts.last_month(self.quarter)
        settings = control_charts.Settings.read()
        if scope.psc is not None:
            found = monthly(last, regions, within=scope.records, within_key=scope.key)
            values = found.nation
        else:
            found = monthly(last, regions)
            values = found.of(scope.region) if scope.region is not None else found.nation
        return control_charts.spc_charts(
            values,
            found.months,
            settings,
            scope=scope.short_name,
            region=scope.region if scope.psc is None else None,
            psc=scope.psc,
        )

    def headline(self):
        """The dashboard's headline cards for the scope, with England's figure beside each
        (none for England's own report)."""
        mine, _before, _region, nation = self.figures()
        return presenters.headline(mine, nation or mine)

    def short_lists(self, limit=SHORT_LIST):
        return [
            overdue_recommendations(self.scope, self.quarter, limit),
            initiatives_off_track(self.scope, self.quarter, limit),
            learning_waiting(self.scope, limit),
            top_adoptions(self.scope, self.quarter, limit),
        ]


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


# The medians are numbers of days, written as numbers; the dashboard shows them as words.
_MEDIANS = {
    "Median days from submission to publication": "median_days_to_publish",
    "Median days to respond (those answered in the quarter)": "median_days_to_respond",
}
_REGIONS_ONLY = "Gaps in the syllabus coverage grid (of 25 cells)"


def _summary(scope, quarter):
    """The dashboard's figures for the scope beside the previous quarter's, and for a PSC its
    region's, and England's."""
    the_report = Report(scope, quarter)

    def rows():
        mine, earlier, region, nation = the_report.figures()
        nation_or_none = nation or mine
        previous = {
            (section.slug, row.label): row.value
            for section in presenters.sections(earlier, nation_or_none)
            for row in section.rows
        }
        beside = {}
        if region is not None:
            for section in presenters.sections(region, nation):
                beside.update({(section.slug, row.label): row.value for row in section.rows})
        for section in presenters.sections(mine, nation_or_none):
            for row in section.rows:
                key = (section.slug, row.label)
                values = [row.value, previous.get(key)]
                if region is not None:
                    values.append(beside.get(key))
                if nation is not None:
                    values.append(row.national)
                if row.label in _MEDIANS:
                    attribute = _MEDIANS[row.label]
                    sources = (
                        [mine, earlier]
                        + ([region] if region else [])
                        + ([nation] if nation else [])
                    )
                    values = [getattr(source, attribute) for source in sources]
                if row.label == _REGIONS_ONLY and scope.psc is not None:
                    values[0] = values[1] = None
                yield (section.title, row.label, *values)

    columns = [
        Column("Section", width=45),
        Column("Figure", width=50),
        Column(f"{scope.short_name}, {quarter}", NUMBER, 18),
        Column(f"{scope.short_name}, {quarter.previous()}", NUMBER, 18),
    ]
    if scope.psc is not None:
        columns.append(Column(f"{scope.region}, {quarter}", NUMBER, 18))
    if scope.region is not None:
        columns.append(Column(f"England, {quarter}", NUMBER, 14))
    return Section(
        "summary",
        "Summary",
        "Summary",
        columns,
        rows,
        counts=(
            "The dashboard's figures. Medians are numbers of days. England is the total of "
            "the regions; its medians are over every region's records."
        ),
    )


def _initiatives_annotated(scope, quarter):
    end, start = figures.as_of(quarter), quarter.starts_on
    statuses = figures.initiative_statuses(quarter).filter(id=OuterRef("pk"))
    scores = figures.initiative_scores(quarter).filter(initiative=OuterRef("pk"))
    earlier = figures.initiative_scores(quarter.previous()).filter(initiative=OuterRef("pk"))
    milestones = Milestone.objects.filter(due_on__gte=start, due_on__lte=end)
    # Placed by the history at the quarter's end (region, host PSC), as the summary counts.
    return Initiative.objects.filter(
        Exists(scope.records("initiative_history", statuses))
    ).annotate(
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


def _change(score, before):
    return score - before if score is not None and before is not None else None


def _initiatives(scope, quarter):
    labels = dict(Initiative.Status.choices)

    def rows():
        initiatives = (
            _initiatives_annotated(scope, quarter)
            .order_by("region__display_order", "title", "pk")
            .values_list(
                "title", "region__name", "host_psc__host__name", "status_then", "score",
                "score_before", "due", "met",
            )
        )  # fmt: skip
        for title, region, psc, status, score, before, due, met in initiatives.iterator(CHUNK):
            yield (
                title, region, psc or "", labels.get(status, status), score,
                _change(score, before), due, met, due - met,
            )  # fmt: skip

    return Section(
        "initiatives",
        "Initiatives",
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
        counts="Every initiative that existed at the quarter's end, planned ones included.",
    )


def learning_rows(scope, quarter):
    """The learning section's rows as the database gives them: title, kind, region, when
    published, days from submission (the benchmark reads the same query)."""
    return (
        scope.records("learning", figures.learning_published(quarter))
        .order_by("published_at", "pk")
        .values_list("title", "kind", "region__name", "published_at", "days_to_publish")
    )


def _learning(scope, quarter):
    kinds = dict(LearningItem.Kind.choices)

    def rows():
        for title, kind, region, published, days in learning_rows(scope, quarter).iterator(CHUNK):
            yield title, kinds.get(kind, kind), region, published, days

    return Section(
        "learning",
        "Learning published",
        "Learning published",
        [
            Column("Title", width=60),
            Column("Type", width=28),
            Column("Region", width=22),
            Column("Published", DATE, 12),
            Column("Days from submission", NUMBER, 10),
        ],
        rows,
        counts="Learning items published in the quarter.",
    )


def _investigations(scope, quarter):
    sources = dict(Investigation.Source.choices)

    def rows():
        logged = (
            scope.records("investigation", figures.investigations_logged(quarter))
            .order_by("created_at", "pk")
            .values_list("title", "source", "organisation__name", "region__name", "created_at")
        )
        for title, source, organisation, region, created in logged.iterator(CHUNK):
            yield title, sources.get(source, source), organisation or "", region, created

    return Section(
        "investigations",
        "Investigations logged",
        "Investigations logged",
        [
            Column("Title", width=60),
            Column("Source", width=30),
            Column("Organisation", width=30),
            Column("Region", width=22),
            Column("Logged", DATE, 12),
        ],
        rows,
        counts="Investigations logged in the quarter.",
    )


_GROUP_ORDER = [figures.OVERDUE, figures.OPEN, figures.LATE, figures.ON_TIME]


def _opening(reference, text):
    """A recommendation's reference and opening words, as its lists name it."""
    opening = text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + "..."
    return f"{reference}: {opening}" if reference else opening


def _recommendations_grouped(scope, quarter):
    return (
        scope.records("recommendation", figures.recommendations_grouped(quarter))
        .exclude(group=None)
        .annotate(
            # Overdue first, then open, late and on time: one pass over the rows.
            group_order=Case(
                *[When(group=g, then=Value(n)) for n, g in enumerate(_GROUP_ORDER)],
                output_field=IntegerField(),
            ),
            opening=Left("text", 91),
        )
    )


def _recommendations(scope, quarter):
    statuses = dict(ResponseStatus.choices)

    def rows():
        grouped = (
            _recommendations_grouped(scope, quarter)
            .order_by("group_order", "due_on", "pk")
            .values_list(
                "reference", "opening", "addressed_to__name", "region__name", "group", "status",
                "due_on", "answered_on", "days_to_respond",
            )
        )  # fmt: skip
        for reference, opening, to, region, group, status, due, answered, days in grouped.iterator(
            CHUNK
        ):
            yield (
                reference, _opening(reference, opening), to or "", region,
                figures.RECOMMENDATION_GROUPS[group], statuses.get(status, status), due,
                answered, days,
            )  # fmt: skip

    return Section(
        "recommendations",
        "Recommendations",
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
        counts=(
            "Recommendations overdue or open at the quarter's end, or answered in it; overdue "
            "ones first. Those answered before the quarter are left out."
        ),
    )


def _adoption_stages(scope, quarter):
    return scope.records("adoption_change", figures.adoption_stages(quarter))


def _adoptions(scope, quarter):
    stages = dict(AdoptionStage.choices)
    start = quarter.starts_on

    def rows():
        changes = (
            _adoption_stages(scope, quarter)
            .order_by("-on", "-at", "-pk")
            .values_list(
                "adoption__initiative__title", "adoption__learning_item__title",
                "adoption__organisation__name", "adoption__region__name", "from_stage",
                "to_stage", "on",
            )
        )  # fmt: skip
        for initiative, learning, organisation, region, before, stage, on in changes.iterator(
            CHUNK
        ):
            changed = on >= start
            yield (
                initiative or learning or "", organisation, region, stages.get(stage, stage), on,
                (stages.get(before, before) if before else "Begun") if changed else "",
            )  # fmt: skip

    return Section(
        "adoptions",
        "Adoptions by stage at the quarter's end",
        "Adoptions",
        [
            Column("Initiative or learning", width=50),
            Column("Organisation", width=30),
            Column("Region", width=22),
            Column("Stage at the quarter's end", width=16),
            Column("Since", DATE, 12),
            Column("Moved in the quarter from", width=16),
        ],
        rows,
        counts=(
            "Every adoption begun by the quarter's end, at its stage then (as the summary "
            "counts them), the latest change first; those that moved in the quarter say from "
            "which stage."
        ),
    )


def _curriculum(scope, quarter):
    labels = dict(CurriculumEntry.Status.choices)

    def rows():
        changes = (
            scope.records("curriculum_change", figures.curriculum_statuses(quarter))
            .order_by("entry__organisation__name", "entry__programme", "pk")
            .values_list(
                "entry__organisation__name", "entry__programme", "entry__profession__name",
                "entry__region__name", "to_status", "on", "entry__academic_year",
            )
        )  # fmt: skip
        for organisation, programme, profession, region, status, on, year in changes.iterator(
            CHUNK
        ):
            yield (
                organisation, programme, profession or "", region, labels.get(status, status),
                on, year,
            )  # fmt: skip

    return Section(
        "curriculum",
        "Curriculum entries",
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
        counts="Every curriculum entry at its status at the quarter's end.",
    )


def _training(scope, quarter):
    def rows():
        # Few rows (a session a week in a busy region): read as records, for the professions.
        sessions = (
            scope.records("training", figures.training_held(quarter))
            .select_related("region", "host")
            .prefetch_related("professions")
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
        counts="Training sessions held in the quarter.",
    )


def _support(scope, quarter):
    kinds = dict(StaffSupport.Kind.choices)
    models = dict(StaffSupport._meta.get_field("support_model").choices or [])

    def rows():
        held = (
            scope.records("support", figures.support_held(quarter))
            .order_by("held_on", "pk")
            .values_list(
                "kind", "organisation__name", "region__name", "held_on", "staff_reached",
                "support_model",
            )
        )  # fmt: skip
        for kind, organisation, region, on, reached, model in held.iterator(CHUNK):
            yield (
                kinds.get(kind, kind), organisation or "", region, on, reached,
                models.get(model, model),
            )  # fmt: skip

    return Section(
        "support",
        "Support for staff affected by incidents",
        "Staff support",
        [
            Column("Kind", width=20),
            Column("Organisation", width=30),
            Column("Region", width=22),
            Column("Held", DATE, 12),
            Column("Staff reached", NUMBER, 10),
            Column("Model", width=24),
        ],
        rows,
        counts="Sessions of support for staff affected by incidents held in the quarter.",
    )


# The short lists a board acts on: each read with a LIMIT and a count, so the PDF takes the
# same time and pages however many records there are.


def overdue_recommendations(scope, quarter, limit=SHORT_LIST):
    overdue = _recommendations_grouped(scope, quarter).filter(group=figures.OVERDUE)
    rows = [
        (_opening(reference, opening), to or "", due)
        for reference, opening, to, due in overdue.order_by("due_on", "pk").values_list(
            "reference", "opening", "addressed_to__name", "due_on"
        )[:limit]
    ]
    return ShortList(
        "Recommendations overdue at the quarter's end",
        [
            Column("Recommendation", width=60),
            Column("Addressed to", width=30),
            Column("Due", DATE, 12),
        ],  # fmt: skip
        rows,
        overdue.count(),
        "Recommendations",
        "Unanswered at the quarter's end and past their due date; the longest overdue first.",
    )


def initiatives_off_track(scope, quarter, limit=SHORT_LIST):
    """Initiatives paused or stopped at the quarter's end, with milestones due in the quarter
    not met by its end, or with an IHI score lower than at the previous quarter's end. Each
    condition is a set of ids read on its own, so only the rows shown are annotated."""
    end, start = figures.as_of(quarter), quarter.starts_on
    statuses = scope.records("initiative_history", figures.initiative_statuses(quarter))
    stopped = statuses.filter(status__in=[Initiative.Status.PAUSED, Initiative.Status.STOPPED])
    missed = Milestone.objects.filter(due_on__gte=start, due_on__lte=end).exclude(
        completed_on__lte=end
    )
    before = figures.initiative_scores(quarter.previous()).filter(initiative=OuterRef("initiative"))
    fell = figures.initiative_scores(quarter).filter(
        ihi_score__lt=Subquery(before.values("ihi_score")[:1])
    )
    off = Initiative.objects.filter(pk__in=statuses.values("id")).filter(
        Q(pk__in=stopped.values("id"))
        | Q(pk__in=missed.values("initiative"))
        | Q(pk__in=fell.values("initiative"))
    )
    shown = list(off.order_by("title", "pk").values_list("pk", flat=True)[:limit])
    labels = dict(Initiative.Status.choices)
    rows = []
    for title, status, score, before_score, due, met in (
        _initiatives_annotated(scope, quarter)
        .filter(pk__in=shown)
        .order_by("title", "pk")
        .values_list("title", "status_then", "score", "score_before", "due", "met")
    ):
        reasons = []
        if status in (Initiative.Status.PAUSED, Initiative.Status.STOPPED):
            reasons.append(labels[status])
        if due > met:
            reasons.append(f"{plural(due - met, 'milestone')} of {due} missed")
        change = _change(score, before_score)
        if change is not None and change < 0:
            reasons.append(f"IHI score fell by {-change:g}")
        rows.append((title, "; ".join(reasons), score))
    return ShortList(
        "Initiatives off track",
        [
            Column("Initiative", width=50),
            Column("Why", width=40),
            Column("Latest IHI score", NUMBER, 10),
        ],  # fmt: skip
        rows,
        off.count(),
        "Initiatives",
        "Paused or stopped at the quarter's end, with milestones due in the quarter not met, "
        "or with a lower IHI score than at the previous quarter's end; by title.",
    )


def learning_waiting(scope, limit=SHORT_LIST):
    """Learning submitted for review and not yet reviewed, today: the longest waiting first."""
    waiting = scope.records("learning", LearningItem.objects.awaiting_review())
    today = timezone.localdate()
    rows = [
        (title, region, submitted, (today - timezone.localdate(submitted)).days)
        for title, region, submitted in waiting.order_by("submitted_at", "pk").values_list(
            "title", "region__name", "submitted_at"
        )[:limit]
        if submitted is not None
    ]
    return ShortList(
        "Learning waiting longest for review",
        [
            Column("Title", width=60),
            Column("Region", width=22),
            Column("Submitted", DATE, 12),
            Column("Days waiting", NUMBER, 10),
        ],  # fmt: skip
        rows,
        waiting.count(),
        "",
        f"Learning submitted for review and not yet reviewed on {today:%-d %B %Y}.",
    )


def top_adoptions(scope, quarter, limit=SHORT_LIST):
    """What was taken up most: the initiatives and learning with the most adoptions at the
    quarter's end (the summary's adoptions, grouped by what was adopted)."""
    stages = _adoption_stages(scope, quarter)
    late = [AdoptionStage.ADOPTED, AdoptionStage.EMBEDDED]
    grouped = (
        stages.order_by()
        .values("adoption__initiative", "adoption__learning_item")
        .annotate(
            adoptions=Count("pk"),
            adopted=Count("pk", filter=Q(to_stage__in=late)),
            moved=Count("pk", filter=Q(on__gte=quarter.starts_on)),
        )
    )
    rows = []
    for row in grouped.order_by("-adoptions", "-adopted", "adoption__initiative__title",
                                "adoption__learning_item__title").values_list(
        "adoption__initiative__title", "adoption__learning_item__title", "adoptions", "adopted",
        "moved",
    )[:limit]:  # fmt: skip
        initiative, learning, adoptions, adopted, moved = row
        rows.append((initiative or learning or "", adoptions, adopted, moved))
    return ShortList(
        "Most adopted initiatives and learning",
        [
            Column("Initiative or learning", width=50),
            Column("Adoptions", NUMBER, 10),
            Column("Adopted or embedded", NUMBER, 10),
            Column("Moved in the quarter", NUMBER, 10),
        ],  # fmt: skip
        rows,
        grouped.count(),
        "Adoptions",
        "Every adoption begun by the quarter's end, grouped by what was adopted; the most "
        "adopted first. The summary's adoptions are the same records.",
    )


def plural(count, word, many=None):
    """ "1 day", "2 days": a count with its noun."""
    return f"{count:g} {word if count == 1 else many or word + 's'}"
