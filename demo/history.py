"""Two years of the demo's history: in every region, in each of the last eight NHS quarters,
learning published, investigations logged with their recommendations and responses, training
held, support for staff affected by incidents, and adoptions of the region's learning in
other regions, so every dashboard figure, trend and report has something to show.

With the variation real programmes show, always the same (no randomness: the demo is the
same for everyone who runs it, counted back from today's quarter):
- London and South East starts late: for its first three quarters only small training
  sessions and support, then its learning and investigations begin;
- the Midlands and East has a review backlog: little is published in one quarter, and the
  next quarter publishes what waited, after long waits (its median days to publish shows it);
- each region's activity rises and falls from quarter to quarter.

Written as the other demo modules are: learning straight to the models with its review
events (no email), the rest through the services, which send none. Idempotent: a region whose
first history item exists is left alone, so running it again adds nothing.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from curriculum.models import StaffSupport, TrainingSession
from curriculum.services import staff_support_create, training_session_create
from demo.content import TRUST_OF_REGION
from learning.models import Investigation, LearningItem, LearningItemEvent
from portal.history import one_history_entry
from portal.quarters import Quarter
from regions.models import Organisation, Region
from register.models import AdoptionStage, RecommendationKind, ResponseStatus
from register.services import (
    adoption_create,
    adoption_stage_change,
    recommendation_create,
    response_record,
)
from taxonomy.models import Profession, SyllabusTag, Theme

QUARTERS = 8  # two years, as the dashboards' trends show
ADOPTION_NOTE = "Heard about it at a regional learning event."
Status = LearningItem.Status
Source = Investigation.Source

# Learning published in each of the eight quarters, oldest first.
PUBLISHED = {
    "north": [2, 3, 2, 4, 3, 2, 3, 2],
    "midlands-east": [3, 2, 3, 1, 5, 2, 3, 2],
    "london-south-east": [0, 0, 0, 1, 2, 2, 3, 2],
    "south": [1, 2, 2, 3, 2, 4, 2, 1],
}
# The quarter (index) whose submissions wait into the next: a review backlog.
BACKLOG = {"midlands-east": 3}
# People trained in the quarter's session.
TRAINED = {
    "north": [18, 24, 30, 22, 40, 28, 35, 20],
    "midlands-east": [30, 26, 42, 15, 38, 45, 33, 28],
    "london-south-east": [6, 8, 10, 18, 24, 30, 36, 26],
    "south": [12, 20, 16, 28, 22, 34, 26, 18],
}
# The first quarter (index) in which the region logs investigations and has learning adopted.
STARTS = {"london-south-east": 3}

TOPICS = [
    ("Safety huddles before the ward round", "A five-minute huddle before the ward round names the patients most at risk that day.", ["safety-culture"]),
    ("Checking insulin doses at the bedside", "A second check at the bedside for every insulin dose stopped wrong-strength errors.", ["medication-safety"]),
    ("Escalating a rising early warning score", "A call script for escalating a rising NEWS2 score gave junior staff the words to ask for help.", ["deterioration-and-sepsis"]),
    ("Falls risk after a move between wards", "Repeating the falls risk assessment after every move between wards found risks the first missed.", ["falls"]),
    ("Structured handover to the night team", "The same five headings at every evening handover meant nothing was lost overnight.", ["handover-and-communication"]),
    ("Peer support in the week after an incident", "A peer supporter's call within a day, and again within a week, for staff affected by incidents.", ["staff-affected-by-incidents"]),
    ("Sepsis screening at triage", "Screening for sepsis at triage started antibiotics sooner for those who needed them.", ["deterioration-and-sepsis"]),
    ("Following up results after discharge", "A named person for every result that comes back after the patient has gone home.", ["diagnostic-error"]),
    ("Human factors in the medicines round", "Fewer interruptions on the medicines round, with a tabard and a quiet zone.", ["human-factors", "medication-safety"]),
    ("Families in patient safety investigations", "A family contact for every investigation, who explains what will happen and when.", ["patient-and-family-involvement"]),
]  # fmt: skip
PLACES = [
    "respiratory ward",
    "acute medical unit",
    "older people's wards",
    "surgical day unit",
    "emergency department",
    "community nursing teams",
    "maternity unit",
    "stroke unit",
]
# Where each region's history happened, so no title repeats another region's.
TOWNS = {
    "north": "Pennine Vale",
    "midlands-east": "Fenland",
    "london-south-east": "Thames Gateway",
    "south": "Solent",
}
KINDS = [
    LearningItem.Kind.BEST_PRACTICE,
    LearningItem.Kind.FROM_INVESTIGATION,
    LearningItem.Kind.STAFF_SUPPORT,
    LearningItem.Kind.GAP,
    LearningItem.Kind.CURRICULUM_CHANGE,
]
# Investigations logged, one a quarter: each source in turn, with the recommendation of the
# kind that source makes.
INVESTIGATIONS = [
    (Source.HSSIB, {}, RecommendationKind.SAFETY_RECOMMENDATION, "hssib"),
    (Source.PSIRF, {"psirf_response_type": "aar"}, RecommendationKind.FINDING, None),
    (Source.PREVENTION_OF_FUTURE_DEATHS, {}, RecommendationKind.PFD_CONCERN, None),
    (Source.LEARNING_FROM_DEATHS, {"sjr_overall_score": 3}, RecommendationKind.FINDING, None),
]
SOURCE_WORDS = {
    Source.HSSIB: "National investigation report",
    Source.PSIRF: "After action review",
    Source.PREVENTION_OF_FUTURE_DEATHS: "Prevention of Future Deaths report",
    Source.LEARNING_FROM_DEATHS: "Structured judgement reviews",
}


def history_seed():
    """Create two years of history in every region that has none; returns how many records."""
    today = timezone.localdate()
    quarters = Quarter.current().last(QUARTERS)
    regions = list(Region.objects.in_programme_scheme().order_by("display_order"))
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    tags = list(SyllabusTag.objects.order_by("domain__number", "level__number"))
    professions = list(Profession.objects.order_by("pk")[:3])
    created = 0
    for region in regions:
        fellow = User.objects.filter(email=f"fellow.{region.slug}@example.org").first()
        lead = User.objects.filter(email=f"lead.{region.slug}@example.org").first()
        trust = Organisation.objects.filter(slug=TRUST_OF_REGION.get(region.slug)).first()
        if fellow is None or lead is None or trust is None or region.slug not in PUBLISHED:
            continue
        if LearningItem.objects.filter(region=region, title=_title(region, 0)).exists() or (
            TrainingSession.objects.filter(region=region, title=_session_title(0)).exists()
        ):
            continue
        others = [other for other in regions if other != region]
        published = []
        made = 0
        for index, quarter in enumerate(quarters):
            days = _days_in(quarter, today)
            # Learning, published in the quarter; a backlog quarter's submissions wait.
            for count in range(PUBLISHED[region.slug][index]):
                on = _day(quarter, days, 10 + 23 * count)
                waited = 6 + 5 * count
                if BACKLOG.get(region.slug) == index - 1:
                    waited = 60 + 9 * count
                item = _learning(region, fellow, lead, made, on, waited, themes, tags)
                published.append(item)
                made += 1
                created += 1
            # Training and support, every quarter from the first.
            created += _training(region, fellow, trust, index, quarter, days, professions, tags)
            created += _support(region, fellow, trust, index, quarter, days)
            if index < STARTS.get(region.slug, 0):
                continue
            created += _investigation(region, fellow, trust, index, quarter, days, today)
            # The region's learning taken up in another region: spread credited to it.
            earlier = [item for item in published if item.published_at.date() < quarter.starts_on]
            if earlier:
                created += _adoption(
                    earlier[index % len(earlier)],
                    fellow,
                    others[index % len(others)],
                    _day(quarter, days, 40),
                    today,
                )
    return created


def _days_in(quarter, today):
    """How many days of the quarter have passed by today (all of them for a past quarter)."""
    last = min(quarter.ends_on, today)
    return (last - quarter.starts_on).days + 1


def _day(quarter, days, offset):
    """A day in the quarter, `offset` days in, kept within what has passed of it."""
    return quarter.starts_on + datetime.timedelta(days=offset % days)


def _title(region, made):
    topic = TOPICS[made % len(TOPICS)][0]
    place = PLACES[(made // len(TOPICS) + made) % len(PLACES)]
    return f"{topic}: {place}, {TOWNS[region.slug]}"


def _session_title(index):
    return f"Patient safety essentials, cohort {index + 1}"


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _learning(region, fellow, lead, made, on, waited, themes, tags):
    _topic, summary, theme_slugs = TOPICS[made % len(TOPICS)]
    item = LearningItem(
        kind=KINDS[made % len(KINDS)],
        title=_title(region, made),
        summary=summary,
        body=f"{summary}\n\n## How to spread it\n\nStart with one team; measure before and after.",
        region=region,
        created_by=fellow,
    )
    with one_history_entry(item, created=True):
        item.save()
        item.authors.set([fellow])
        item.themes.set([themes[slug] for slug in theme_slugs if slug in themes])
        item.syllabus.set(tags[made % len(tags) : made % len(tags) + 1])
    published_at = _at(on, 15)
    submitted_at = published_at - datetime.timedelta(days=waited)
    LearningItemEvent.objects.create(
        item=item, from_status=Status.DRAFT, to_status=Status.SUBMITTED, by=fellow, at=submitted_at
    )
    LearningItemEvent.objects.create(
        item=item,
        from_status=Status.SUBMITTED,
        to_status=Status.PUBLISHED,
        by=lead,
        at=published_at,
    )
    LearningItem.objects.filter(pk=item.pk).update(
        status=Status.PUBLISHED,
        created_at=submitted_at - datetime.timedelta(days=3),
        submitted_at=submitted_at,
        published_at=published_at,
        days_to_publish=LearningItem.days_between(submitted_at, published_at),
    )
    item.refresh_from_db()
    return item


def _training(region, fellow, trust, index, quarter, days, professions, tags):
    training_session_create(
        by=fellow,
        held_on=_day(quarter, days, 30 + 7 * index),
        title=_session_title(index),
        format=list(TrainingSession.Format)[index % len(TrainingSession.Format)],
        professions=professions,
        people_trained=TRAINED[region.slug][index],
        region=region,
        host=trust,
        syllabus=tags[index % len(tags) : index % len(tags) + 1],
    )
    return 1


def _support(region, fellow, trust, index, quarter, days):
    kinds = list(StaffSupport.Kind)
    models = list(StaffSupport.SupportModel)
    staff_support_create(
        by=fellow,
        kind=kinds[index % len(kinds)],
        held_on=_day(quarter, days, 50 + 5 * index),
        organisation=trust,
        staff_reached=4 + (index * 7 + len(region.slug)) % 20,
        support_model=models[index % len(models)],
        notes=f"Support for staff affected by incidents in the {PLACES[index % len(PLACES)]}.",
        region=region,
    )
    return 1


def _investigation(region, fellow, trust, index, quarter, days, today):
    source, extra, kind, addressed_slug = INVESTIGATIONS[index % len(INVESTIGATIONS)]
    logged_on = _day(quarter, days, 20 + 11 * index)
    place = f"{PLACES[index % len(PLACES)]}, {TOWNS[region.slug]}"
    investigation = Investigation(
        source=source,
        title=f"{SOURCE_WORDS[source]}: {TOPICS[index % len(TOPICS)][0].lower()} ({place})",
        summary=f"What the {SOURCE_WORDS[source].lower()} found about "
        f"{TOPICS[index % len(TOPICS)][0].lower()} in the {place}.",
        organisation=Organisation.objects.get(slug="hssib") if source == Source.HSSIB else trust,
        report_url=f"https://example.org/demo-reports/{region.slug}/history-{index + 1}",
        published_on=logged_on,
        region=region,
        created_by=fellow,
        **extra,
    )
    with one_history_entry(investigation, created=True):
        investigation.save()
    logged_at = _at(logged_on, 11)
    Investigation.objects.filter(pk=investigation.pk).update(created_at=logged_at)
    investigation.history.update(history_date=logged_at)
    addressed_to = Organisation.objects.get(slug=addressed_slug) if addressed_slug else trust
    recommendation = recommendation_create(
        by=fellow,
        investigation=investigation,
        kind=kind,
        reference=f"H-{region.slug[:2].upper()}-{index + 1}",
        text=f"Make {TOPICS[index % len(TOPICS)][0].lower()} the usual practice in the {place}.",
        addressed_to=addressed_to,
        owner=fellow,
        region=region,
        issued_on=logged_on,
    )
    # Most are answered, some late; the latest quarters' are still open.
    answered_on = logged_on + datetime.timedelta(days=35 + 25 * (index % 4))
    if answered_on <= today:
        response_record(
            recommendation=recommendation,
            by=fellow,
            status=ResponseStatus.ACCEPTED if index % 3 else ResponseStatus.IMPLEMENTED,
            responded_on=answered_on,
            text="Accepted: the change is planned and its owner named.",
        )
    return 2


def _adoption(item, fellow, where, on, today):
    organisation = Organisation.objects.filter(slug=TRUST_OF_REGION.get(where.slug)).first()
    if organisation is None:
        return 0
    adoption = adoption_create(
        by=fellow,
        learning_item=item,
        organisation=organisation,
        region=where,
        stage=AdoptionStage.CONSIDERING,
        stage_on=on,
        contact_role="Head of patient safety",
        notes=ADOPTION_NOTE,
    )
    piloting_on = on + datetime.timedelta(days=45)
    if piloting_on <= today:
        adoption_stage_change(
            adoption=adoption,
            expected_version=adoption.version,
            by=fellow,
            stage=AdoptionStage.PILOTING,
            on=piloting_on,
        )
    return 1
