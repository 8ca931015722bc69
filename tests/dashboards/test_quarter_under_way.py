"""The quarter under way reads its statuses, stages and latest scores from the records as they
stand (dashboards/figures.py, docs/adr/0045): the same figures as reading every record's
history up to now, for every region, the whole programme and a PSC's own records, after the
changes of a working day; and the same records as each figure's list."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from curriculum.services import curriculum_status_change
from dashboards import figures, presenters
from dashboards.selectors import (
    _count,
    dashboard,
    everything,
    headline_figures,
    own_rows,
    programme_regions,
)
from fellows.models import Initiative, ProgressUpdate
from fellows.services import initiative_update
from portal.quarters import Quarter
from register.models import AdoptionStage
from register.services import adoption_stage_change
from reports.sections import Scope
from tests.curriculum import factories as curriculum
from tests.fellows.factories import InitiativeFactory
from tests.quarter_data import build
from tests.register.factories import adoption
from tests.roles import host_psc, person_with, region

pytestmark = pytest.mark.django_db

# The figures that read a record's state at the quarter's end.
AT_THE_END = ("initiatives", "ihi", "adoptions", "spread_beyond", "curriculum")


@pytest.fixture
def a_working_day(fellow):
    """The hand-built set, then today's changes: a status, a stage and a score changed, an
    initiative moved to the south, one deleted, new records in the quarter under way. The
    north's PSC hosts the initiatives, so its own records have something in every figure."""
    initiative = build(fellow)
    today = timezone.localdate()
    south = person_with(Role.FELLOW, "south")
    initiative.refresh_from_db()
    initiative_update(
        initiative=initiative,
        expected_version=initiative.version,
        status=Initiative.Status.PAUSED,
        host_psc=host_psc("north"),
    )
    ProgressUpdate.objects.create(
        initiative=initiative, written_on=today, text="Paused", ihi_score=Decimal("2.0"), by=fellow
    )
    moved = InitiativeFactory(created_by=fellow, region=region("north"), host_psc=host_psc("north"))
    ProgressUpdate.objects.create(
        initiative=moved, written_on=today, text="Begun", ihi_score=Decimal("4.5"), by=fellow
    )
    initiative_update(initiative=moved, expected_version=moved.version, region=region("south"))
    InitiativeFactory(created_by=south, region=region("south")).delete()
    taken_up = adoption(
        fellow, of=moved, region_slug="north", stage=AdoptionStage.CONSIDERING, stage_on=today
    )
    adoption_stage_change(
        adoption=taken_up,
        expected_version=taken_up.version,
        by=fellow,
        stage=AdoptionStage.PILOTING,
        on=today,
    )
    entry = curriculum.entry(south, region_slug="south", status="proposed", status_on=today)
    curriculum_status_change(
        entry=entry, expected_version=entry.version, by=south, status="agreed", on=today
    )
    return programme_regions()


def read_from_histories(monkeypatch, quarter, within):
    with monkeypatch.context() as patched:
        patched.setattr(figures, "under_way", lambda quarter: False)
        return own_rows(quarter, within)


def wanted(rows):
    return Counter(
        (part, place, key, count) for part, place, key, _days, count in rows if part in AT_THE_END
    )


@pytest.mark.parametrize("scoped", [False, True])
def test_the_quarter_under_way_counts_what_the_histories_say(a_working_day, monkeypatch, scoped):
    within = Scope.of_psc(host_psc("north")).records if scoped else everything
    quarter = Quarter.current()
    now = own_rows(quarter, within)
    again = read_from_histories(monkeypatch, quarter, within)
    assert wanted(now) == wanted(again)
    # Not a comparison of nothing with nothing: each figure has something to count.
    assert {part for part, *_ in wanted(now)} == set(AT_THE_END)


def test_the_quarter_under_way_does_not_read_the_histories(a_working_day):
    with CaptureQueriesContext(connection) as queries:
        own_rows(Quarter.current())
    (query,) = queries.captured_queries
    parts = query["sql"].split(" UNION ALL ")
    for history in ("fellows_historicalinitiative", "curriculum_curriculumstatuschange"):
        assert history not in query["sql"]
    # The stage changes are read for the adoptions begun in the quarter only.
    changes = [part for part in parts if "register_adoptionstagechange" in part]
    assert len(changes) == 1 and "'begun' AS" in changes[0]


def test_each_figure_of_the_quarter_under_way_is_its_lists_records(a_working_day):
    quarter = Quarter.current()
    dash = _count(quarter, a_working_day)
    for place in a_working_day:
        mine = dash.of(place)
        for status in Initiative.Status.values:
            counted = figures.records(f"initiatives.{status}", quarter, place).count()
            assert mine.initiatives.get(status, 0) == counted
        for band in range(len(figures.IHI_BANDS)):
            assert mine.ihi.get(band, 0) == figures.records(f"ihi.{band}", quarter, place).count()
        for stage in AdoptionStage.values:
            counted = figures.records(f"adoptions.{stage}", quarter, place).count()
            assert mine.adoptions.get(stage, 0) == counted
        for status in ("proposed", "agreed"):
            counted = figures.records(f"curriculum.{status}", quarter, place).count()
            assert mine.curriculum.get(status, 0) == counted
        assert mine.spread_beyond == figures.records("spread", quarter, place).count()
    north, south = dash.of(region("north")), dash.of(region("south"))
    assert north.initiatives[Initiative.Status.PAUSED] == 1
    assert south.ihi[3] == 1  # the moved initiative's 4.5 counts where it is now
    assert north.spread_beyond == 1 and south.spread_beyond == 1


def test_a_score_written_in_the_quarter_under_way_is_the_latest(a_working_day, fellow):
    quarter = Quarter.current()
    initiative = Initiative.objects.get(status=Initiative.Status.PAUSED)
    # Written today for yesterday: the latest by date is still today's 2.0.
    ProgressUpdate.objects.create(
        initiative=initiative,
        written_on=timezone.localdate() - datetime.timedelta(days=1),
        text="Late note",
        ihi_score=Decimal("5.0"),
        by=fellow,
    )
    north = _count(quarter, a_working_day).of(region("north"))
    assert north.ihi == {1: 1}


def test_a_homes_headline_cards_are_the_dashboards_and_count_nothing_else(a_working_day):
    """A home counts only what its headline cards show of the quarter under way
    (selectors.headline_figures); the cards are the dashboard's own."""
    quarter = Quarter.current()
    whole = dashboard(quarter, a_working_day)  # the closed quarters, counted once and kept
    with CaptureQueriesContext(connection) as queries:
        home = headline_figures(quarter, a_working_day)
    for place in a_working_day:
        cards = presenters.headline(home.of(place), home.nation)
        assert cards == presenters.headline(whole.of(place), whole.nation)
    assert presenters.headline(home.nation, home.nation) == presenters.headline(
        whole.nation, whole.nation
    )
    assert any(card.value for card in presenters.headline(home.nation, home.nation))
    read = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("fellows_initiative", "fellows_progressupdate", "syllabus", "staffsupport"):
        assert table not in read
