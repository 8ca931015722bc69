"""What each figure of a dashboard counts, for one NHS financial quarter, named once.

Every figure is a queryset of the records it counts (`records(key, quarter, region)`), so the
dashboard's number and the list its link opens are the same records. The dashboard counts
them grouped by region in the database (dashboards/selectors.py); the list filters them to
one region and the person's scope. Quarters follow London dates (portal/quarters.py).

A figure "at the end of the quarter" (an initiative's status, an adoption's stage) reads
the record's history up to then. For the quarter under way "the end" is now, and the record as
it stands says the same as the last entry of its history (every change writes both in one
transaction, and a change of stage or status is never dated ahead of today or before the
current one), so that quarter reads the records themselves: a count of the records there are,
not a search of every entry of their histories (docs/adr/0045).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from curriculum.models import (
    CurriculumEntry,
    CurriculumStatusChange,
    StaffSupport,
    TrainingSession,
)
from fellows.models import Initiative, ProgressUpdate
from learning.models import Investigation, LearningItem
from register.models import (
    Adoption,
    AdoptionStage,
    AdoptionStageChange,
    Recommendation,
    origin_region,
)

# The IHI scale in four bands, for the distribution of the latest scores.
IHI_BANDS = [
    ("0.5 to 1.5", Decimal("0.5"), Decimal("1.5")),
    ("2.0 to 2.5", Decimal("2.0"), Decimal("2.5")),
    ("3.0 to 3.5", Decimal("3.0"), Decimal("3.5")),
    ("4.0 to 5.0", Decimal("4.0"), Decimal("5.0")),
]


def as_of(quarter):
    """The last day counted: the quarter's last, or today while it is under way."""
    return min(quarter.ends_on, timezone.localdate())


def cut_off(quarter):
    """The moment "the end of the quarter" is: its end, or now while it is under way."""
    return min(quarter.ends_at, timezone.now())


def under_way(quarter):
    """The quarter has not ended: its figures "at the end" are the records as they stand."""
    return quarter.ends_at > timezone.now()


def last_of(rows, parent, order):
    """The last of `rows` for each `parent`, by the fields in `order` (the last of them
    breaks ties): the rows for which no later row of the same parent exists. Counted over
    many parents, the database answers this with one anti-join rather than a subquery for
    each parent."""
    later, same = Q(), {}
    for name in order:
        later |= Q(**same, **{f"{name}__gt": OuterRef(name)})
        same[name] = OuterRef(name)
    return rows.filter(~Exists(rows.filter(later, **{parent: OuterRef(parent)})))


# Initiatives


def initiative_statuses(quarter):
    """Each initiative's entry in its history as it stood at the end of the quarter: its
    status and region then."""
    history = Initiative.history.model.objects.filter(history_date__lt=cut_off(quarter))
    return last_of(history, "id", ["history_date", "history_id"]).exclude(history_type="-")


def initiatives_now():
    """Every initiative with its status and region now: initiative_statuses() of the quarter
    under way."""
    return Initiative.objects.all()


def initiative_scores_now():
    """Every initiative with its latest IHI score (`score`; None when it has none):
    initiative_scores() of the quarter under way, read an initiative at a time through an
    index rather than by comparing every update with every other."""
    latest = ProgressUpdate.objects.filter(
        initiative=OuterRef("pk"), written_on__lte=timezone.localdate()
    ).order_by("-written_on", "-created_at", "-id")
    return Initiative.objects.annotate(score=Subquery(latest.values("ihi_score")[:1]))


def band_of(score):
    """The index in IHI_BANDS of the band `score` falls in; None for no score."""
    for index, (_label, low, high) in enumerate(IHI_BANDS):
        if score is not None and low <= score <= high:
            return index
    return None


def initiative_scores(quarter):
    """Each initiative's latest progress update by the end of the quarter, with its IHI
    score's band (`band`)."""
    updates = ProgressUpdate.objects.filter(written_on__lte=as_of(quarter))
    band = Case(
        *[
            When(ihi_score__gte=low, ihi_score__lte=high, then=Value(index))
            for index, (_label, low, high) in enumerate(IHI_BANDS)
        ],
        default=Value(None),
    )
    return last_of(updates, "initiative", ["written_on", "created_at", "id"]).annotate(band=band)


# Learning and investigations


