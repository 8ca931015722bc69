"""What happened on each day of the quarter under way before today is counted once and kept
(docs/adr/0047): the dashboards and the coverage add to it what is dated from today on. The
kept and the counted together against a recount of the whole quarter from scratch, for every
region, the whole programme and a PSC's own records, before and after late writes dated earlier
in the quarter, and across midnight."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from curriculum.selectors import (
    COVERAGE_DAY,
    coverage_counts,
    coverage_kept,
    coverage_key,
    coverage_since,
)
from dashboards.selectors import DAY, _count, headline_figures, programme_regions
from dashboards.tasks import keep_closed_periods
from learning.models import LearningItem
from learning.services import learning_item_withdraw
from portal.models import Summary
from portal.quarters import Quarter
from register.models import AdoptionStage
from tests.curriculum import factories as curriculum
from tests.curriculum.factories import tag
from tests.dashboards.test_summaries import from_scratch, scopes
from tests.learning.factories import InvestigationFactory
from tests.quarter_data import Q2, answered, build, london, published
from tests.register.factories import adoption, recommendation
from tests.roles import person_with, region

pytestmark = pytest.mark.django_db

# Midday on 18 November 2026: 2026/27 Q3 is under way, and began seven weeks before.
MIDDAY = london(2026, 11, 18, 12)
TODAY = MIDDAY.date()
YESTERDAY = TODAY - datetime.timedelta(days=1)
Q3 = Quarter(2026, 3)


@pytest.fixture
def mid_quarter():
    with time_machine.travel(MIDDAY, tick=False):
        yield


def happened(fellow, initiative):
    """The quarter's work: on its first day, through it, late yesterday, today and ahead of
    today, in the north and the south."""
    south = person_with(Role.FELLOW, "south")
    first = published(fellow, london(2026, 10, 1, 0, 30), submitted=london(2026, 9, 28, 9))
    first.syllabus.set([tag(1, 1)])
    published(
        fellow,
        london(2026, 11, 17, 23, 30),
        submitted=london(2026, 11, 10, 9),
        kind=LearningItem.Kind.FROM_INVESTIGATION,
    )
    published(south, london(2026, 11, 18, 9), submitted=london(2026, 11, 1), region_slug="south")
    curriculum.session(fellow, held_on=datetime.date(2026, 11, 2), people_trained=6, tags=[(2, 1)])
    curriculum.session(fellow, held_on=TODAY, people_trained=3, tags=[(2, 1)])
    curriculum.session(fellow, held_on=datetime.date(2026, 12, 1), people_trained=4)
    curriculum.support(fellow, held_on=datetime.date(2026, 10, 20), staff_reached=5)
    curriculum.entry(fellow, tags=[(3, 1)], status="proposed", status_on=TODAY)
    answered(
        recommendation(fellow, issued_on=datetime.date(2026, 10, 5)),
        datetime.date(2026, 11, 10),
        fellow,
    )
    with time_machine.travel(london(2026, 11, 3, 10), tick=False):
        InvestigationFactory(created_by=fellow, region=region("north"))
    adoption(
        fellow,
        of=initiative,
        region_slug="south",
        stage=AdoptionStage.CONSIDERING,
        stage_on=datetime.date(2026, 11, 4),
    )


@pytest.fixture
def kept(mid_quarter, fellow):
    happened(fellow, build(fellow))
    regions = programme_regions()
    assert_the_quarter_equals_a_recount(regions)
    return regions


def to_date_rows():
    return Summary.objects.filter(kind__in=[DAY, COVERAGE_DAY])


def days(first, last):
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def assert_the_quarter_equals_a_recount(regions):
    for within, key in scopes():
        counted = _count(Q3, regions, within, key)
        again = from_scratch(Q3, regions, within)
        for each in regions:
            assert counted.of(each) == again.of(each), (key, each)
        assert counted.nation == again.nation, key
    # The coverage grid reads the same kept parts, with what is dated from today on.
    region_ids = [each.pk for each in regions]
    recounted = coverage_counts(
        region_ids, kept=coverage_kept(coverage_key()), since=coverage_since(Q3)
    )
    assert coverage_counts(region_ids) == recounted
    # A home's cards count only some figures: those agree with the dashboard's.
    cards, whole = headline_figures(Q3, regions).nation, _count(Q3, regions).nation
    assert cards.learning == whole.learning and cards.people_trained == whole.people_trained
    for series in ("learning", "people", "adoptions"):
        assert cards.trends[series] == whole.trends[series]


def test_what_happened_before_today_is_kept_once_and_adds_up_to_the_whole_quarter(kept):
    # Kept for each day, for the whole programme and for the PSC's own records.
    rows = to_date_rows()
    assert set(rows.filter(scope="").values_list("kind", "ends_on")) == {
        (kind, day) for kind in (DAY, COVERAGE_DAY) for day in days(Q3.starts_on, YESTERDAY)
    }
    assert rows.filter(scope__startswith="psc-").exists()
    # Not a sum of nothing: both parts hold some of the quarter's figures.
    north = _count(Q3, kept).of(region("north"))
    assert north.learning_total == 2 and north.people_trained == 13
    assert north.support_sessions == 1 and north.trends["answered"][-1] == 1
    assert _count(Q3, kept).of(region("south")).learning_total == 1
    assert _count(Q3, kept).nation.investigations
    made = list(rows.values_list("pk", "made_at"))
    assert_the_quarter_equals_a_recount(kept)
    assert list(to_date_rows().values_list("pk", "made_at")) == made


def late(django_capture_on_commit_callbacks, write):
    with django_capture_on_commit_callbacks(execute=True):
        write()


def test_a_write_dated_today_keeps_what_happened_before_today(
    kept, fellow, django_capture_on_commit_callbacks
):
    made = list(to_date_rows().values_list("pk", "made_at"))
    before = _count(Q3, kept).of(region("north")).people_trained
    late(
        django_capture_on_commit_callbacks,
        lambda: curriculum.session(fellow, held_on=TODAY, people_trained=2, tags=[(1, 1)]),
    )
    assert list(to_date_rows().values_list("pk", "made_at")) == made
    assert _count(Q3, kept).of(region("north")).people_trained == before + 2
    assert_the_quarter_equals_a_recount(kept)


def session_held_last_week(fellow):
    curriculum.session(fellow, held_on=datetime.date(2026, 11, 11), people_trained=9, tags=[(4, 4)])


def answer_dated_back(fellow):
    answered(
        recommendation(fellow, issued_on=datetime.date(2026, 10, 2)),
        datetime.date(2026, 11, 12),
        fellow,
    )


def learning_withdrawn(fellow):
    lead = person_with(Role.REGIONAL_LEAD, "north")
    item = LearningItem.objects.get(published_at=london(2026, 10, 1, 0, 30))
    learning_item_withdraw(item=item, by=lead, reason="Superseded.")


def learning_of_another_kind(fellow):
    item = LearningItem.objects.get(published_at=london(2026, 11, 17, 23, 30))
    item.kind = LearningItem.Kind.BEST_PRACTICE
    item.save()


def tag_added_to_last_weeks_learning(fellow):
    item = LearningItem.objects.get(published_at=london(2026, 10, 1, 0, 30))
    item.syllabus.add(tag(5, 2))


@pytest.mark.parametrize(
    ("write", "dated"),
    [
        (session_held_last_week, datetime.date(2026, 11, 11)),
        (answer_dated_back, datetime.date(2026, 10, 2)),
        (learning_withdrawn, datetime.date(2026, 10, 1)),
        (learning_of_another_kind, datetime.date(2026, 11, 17)),
        (tag_added_to_last_weeks_learning, datetime.date(2026, 10, 1)),
    ],
)
def test_a_write_dated_earlier_in_the_quarter_is_counted_in_it(
    kept, fellow, django_capture_on_commit_callbacks, write, dated
):
    before = _count(Q3, kept)
    earlier = list(to_date_rows().filter(ends_on__lt=dated).values_list("pk", "made_at"))
    late(django_capture_on_commit_callbacks, lambda: write(fellow))
    # The closed quarters and the days before the write's are still kept; the days from it
    # are counted again.
    assert Summary.objects.filter(kind="dashboard-quarter", ends_on=Q2.ends_on).exists()
    assert not to_date_rows().filter(ends_on__gte=dated).exists()
    after = _count(Q3, kept)
    assert after != before
    assert_the_quarter_equals_a_recount(kept)
    kept_before = to_date_rows().filter(ends_on__lt=dated).values_list("pk", "made_at")
    assert list(kept_before) == earlier
    assert to_date_rows().filter(ends_on=YESTERDAY).exists()


def test_the_nightly_task_keeps_each_day_and_forgets_the_quarters_before(fellow):
    with time_machine.travel(MIDDAY, tick=False):
        happened(fellow, build(fellow))
        keep_closed_periods.delay()
        assert set(to_date_rows().values_list("ends_on", flat=True)) == set(
            days(Q3.starts_on, YESTERDAY)
        )
    with time_machine.travel(london(2026, 11, 19, 1, 30), tick=False):
        keep_closed_periods.delay()
        assert set(to_date_rows().values_list("ends_on", flat=True)) == set(
            days(Q3.starts_on, TODAY)
        )
        assert_the_quarter_equals_a_recount(programme_regions())
    with time_machine.travel(london(2027, 1, 2, 1, 30), tick=False):
        keep_closed_periods.delay()
        assert set(to_date_rows().values_list("ends_on", flat=True)) == {datetime.date(2027, 1, 1)}


def test_a_write_dated_before_midnight_and_committed_after_it_is_counted(
    fellow, django_capture_on_commit_callbacks
):
    with time_machine.travel(MIDDAY, tick=False):
        happened(fellow, build(fellow))
    regions = programme_regions()
    late_evening = time_machine.travel(london(2026, 11, 18, 23, 59, 50), tick=False)
    with late_evening, django_capture_on_commit_callbacks() as callbacks:
        curriculum.session(fellow, held_on=TODAY, people_trained=11, tags=[(1, 1)])
    with time_machine.travel(london(2026, 11, 19, 0, 0, 5), tick=False):
        # A page read just after midnight keeps the 18th before the write commits.
        _count(Q3, regions)
        assert to_date_rows().filter(ends_on=TODAY).exists()
        for callback in callbacks:
            callback()
        assert not to_date_rows().filter(ends_on=TODAY).exists()
        assert_the_quarter_equals_a_recount(regions)


def test_the_first_day_of_a_quarter_keeps_nothing_of_it(fellow):
    with time_machine.travel(london(2026, 10, 1, 9), tick=False):
        build(fellow)
        curriculum.session(fellow, held_on=timezone.localdate(), people_trained=3, tags=[(1, 1)])
        regions = programme_regions()
        assert _count(Q3, regions).of(region("north")).people_trained == 3
        assert not to_date_rows().exists()
        assert_the_quarter_equals_a_recount(regions)
