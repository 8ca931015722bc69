"""A hand-built set of the north's (and a little of the south's) work across quarter ends:
31 March / 1 April in London time, with its BST edge, and 30 June / 1 July. The dashboards'
and the quarterly reports' tests count it."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from accounts.roles import Role
from curriculum.services import curriculum_status_change
from fellows.models import Initiative, ProgressUpdate
from fellows.services import initiative_update
from learning.models import LearningItem
from portal.quarters import Quarter
from register.models import AdoptionStage, ResponseStatus
from register.services import adoption_stage_change, response_record
from tests.curriculum import factories as curriculum
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.register.factories import a_trust, adoption, recommendation
from tests.roles import person_with, region

LONDON = ZoneInfo("Europe/London")
Q4_2025 = Quarter(2025, 4)  # January to March 2026
Q1 = Quarter(2026, 1)  # April to June 2026
Q2 = Quarter(2026, 2)  # July to September 2026


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


# Just before and just after the financial year's end, in British Summer Time: 23:30 on 31
# March and 00:30 on 1 April, which is 23:30 on 31 March in UTC.
BEFORE_YEAR_END = london(2026, 3, 31, 23, 30)
AFTER_YEAR_END = london(2026, 4, 1, 0, 30)
BEFORE_JULY = london(2026, 6, 30, 23, 59)
AFTER_JULY = london(2026, 7, 1, 0, 0)


def published(
    by, at, *, submitted, kind=LearningItem.Kind.BEST_PRACTICE, region_slug="north", **fields
):
    return LearningItemFactory(
        **fields,
        created_by=by,
        kind=kind,
        region=region(region_slug),
        status=LearningItem.Status.PUBLISHED,
        submitted_at=submitted,
        published_at=at,
        days_to_publish=LearningItem.days_between(submitted, at),
    )


def answered(rec, on, by):
    response_record(
        recommendation=rec, by=by, status=ResponseStatus.ACCEPTED, responded_on=on, text="Agreed."
    )


def build(fellow):
    """The north's records for 2025/26 Q4 to 2026/27 Q2, and one of the south's."""
    south_fellow = person_with(Role.FELLOW, "south")
    # Learning: one each side of the year's end, one each side of 1 July, one in the south,
    # one still a draft.
    published(fellow, BEFORE_YEAR_END, submitted=london(2026, 3, 21, 9))  # 10 days
    published(fellow, AFTER_YEAR_END, submitted=london(2026, 3, 30, 9))  # 2 days
    published(
        fellow,
        BEFORE_JULY,
        submitted=london(2026, 6, 24, 9),
        kind=LearningItem.Kind.FROM_INVESTIGATION,
    )  # 6 days
    published(fellow, AFTER_JULY, submitted=london(2026, 6, 1, 9))
    published(
        south_fellow, london(2026, 5, 5, 12), submitted=london(2026, 5, 1), region_slug="south"
    )
    LearningItemFactory(created_by=fellow)

    # Investigations, logged each side of the year's end.
    for moment in (BEFORE_YEAR_END, AFTER_YEAR_END):
        with time_machine.travel(moment, tick=False):
            InvestigationFactory(created_by=fellow, region=region("north"))

    # Recommendations (HSSIB: due 90 days after they are made).
    on_time = recommendation(fellow, issued_on=datetime.date(2026, 3, 1))  # due 30 May
    answered(on_time, datetime.date(2026, 4, 1), fellow)  # 31 days
    late = recommendation(fellow, issued_on=datetime.date(2026, 1, 1))  # due 1 April
    answered(late, datetime.date(2026, 6, 30), fellow)  # 180 days
    overdue_then_late = recommendation(fellow, issued_on=datetime.date(2026, 1, 1))
    answered(overdue_then_late, datetime.date(2026, 7, 1), fellow)
    recommendation(fellow, issued_on=datetime.date(2026, 6, 1))  # due 30 August, never answered

    # Initiatives: made before the year's end, active from after it, with IHI scores each side.
    with time_machine.travel(BEFORE_YEAR_END, tick=False):
        initiative = InitiativeFactory(
            created_by=fellow, region=region("north"), status=Initiative.Status.PLANNED
        )
        initiative.fellows.add(fellow)
    with time_machine.travel(AFTER_YEAR_END, tick=False):
        initiative.refresh_from_db()
        initiative_update(
            initiative=initiative,
            expected_version=initiative.version,
            status=Initiative.Status.ACTIVE,
        )
    for day, score in ((datetime.date(2026, 3, 31), "1.0"), (datetime.date(2026, 4, 1), "3.0")):
        ProgressUpdate.objects.create(
            initiative=initiative, written_on=day, text="Audit", ihi_score=Decimal(score), by=fellow
        )

    # Adoption: considering from 31 March, piloting from 1 April; and one by a south trust,
    # which is the initiative spreading beyond the north.
    considered = adoption(
        fellow, of=initiative, stage=AdoptionStage.CONSIDERING, stage_on=datetime.date(2026, 3, 31)
    )
    adoption_stage_change(
        adoption=considered,
        expected_version=considered.version,
        by=fellow,
        stage=AdoptionStage.PILOTING,
        on=datetime.date(2026, 4, 1),
    )
    south_trust = a_trust("south-trust", "South Coast Hospitals NHS Trust")
    adoption(
        fellow,
        of=initiative,
        organisation=south_trust,
        region_slug="south",
        stage=AdoptionStage.ADOPTED,
        stage_on=datetime.date(2026, 7, 1),
    )

    # Curriculum: proposed on 30 June, agreed on 1 July. Training and support each side of
    # 1 July and of 1 April.
    entry = curriculum.entry(fellow, status="proposed", status_on=datetime.date(2026, 6, 30))
    curriculum_status_change(
        entry=entry,
        expected_version=entry.version,
        by=fellow,
        status="agreed",
        on=AFTER_JULY.date(),
    )
    curriculum.session(fellow, held_on=datetime.date(2026, 6, 30), people_trained=10)
    curriculum.session(fellow, held_on=datetime.date(2026, 7, 1), people_trained=7)
    curriculum.session(
        south_fellow, region_slug="south", held_on=datetime.date(2026, 5, 1), people_trained=5
    )
    curriculum.support(fellow, held_on=datetime.date(2026, 3, 31), staff_reached=4)
    curriculum.support(fellow, held_on=datetime.date(2026, 4, 1), staff_reached=8)
    return initiative