def learning_published(quarter):
    return LearningItem.objects.published().filter(
        published_at__gte=quarter.starts_at, published_at__lt=quarter.ends_at
    )


def investigations_logged(quarter):
    return Investigation.objects.filter(
        created_at__gte=quarter.starts_at, created_at__lt=quarter.ends_at
    )


# Recommendations: each one made by the quarter's end is in one of four groups

ON_TIME, LATE, OVERDUE, OPEN = "on_time", "late", "overdue", "open"
RECOMMENDATION_GROUPS = {
    ON_TIME: "Answered on time in the quarter",
    LATE: "Answered late in the quarter",
    OVERDUE: "Overdue at the quarter's end",
    OPEN: "Open, not yet due",
}


def recommendations_grouped(quarter):
    """Recommendations made by the end of the quarter, each with its `group`: answered in
    the quarter on time or late, or (unanswered at the end) overdue or open."""
    end = as_of(quarter)
    answered_in = Q(answered_on__gte=quarter.starts_on, answered_on__lte=end)
    unanswered = Q(answered_on__isnull=True) | Q(answered_on__gt=end)
    group = Case(
        When(answered_in & Q(answered_on__lte=F("due_on")), then=Value(ON_TIME)),
        When(answered_in & Q(due_on__isnull=True), then=Value(ON_TIME)),
        When(answered_in, then=Value(LATE)),
        When(unanswered & Q(due_on__lt=end), then=Value(OVERDUE)),
        When(unanswered, then=Value(OPEN)),
        default=Value(None),
    )
    # Those answered before the quarter are in no group, so they are not read: the quarter
    # reads what is open or answered since it began, not every recommendation ever made.
    return (
        Recommendation.objects.filter(issued_on__lte=end)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gte=quarter.starts_on))
        .annotate(group=group)
    )


# Adoption and spread


def adoptions_begun(quarter):
    """Adoptions whose first stage was recorded in the quarter: the trend's "adoptions begun"."""
    return AdoptionStageChange.objects.filter(
        from_stage="", on__gte=quarter.starts_on, on__lte=quarter.ends_on
    )


def adoption_stages(quarter):
    """Each adoption's last change of stage by the end of the quarter."""
    changes = AdoptionStageChange.objects.filter(on__lte=as_of(quarter))
    return last_of(changes, "adoption", ["on", "at", "id"])


def spread_beyond(quarter):
    """Adoptions, begun by the end of the quarter, of an initiative or a learning item by an
    organisation in another region than the one it came from (`origin`): what spread beyond
    its region, credited to that region."""
    return (
        adoption_stages(quarter)
        .annotate(origin=origin_region("adoption__"))
        .exclude(adoption__region=F("origin"))
    )


def adoptions_now():
    """Every adoption with its stage now: adoption_stages() of the quarter under way."""
    return Adoption.objects.all()


def spread_now():
    """spread_beyond() of the quarter under way: the adoptions by an organisation in another
    region than the one their initiative or learning came from (`origin_region`, kept on the
    adoption: docs/adr/0043)."""
    return Adoption.objects.exclude(region=F("origin_region"))


# Curriculum and training


def curriculum_statuses(quarter):
    """Each curriculum entry's last change of status by the end of the quarter."""
    changes = CurriculumStatusChange.objects.filter(on__lte=as_of(quarter))
    return last_of(changes, "entry", ["on", "at", "id"])


def curriculum_now():
    """Every curriculum entry with its status now: curriculum_statuses() of the quarter under
    way."""
    return CurriculumEntry.objects.all()


def training_held(quarter):
    return TrainingSession.objects.filter(
        held_on__gte=quarter.starts_on, held_on__lte=quarter.ends_on
    )


def support_held(quarter):
    return StaffSupport.objects.filter(held_on__gte=quarter.starts_on, held_on__lte=quarter.ends_on)


# The figures a list can be opened for


@dataclass(frozen=True)
class Figure:
    key: str
    label: str


def figure(key):
    """The Figure named by `key`, or None: "initiatives.active", "ihi.2",
    "learning" (every kind), "learning.best_practice", "recommendations.overdue",
    "adoptions.piloting", "begun" (adoptions begun in the quarter), "spread",
    "curriculum.agreed", "training", "support"."""
    labels = _labels()
    return Figure(key, labels[key]) if key in labels else None


