"""The closed quarters' kept figures (portal/summaries.py, docs/adr/0042) against a recount
from scratch: for every programme region, for the whole programme and for a PSC's own records,
and for every quarter of the hand-built set (tests/quarter_data.py), before and after late
writes into closed quarters."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import Role
from curriculum.selectors import coverage_counts, coverage_kept, coverage_key, coverage_since
from dashboards import figures
from dashboards import measures as m
from dashboards.monthly import monthly
from dashboards.selectors import _count, assemble, everything, own_rows, programme_regions
from dashboards.tasks import keep_closed_periods
from learning.models import LearningItem
from learning.services import learning_item_withdraw
from portal import summaries
from portal.counts import move_on
from portal.models import Summary
from portal.months import Month
from portal.quarters import Quarter
from register.models import AdoptionStageChange, Recommendation
from reports.sections import Scope
from tests.curriculum import factories as curriculum
from tests.quarter_data import Q1, Q2, Q4_2025, build
from tests.roles import host_psc, person_with, region

pytestmark = pytest.mark.django_db

QUARTERS = [Q4_2025, Q1, Q2, Quarter.current()]


def from_scratch(quarter, regions, within=None):
    """The dashboard with every quarter counted afresh and nothing read from a summary."""
    rows = {q: own_rows(q, within or everything) for q in quarter.last(8)}
    current = Quarter.current()
    coverage = coverage_counts(
        [r.pk for r in regions], kept=coverage_kept(coverage_key()), since=coverage_since(current)
    )
    return assemble(quarter, regions, rows, coverage)


def scopes():
    psc = Scope.of_psc(host_psc("north"))
    return [(None, ""), (psc.records, psc.key)]


def assert_kept_figures_equal_a_recount(regions):
    for quarter in QUARTERS:
        for within, key in scopes():
            kept = _count(quarter, regions, within, key)
            again = from_scratch(quarter, regions, within)
            for each in regions:
                assert kept.of(each) == again.of(each), (quarter, key, each)
            assert kept.nation == again.nation, (quarter, key)


def assert_the_figures_are_the_lists_records(regions):
    """Each region's figures against the records the figure's list opens, counted alone."""
    for quarter in QUARTERS:
        dash = _count(quarter, regions)
        for place in regions:
            mine = dash.of(place)
            assert mine.learning_total == figures.records("learning", quarter, place).count()
            before = figures.records("learning", quarter.previous(), place).count()
            assert mine.learning_total_before == before
            assert mine.training_sessions == figures.records("training", quarter, place).count()
            assert mine.support_sessions == figures.records("support", quarter, place).count()
            assert mine.spread_beyond == figures.records("spread", quarter, place).count()
            for group in figures.RECOMMENDATION_GROUPS:
                counted = figures.records(f"recommendations.{group}", quarter, place).count()
                assert mine.recommendations.get(group, 0) == counted
            for index, q in enumerate(quarter.last(8)):
                published = figures.records("learning", q, place).count()
                assert mine.trends["learning"][index] == published
                begun = figures.records("begun", q, place).count()
                assert mine.trends["adoptions"][index] == begun


@pytest.fixture
def kept(fellow):
    build(fellow)
    person_with(Role.FELLOW, "south")
    regions = programme_regions()
    # Counting every quarter once keeps every closed one.
    assert_kept_figures_equal_a_recount(regions)
    assert Summary.objects.filter(kind="dashboard-quarter", scope="").exists()
    assert Summary.objects.filter(kind="dashboard-quarter", scope="psc-").count() == 0
    assert Summary.objects.filter(scope__startswith="psc-").exists()
    return regions


def test_the_kept_figures_equal_a_recount_for_every_region_psc_and_quarter(kept):
    assert_kept_figures_equal_a_recount(kept)
    assert_the_figures_are_the_lists_records(kept)


def late(django_capture_on_commit_callbacks, write):
    with django_capture_on_commit_callbacks(execute=True):
        write()


def test_a_session_held_in_a_closed_quarter_is_counted_in_it(
    kept, fellow, django_capture_on_commit_callbacks
):
    before = _count(Q1, kept).of(region("north")).people_trained
    late(
        django_capture_on_commit_callbacks,
        lambda: curriculum.session(
            fellow, held_on=datetime.date(2026, 5, 5), people_trained=9, tags=[(4, 4)]
        ),
    )
    # The quarters before it are still kept; it and those after are counted again.
    assert Summary.objects.filter(ends_on=Q4_2025.ends_on).exists()
    assert not Summary.objects.filter(ends_on=Q1.ends_on).exists()
    assert _count(Q1, kept).of(region("north")).people_trained == before + 9
    assert_kept_figures_equal_a_recount(kept)
    assert_the_figures_are_the_lists_records(kept)


def test_learning_moved_to_another_region_moves_its_closed_quarters_figures(
    kept, django_capture_on_commit_callbacks
):
    item = LearningItem.objects.filter(published_at__isnull=False).order_by("published_at")[0]

    def move():
        item.region = region("south")
        item.save()

    late(django_capture_on_commit_callbacks, move)
    assert_kept_figures_equal_a_recount(kept)
    assert_the_figures_are_the_lists_records(kept)


def test_records_deleted_from_closed_quarters_are_no_longer_counted(
    kept, django_capture_on_commit_callbacks
):
    def delete():
        Recommendation.objects.order_by("issued_on", "pk").first().delete()
        AdoptionStageChange.objects.order_by("on", "pk").last().delete()

    late(django_capture_on_commit_callbacks, delete)
    assert_kept_figures_equal_a_recount(kept)
    assert_the_figures_are_the_lists_records(kept)


def test_an_answer_dated_back_into_a_closed_quarter_is_counted_in_it(
    kept, django_capture_on_commit_callbacks
):
    unanswered = Recommendation.objects.filter(answered_on__isnull=True).first()

    def answer():
        unanswered.answered_on = datetime.date(2026, 8, 1)
        unanswered.save()

    late(django_capture_on_commit_callbacks, answer)
    assert _count(Q2, kept).of(region("north")).trends["answered"][-1] == 2
    assert_kept_figures_equal_a_recount(kept)


def test_a_fellow_joining_a_psc_changes_its_own_records_in_closed_quarters(
    kept, django_capture_on_commit_callbacks
):
    south_fellows = RoleAssignment.objects.filter(role=Role.FELLOW, region=region("south"))

    def join():
        assignment = south_fellows.first()
        assignment.psc = host_psc("north")
        assignment.save()

    late(django_capture_on_commit_callbacks, join)
    # The whole programme's figures are kept; the PSC's are counted again.
    assert Summary.objects.filter(scope="").exists()
    assert not Summary.objects.filter(scope__startswith="psc-").exists()
    assert_kept_figures_equal_a_recount(kept)


def test_a_write_dated_today_keeps_every_closed_quarter(
    kept, fellow, django_capture_on_commit_callbacks
):
    rows = Summary.objects.count()
    late(
        django_capture_on_commit_callbacks,
        lambda: curriculum.session(fellow, held_on=timezone.localdate(), tags=[(1, 1)]),
    )
    assert Summary.objects.count() == rows
    assert_kept_figures_equal_a_recount(kept)


def test_the_kept_monthly_series_are_counted_again_after_a_late_write(
    kept, fellow, django_capture_on_commit_callbacks
):
    last = Month.last_complete()
    first = monthly(last, kept, count=12)
    late(
        django_capture_on_commit_callbacks,
        lambda: curriculum.session(fellow, held_on=datetime.date(2026, 5, 5), people_trained=9),
    )
    again = monthly(last, kept, count=12)
    may = last.last(12).index(Month(2026, 5))
    assert again.nation[m.TRAINED][may] == first.nation[m.TRAINED][may] + 9


def test_the_nightly_task_keeps_what_has_closed_and_not_the_quarter_under_way(fellow):
    build(fellow)
    keep_closed_periods.delay()
    current = Quarter.current()
    quarters = Summary.objects.filter(kind="dashboard-quarter", scope="")
    assert set(quarters.values_list("ends_on", flat=True)) == {
        quarter.ends_on for quarter in current.last(8)[:-1]
    }
    assert Summary.objects.filter(kind="coverage", ends_on=current.previous().ends_on).exists()
    assert Summary.objects.filter(kind="months-36", ends_on=Month.last_complete().ends_on).exists()
    # Run again, it counts nothing it has kept.
    made = list(Summary.objects.values_list("pk", "made_at"))
    keep_closed_periods.delay()
    assert list(Summary.objects.values_list("pk", "made_at")) == made


def test_learning_made_in_bulk_into_a_closed_quarter_is_counted_in_it(
    kept, fellow, django_capture_on_commit_callbacks
):
    # As an import makes it (imports/kinds.py): in bulk, which sends no signal.
    item = LearningItem.objects.filter(published_at__isnull=False).order_by("published_at")[0]
    item.pk = item.id = None

    def make():
        (made,) = LearningItem.objects.bulk_create([item])
        summaries.created_in_bulk([made])

    late(django_capture_on_commit_callbacks, make)
    assert_kept_figures_equal_a_recount(kept)
    assert_the_figures_are_the_lists_records(kept)


def test_learning_withdrawn_from_a_closed_quarter_is_no_longer_counted_in_it(
    kept, lead, django_capture_on_commit_callbacks
):
    # A review step is a conditional UPDATE: its event says so.
    item = LearningItem.objects.filter(published_at__isnull=False).order_by("published_at")[0]
    late(
        django_capture_on_commit_callbacks,
        lambda: learning_item_withdraw(item=item, by=lead, reason="Superseded."),
    )
    assert_kept_figures_equal_a_recount(kept)
    assert_the_figures_are_the_lists_records(kept)


def test_summaries_read_while_a_late_write_drops_them_are_neither_kept_nor_cached(db, monkeypatch):
    first, second = (summaries.Key("test-days", "", datetime.date(2026, 1, day)) for day in (1, 2))
    wanted = {first: 1, second: 1}
    summaries.kept({first: 1}, lambda key: [["kept"]])
    read_from_the_database = summaries._read

    def dropped_as_they_are_read(keys):
        # A late write's drop, committed while the summaries are read (summaries.drop_from).
        found = read_from_the_database(keys)
        move_on(summaries.GENERATION)
        Summary.objects.all().delete()
        move_on(summaries.GENERATION)
        return found

    monkeypatch.setattr(summaries, "_read", dropped_as_they_are_read)
    assert summaries.kept(wanted, lambda key: [["counted"]])[first] == [["kept"]]
    monkeypatch.undo()
    assert not Summary.objects.exists()
    # The next reader counts both again: nothing read before the drop was kept in the cache.
    counted = []
    summaries.kept(wanted, lambda key: counted.append(key) or [["again"]])
    assert counted == [first, second]
