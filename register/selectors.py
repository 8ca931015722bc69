"""Reads for the register: lists with what they show fetched up front, the response-rate
figures and the spread counts aggregated in the database, and an investigation's thread. The
number of queries of each is fixed, however many rows there are."""

import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from fellows.models import Initiative
from learning.models import LearningItem
from portal import counts
from regions.models import Region
from register import backlinks
from register.models import (
    Adoption,
    AdoptionStage,
    Recommendation,
    ResponseStatus,
)
from taxonomy.models import SyllabusTag


def recommendations_for(user):
    return Recommendation.objects.for_user(user).select_related(
        "addressed_to", "region", "owner", "investigation"
    )


def recommendation_detail_for(user):
    return (
        recommendations_for(user)
        .select_related("created_by", "gap")
        .prefetch_related("themes", Prefetch("syllabus", queryset=SyllabusTag.objects.with_names()))
    )


def answers_of(recommendation, user):
    """The learning items and initiatives answering it that the person may see."""
    learning = (
        LearningItem.objects.for_user(user)
        .filter(recommendations_answered=recommendation)
        .order_by("title")
    )
    initiatives = (
        Initiative.objects.for_user(user)
        .filter(recommendations_answered=recommendation)
        .order_by("title")
    )
    return learning, initiatives


def answer_candidates(recommendation, user, text, limit=20):
    """Learning the person may see, and initiatives in their scope, whose title has `text`,
    not yet linked: what they may link as answering it."""
    text = (text or "").strip()
    if not text:
        return [], []
    learning = (
        LearningItem.objects.for_user(user)
        .filter(title__icontains=text)
        .exclude(recommendations_answered=recommendation)
        .exclude(status=LearningItem.Status.WITHDRAWN)
        .select_related("region")
        .order_by("-published_at", "title")[:limit]
    )
    initiatives = (
        Initiative.objects.for_user(user)
        .filter(title__icontains=text)
        .exclude(recommendations_answered=recommendation)
        .select_related("region")
        .order_by("title")[:limit]
    )
    return list(learning), list(initiatives)


# Response rates


@dataclass
class ResponseRate:
    """How one addressed organisation (or one region) has answered what was put to it."""

    key: int
    name: str
    total: int
    answered: int
    on_time: int
    late: int
    unanswered: int
    overdue: int
    median_days: float | None

    @property
    def on_time_percent(self):
        due = self.on_time + self.late
        return round(100 * self.on_time / due) if due else None


RATE_COLUMNS = {
    "name": "Name",
    "total": "Recommendations",
    "answered": "Answered",
    "on_time": "On time",
    "late": "Late",
    "unanswered": "Not yet answered",
    "overdue": "Overdue",
    "median_days": "Median days to respond",
}