def records(key, quarter, region):
    """The records figure `key` counts in `quarter` in `region`: what the dashboard counts
    there, as a queryset of the records themselves."""
    kind, _, value = key.partition(".")
    if under_way(quarter):
        found = _records_now(kind, value, region)
        if found is not None:
            return found
    if kind == "initiatives":
        rows = initiative_statuses(quarter).filter(status=value, region=region)
        return Initiative.objects.filter(pk__in=rows.values("id"))
    if kind == "ihi":
        rows = initiative_scores(quarter).filter(band=int(value))
        return Initiative.objects.filter(region=region, pk__in=rows.values("initiative"))
    if kind == "learning":
        rows = learning_published(quarter).filter(region=region)
        return rows.filter(kind=value) if value else rows
    if kind == "investigations":
        return investigations_logged(quarter).filter(source=value, region=region)
    if kind == "recommendations":
        return recommendations_grouped(quarter).filter(group=value, region=region)
    if kind == "adoptions":
        rows = adoption_stages(quarter).filter(to_stage=value)
        return Adoption.objects.filter(region=region, pk__in=rows.values("adoption"))
    if kind == "begun":
        rows = adoptions_begun(quarter)
        return Adoption.objects.filter(region=region, pk__in=rows.values("adoption"))
    if kind == "spread":
        rows = spread_beyond(quarter).filter(origin=region.pk)
        return Adoption.objects.filter(pk__in=rows.values("adoption"))
    if kind == "curriculum":
        rows = curriculum_statuses(quarter).filter(to_status=value)
        return CurriculumEntry.objects.filter(region=region, pk__in=rows.values("entry"))
    if kind == "training":
        return training_held(quarter).filter(region=region)
    if kind == "support":
        return support_held(quarter).filter(region=region)
    raise KeyError(key)


def _records_now(kind, value, region):
    """records() of the quarter under way, where it reads the records as they stand."""
    if kind == "initiatives":
        return initiatives_now().filter(status=value, region=region)
    if kind == "ihi":
        _label, low, high = IHI_BANDS[int(value)]
        return initiative_scores_now().filter(region=region, score__gte=low, score__lte=high)
    if kind == "adoptions":
        return adoptions_now().filter(stage=value, region=region)
    if kind == "spread":
        return spread_now().filter(origin_region=region)
    if kind == "curriculum":
        return curriculum_now().filter(status=value, region=region)
    return None


def _labels():
    Entry = CurriculumEntry
    labels = {}
    labels |= {
        f"initiatives.{v}": f"Initiatives {lab.lower()}" for v, lab in Initiative.Status.choices
    }
    labels |= {
        f"ihi.{i}": f"Initiatives with a latest IHI score of {b[0]}"
        for i, b in enumerate(IHI_BANDS)
    }
    labels |= {
        f"learning.{v}": f"Learning published: {lab.lower()}"
        for v, lab in LearningItem.Kind.choices
    }
    labels |= {
        f"investigations.{v}": f"Investigations logged: {lab}"
        for v, lab in Investigation.Source.choices
    }
    labels |= {
        f"recommendations.{k}": f"Recommendations {lab[0].lower()}{lab[1:]}"
        for k, lab in RECOMMENDATION_GROUPS.items()
    }
    labels |= {
        f"adoptions.{v}": f"Adoptions at the stage {lab.lower()}"
        for v, lab in AdoptionStage.choices
    }
    labels |= {
        f"curriculum.{v}": f"Curriculum entries {lab.lower()}" for v, lab in Entry.Status.choices
    }
    labels |= {
        "learning": "Learning published",
        "begun": "Adoptions begun",
        "spread": "Adoptions in other regions of the region's initiatives and learning",
        "training": "Training sessions held",
        "support": "Sessions of support for staff affected by incidents",
    }
    return labels


# For the trend charts: which of a run of quarters a date or a moment falls in


def bucket(field, quarters, *, moments):
    """A CASE giving the index in `quarters` of the quarter `field` falls in."""
    whens = []
    for index, quarter in enumerate(quarters):
        if moments:
            bounds = {f"{field}__gte": quarter.starts_at, f"{field}__lt": quarter.ends_at}
        else:
            bounds = {f"{field}__gte": quarter.starts_on, f"{field}__lte": quarter.ends_on}
        whens.append(When(**bounds, then=Value(index)))
    return Case(*whens, default=Value(None))
