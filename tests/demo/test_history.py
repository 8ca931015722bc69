"""The demo's two years of history: every region has something in each of the last eight
quarters, with the variation real programmes show, so every dashboard, trend and report has
something to show; and the North's month-by-month shift the SPC charts show."""

import io

import pytest
from django.core.management import call_command

from dashboards import control_charts
from dashboards.measures import DAYS_TO_PUBLISH
from dashboards.selectors import dashboard, programme_regions
from demo.history import BACKLOG, QUARTERS, STARTS, history_seed
from demo.months import CHANGED, MONTHS, months_seed
from portal.months import Month
from portal.quarters import Quarter

REGIONS = ["north", "midlands-east", "london-south-east", "south"]


@pytest.fixture(scope="module")
def _seeded_once(module_db):
    with module_db():
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def seeded(_seeded_once, db):
    """The demo, seeded once for the module; what a test changes is undone after it."""


def figures_by_quarter():
    """{region slug: [its figures in each of the last eight quarters, oldest first]}."""
    regions = programme_regions()
    found = {region.slug: [] for region in regions}
    for quarter in Quarter.current().last(QUARTERS):
        dash = dashboard(quarter, regions)
        for region in regions:
            found[region.slug].append(dash.of(region))
    return found


def test_every_region_has_something_in_each_of_the_last_eight_quarters(seeded):
    for slug, quarters in figures_by_quarter().items():
        for index, mine in enumerate(quarters):
            counted = (
                mine.learning_total
                + mine.training_sessions
                + mine.support_sessions
                + sum(mine.investigations.values())
            )
            assert counted > 0, (slug, index)
            assert mine.training_sessions > 0 and mine.support_sessions > 0, (slug, index)


def test_a_year_ago_every_region_published_learning_and_logged_investigations(seeded):
    year_ago = figures_by_quarter()
    for slug in REGIONS:
        mine = year_ago[slug][QUARTERS - 5]
        assert mine.learning_total > 0, slug
        assert sum(mine.investigations.values()) > 0, slug


def test_no_regions_trend_is_flat(seeded):
    dash = dashboard(Quarter.current())
    for region in programme_regions():
        trends = dash.of(region).trends
        for series in ("learning", "people", "answered", "adoptions"):
            assert len(set(trends[series])) > 1, (region.slug, series, trends[series])


def test_one_region_starts_late_and_one_has_a_review_backlog(seeded):
    found = figures_by_quarter()
    ((late, first_quarter),) = STARTS.items()
    assert [mine.learning_total for mine in found[late][:first_quarter]] == [0] * first_quarter
    assert all(mine.learning_total for mine in found[late][first_quarter:])
    ((slow, backlog),) = BACKLOG.items()
    waited = found[slow][backlog + 1].median_days_to_publish
    others = [found[slow][index].median_days_to_publish for index in range(backlog + 1)]
    assert waited > 50 > max(others)


def test_the_spread_of_each_regions_learning_is_credited_to_it(seeded):
    latest = figures_by_quarter()
    for slug in REGIONS:
        assert latest[slug][-1].spread_beyond > 0, slug


def test_seeding_the_history_again_adds_nothing(seeded):
    assert history_seed() == 0


def test_the_norths_time_to_publish_shifts_down_in_month_14_and_the_icons_show_it(seeded):
    north = next(region for region in programme_regions() if region.slug == "north")
    charts = control_charts.region_charts(Quarter.current(), programme_regions(), north)
    chart = next(chart for chart in charts if chart.slug == DAYS_TO_PUBLISH)
    changed = Month.last_complete().last(MONTHS)[CHANGED]
    assert chart.variation.key == "improvement_low"
    assert chart.assurance.key == "hit_and_miss"  # the target of 21 days
    assert chart.summary.startswith(
        f"Special cause improving: {MONTHS - CHANGED} months below the mean since {changed}."
    )


def test_seeding_the_months_again_adds_nothing(seeded):
    assert months_seed() == 0