class Median(Aggregate):
    """The median of a column, worked out by PostgreSQL (halfway between the middle two)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def response_rates(recommendations, *, by, today=None, sort="total", descending=True):
    """[ResponseRate] for each organisation addressed (by="addressed_to") or each region
    (by="region") in `recommendations`, sorted by `sort` (a key of RATE_COLUMNS): one query
    on PostgreSQL, which works out the medians too; elsewhere a second one reads the days each
    answer took. Reading those days into Python grew with the register (ADR 43)."""
    today = today or timezone.localdate()
    unanswered = Q(status=ResponseStatus.AWAITING)
    in_the_database = connection.vendor == "postgresql"
    rows = (
        recommendations.order_by()
        .values(key=F(f"{by}_id"), name=F(f"{by}__name"))
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=~unanswered),
            on_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(answered_on__gt=F("due_on"))),
            unanswered=Count("pk", filter=unanswered),
            overdue=Count("pk", filter=unanswered & Q(due_on__lt=today)),
            **({"median_days": Median("days_to_respond")} if in_the_database else {}),
        )
    )
    if in_the_database:
        rates = [ResponseRate(**row) for row in rows]
    else:
        days = {}
        for key, value in (
            recommendations.order_by()
            .filter(days_to_respond__isnull=False)
            .values_list(f"{by}_id", "days_to_respond")
        ):
            days.setdefault(key, []).append(value)
        rates = [
            ResponseRate(
                **row,
                median_days=statistics.median(days[row["key"]]) if row["key"] in days else None,
            )
            for row in rows
        ]
    if sort not in RATE_COLUMNS:
        sort = "total"
    # Rows without a value (no median yet) go last whichever way the column is sorted.
    present = [rate for rate in rates if getattr(rate, sort) is not None]
    missing = [rate for rate in rates if getattr(rate, sort) is None]
    present.sort(key=lambda rate: (getattr(rate, sort), rate.name), reverse=descending)
    return present + sorted(missing, key=lambda rate: rate.name)


# Spread


def adoptions_for(user):
    return Adoption.objects.for_user(user).select_related(
        "organisation", "region", "initiative__region", "learning_item__region"
    )


def spread_summary(adoptions):
    """Per region and stage, how many adoptions: {(region name, stage): count}, and the
    regions and stages in order, for a small table under a record."""
    counts = {}
    regions = []
    for row in (
        adoptions.order_by("region__display_order", "region__name")
        .values("region__name", "stage")
        .annotate(count=Count("pk"))
    ):
        if row["region__name"] not in regions:
            regions.append(row["region__name"])
        counts[(row["region__name"], row["stage"])] = row["count"]
    stages = [stage for stage in AdoptionStage if any(key[1] == stage for key in counts)]
    return {
        "regions": regions,
        "stages": stages,
        "rows": [
            (region, [counts.get((region, stage), 0) for stage in stages]) for region in regions
        ],
        "total": sum(counts.values()),
    }


class ReadPerGroup(Coalesce):
    """The first of some subqueries of the grouped columns alone, read once for each group
    rather than for each row grouped: left out of the GROUP BY, the database works it out
    after grouping."""

    def get_group_by_cols(self):
        return []


def widest_reach(adoptions, shown=20):
    """The first `shown` rows of reach_of_what_spread(), each with its origin's name.

    The table groups every adoption in scope, so its rows are kept between writes like any
    count (portal/counts.py). The regions' names are read afresh each time: a region's name
    is not a counted record, and renaming one moves no count on."""
    rows = counts.counted_rows("reach", reach_of_what_spread(adoptions)[:shown])
    names = dict(
        Region.objects.filter(pk__in={row["origin_region_id"] for row in rows}).values_list(
            "pk", "name"
        )
    )
    return [{**row, "origin_name": names.get(row["origin_region_id"], "")} for row in rows]


def reach_of_what_spread(adoptions):
    """For each initiative and learning item in `adoptions`, how many organisations and
    regions took it up, and how many regions beyond the one it came from (its id,
    `origin_region_id`), the widest reach first.

    Counted from the adoptions' own columns, with each title read by its id: joined whole,
    PostgreSQL hashed every learning item to name a few thousand adoptions (ADR 43)."""
    initiative = Initiative.objects.filter(pk=OuterRef("initiative_id")).order_by()
    learning = LearningItem.objects.filter(pk=OuterRef("learning_item_id")).order_by()
    return (
        adoptions.order_by()
        .values("initiative_id", "learning_item_id", "origin_region_id")
        .annotate(
            organisations=Count("organisation", distinct=True),
            regions=Count("region", distinct=True),
            beyond=Count("region", distinct=True, filter=~Q(region=F("origin_region"))),
            title=ReadPerGroup(
                Subquery(initiative.values("title")), Subquery(learning.values("title"))
            ),
        )
        .order_by("-organisations", "-regions", "title", "initiative_id", "learning_item_id")
    )


# The thread of an investigation


@dataclass
class Thread:
    investigation: object
    recommendations: list
    other_learning: list
    adoptions: list
    curriculum_entries: list
    training_sessions: list

    @property
    def people_trained(self):
        return sum(session.people_trained for session in self.training_sessions)

    @property
    def answered_count(self):
        return sum(1 for recommendation in self.recommendations if recommendation.is_answered)

    @property
    def learning(self):
        seen = {}
        for recommendation in self.recommendations:
            for item in recommendation.visible_learning:
                seen[item.pk] = item
        for item in self.other_learning:
            seen[item.pk] = item
        return list(seen.values())

    @property
    def initiatives(self):
        seen = {}
        for recommendation in self.recommendations:
            for initiative in recommendation.visible_initiatives:
                seen[initiative.pk] = initiative
        return list(seen.values())

    @property
    def organisation_count(self):
        return len({adoption.organisation_id for adoption in self.adoptions})

    @property
    def region_count(self):
        return len({adoption.region_id for adoption in self.adoptions})


def investigation_thread(investigation, user):
    """The chain from an investigation: its recommendations with what answers them, the
    learning from it, where that learning and those initiatives were adopted, and the
    curriculum entries and training that carry the recommendations or the learning. Seven
    queries, however long the chain."""
    learning = (
        LearningItem.objects.for_user(user)
        .exclude(status=LearningItem.Status.WITHDRAWN)
        .order_by("title")
    )
    recommendations = list(
        investigation.recommendations.for_user(user)
        .select_related("addressed_to", "owner")
        .prefetch_related(
            Prefetch("answered_by_learning", queryset=learning, to_attr="visible_learning"),
            Prefetch(
                "answered_by_initiatives",
                queryset=Initiative.objects.for_user(user).order_by("title"),
                to_attr="visible_initiatives",
            ),
        )
        .order_by("reference", "pk")
    )
    answering = {item.pk for r in recommendations for item in r.visible_learning}
    other_learning = list(learning.filter(investigations=investigation).exclude(pk__in=answering))
    learning_ids = answering | {item.pk for item in other_learning}
    initiative_ids = {i.pk for r in recommendations for i in r.visible_initiatives}
    adoptions = list(
        Adoption.objects.for_user(user)
        .filter(Q(learning_item__in=learning_ids) | Q(initiative__in=initiative_ids))
        .select_related("organisation", "region", "learning_item", "initiative")
        .order_by("region__display_order", "organisation__name")
    )
    recommendation_ids = [recommendation.pk for recommendation in recommendations]
    entries, sessions = backlinks.carrying_any(recommendation_ids, learning_ids, user)
    return Thread(investigation, recommendations, other_learning, adoptions, entries, sessions)


# What the record pages of the apps below show of the register


def recommendations_answered_by(record, user):
    """The recommendations a learning item or an initiative answers, that the person sees."""
    return record.recommendations_answered.for_user(user).select_related("addressed_to")


def gap_recommendations_of(item, user):
    """The recommendations made from the gap a learning item records, that the person sees."""
    return item.gap_recommendations.for_user(user)


def spread_of(record, user):
    """(adoptions, counts by region and stage) of an initiative or learning item."""
    adoptions = record.adoptions.for_user(user).select_related("organisation", "region")
    return list(adoptions.order_by("region__display_order", "organisation__name")), spread_summary(
        adoptions
    )


def learning_adopted_since(item_ids, since, user):
    """Adoptions of these learning items recorded after `since` by someone else, as news for
    their authors (learning/news.py)."""
    from learning.news import Happening

    adoptions = (
        Adoption.objects.for_user(user)
        .filter(learning_item_id__in=item_ids, created_at__gt=since)
        .exclude(created_by=user)
        .select_related("organisation")
    )
    return [
        Happening(
            adoption.learning_item_id,
            adoption.created_at,
            "adopted",
            "Adopted",
            f"by {adoption.organisation} ({adoption.get_stage_display().lower()})",
            adoption.get_absolute_url(),
        )
        for adoption in adoptions
    ]
