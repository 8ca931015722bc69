"""The SPC charts' monthly series against a recount of a hand-built set (London months, with
the financial year's end in British Summer Time and the 30 June / 1 July quarter end), their
query counts with few and many rows, the charts on the pages (icons, summary, table), and the
targets and rebases the national team sets in the admin."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from dashboards import measures as m
from dashboards.models import Rebase, Target
from dashboards.monthly import monthly
from dashboards.selectors import dashboard, programme_regions
from portal.months import Month
from tests.curriculum import factories as curriculum
from tests.fellows.factories import InitiativeFactory
from tests.quarter_data import Q1, build, london, published
from tests.register.factories import adoption, recommendation
from tests.roles import host_psc, person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

FEBRUARY_TO_JULY = Month(2026, 7)  # with count=6: February to July 2026


@pytest.fixture
def hand_built(fellow):
    return build(fellow)


def series(last=FEBRUARY_TO_JULY, count=6):
    return monthly(last, programme_regions(), count=count)


def test_the_months_are_london_months_across_the_years_end_in_summer_time(hand_built):
    found = series()
    assert [str(month) for month in found.months] == [
        "February 2026", "March 2026", "April 2026", "May 2026", "June 2026", "July 2026",
    ]  # fmt: skip
    north, south = found.of(region("north")), found.of(region("south"))
    # 23:30 on 31 March is March's; 00:30 on 1 April (23:30 on 31 March in UTC) is April's;
    # 23:59 on 30 June is June's and midnight on 1 July July's.
    assert north[m.PUBLISHED] == [0, 1, 1, 0, 1, 1]
    assert south[m.PUBLISHED] == [0, 0, 0, 1, 0, 0]
    assert found.nation[m.PUBLISHED] == [0, 1, 1, 1, 1, 1]


def test_the_median_days_to_publish_are_of_each_months_publications(hand_built):
    north = series().of(region("north"))
    # 21 March to 31 March, 30 March to 1 April, 24 June to 30 June, 1 June to 1 July.
    assert north[m.DAYS_TO_PUBLISH] == [None, 10, 2, None, 6, 30]
    assert series().nation[m.DAYS_TO_PUBLISH] == [None, 10, 2, 4, 6, 30]


def test_responses_on_time_are_a_percentage_of_those_due_in_the_month(hand_built):
    north = series().of(region("north"))
    # Two due on 1 April, answered late (30 June, 1 July); one due 30 May, answered 1 April.
    assert north[m.RESPONDED_ON_TIME] == [None, None, 0.0, 100.0, None, None]


def test_overdue_recommendations_are_counted_at_each_months_end(hand_built):
    north = series().of(region("north"))
    # The two due on 1 April are overdue at the end of April and May; one is answered on
    # 30 June, so at June's end one is left, answered on 1 July.
    assert north[m.OVERDUE] == [0, 0, 2, 2, 1, 0]


def test_people_trained_and_adoptions_fall_in_the_month_of_their_dates(hand_built):
    found = series()
    north, south = found.of(region("north")), found.of(region("south"))
    assert north[m.TRAINED] == [0, 0, 0, 0, 10, 7]
    assert south[m.TRAINED] == [0, 0, 0, 5, 0, 0]
    # An adoption begun on 31 March in the north, one on 1 July by a trust in the south.
    assert north[m.ADOPTIONS] == [0, 1, 0, 0, 0, 0]
    assert south[m.ADOPTIONS] == [0, 0, 0, 0, 0, 1]


def test_a_quarters_months_add_up_to_the_dashboards_figures_for_the_quarter(hand_built):
    found = series()
    north = found.of(region("north"))
    figures = dashboard(Q1).of(region("north"))  # April to June 2026
    assert sum(north[m.PUBLISHED][2:5]) == figures.learning_total
    assert sum(north[m.TRAINED][2:5]) == figures.people_trained


def _rows(fellow, count):
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    for number in range(count):
        day = datetime.date(2026, 1 + number % 6, 1 + number)
        at = london(2026, 1 + number % 6, 1 + number, 12)
        published(fellow, at, submitted=london(2026, 1, 1, 9))
        recommendation(fellow, issued_on=datetime.date(2025, 12, 1 + number))
        curriculum.session(fellow, held_on=day)
        adoption(fellow, of=initiative, stage_on=day)


@pytest.mark.parametrize("rows", [1, 10])
def test_the_series_take_five_queries_however_many_records_there_are_and_are_kept(
    fellow, django_assert_num_queries, rows
):
    _rows(fellow, rows)
    regions = programme_regions()
    cache.clear()
    # The kept series looked for, the five counts, and the series kept: every month has ended.
    with django_assert_num_queries(1 + 5 + 1):
        found = monthly(FEBRUARY_TO_JULY, regions, count=24)
    assert sum(found.nation[m.PUBLISHED]) == rows
    assert sum(found.nation[m.ADOPTIONS]) == rows
    # Counted afresh after a write, the months that have ended are read, not counted again.
    cache.clear()
    with django_assert_num_queries(1):
        again = monthly(FEBRUARY_TO_JULY, regions, count=24)
    assert again.nation == found.nation
    assert again.by_region == found.by_region


# The charts on the pages


def _a_faster_year(fellow):
    """The north's learning over 20 whole months to last month: 12 months taking 20 or 22
    days to publish, then 8 taking 10 or 11: a shift below the mean, where lower is better."""
    months = Month.last_complete().last(20)
    for index, month in enumerate(months):
        days = [20, 22][index % 2] if index < 12 else [10, 11][index % 2]
        at = london(month.year, month.number, 28, 12)
        published(fellow, at, submitted=at - datetime.timedelta(days=days))
    return months


def test_the_regional_dashboard_shows_each_measures_chart_with_its_icons_and_summary(
    client, lead, fellow
):
    months = _a_faster_year(fellow)
    sign_in(client, lead)
    response = client.get(reverse("dashboard", args=["north"]))
    charts = response.context["spc_charts"]
    assert [chart.slug for chart in charts] == list(m.MEASURES)
    days = response.context["spc"][m.DAYS_TO_PUBLISH]
    assert days.variation.key == "improvement_low"
    assert days.assurance is None  # no target set
    assert days.summary.startswith(
        f"Special cause improving: 8 months below the mean since {months[12]}."
    )
    page = response.content.decode()
    assert "Variation:</strong> Special cause improving, low" in page
    assert f'id="spc-{m.DAYS_TO_PUBLISH}-summary">Special cause improving: 8 months' in page


def test_the_charts_table_holds_every_month_with_its_mean_limits_and_signal(client, lead, fellow):
    months = _a_faster_year(fellow)
    sign_in(client, lead)
    chart = client.get(reverse("dashboard", args=["north"])).context["spc"][m.DAYS_TO_PUBLISH]
    assert [row.month for row in chart.rows] == months
    assert [row.value for row in chart.rows[:2]] == ["20 days", "22 days"]
    # Mean (6 * 42 + 4 * 21) / 20 = 16.8.
    assert {row.mean for row in chart.rows} == {"16.8 days"}
    # Moving ranges: eleven of 2, one of 12 (screened out), seven of 1: mean 29 / 18, so the
    # limits are 16.8 +/- 4.29; the 22s are beyond the upper one, and the 20s near it.
    assert chart.rows[0].signal == "Concerning: run on one side of the mean, 2 of 3 near a limit"
    assert chart.rows[1].signal == "Concerning: beyond a limit, run on one side of the mean"
    assert chart.rows[-1].signal == "Improving: beyond a limit, run on one side of the mean"
    page = client.get(reverse("dashboard", args=["north"])).content.decode()
    assert '<span class="nhsuk-details__summary-text">Show the data' in page
    assert f'<th scope="row" class="nhsuk-table__header">{months[-1]}</th>' in page


def test_a_target_gives_the_assurance_icon_and_a_rebase_recalculates_the_limits(
    client, lead, fellow
):
    months = _a_faster_year(fellow)
    national = person_with(Role.NATIONAL)
    Target.objects.create(measure=m.DAYS_TO_PUBLISH, value=30, set_by=national)
    Rebase.objects.create(
        measure=m.DAYS_TO_PUBLISH,
        region=region("north"),
        starts_on=months[12].starts_on,
        reason="Reviews shared between two leads",
        recorded_by=national,
    )
    # England's chart is not rebased by the north's rebase.
    sign_in(client, lead)
    chart = client.get(reverse("dashboard", args=["north"])).context["spc"][m.DAYS_TO_PUBLISH]
    assert chart.assurance.key == "pass"  # the whole process is under 30 days
    assert chart.rebases == [(months[12], "Reviews shared between two leads")]
    assert chart.variation.key == "common_cause"
    assert "Limits recalculated from " + str(months[12]) in chart.summary
    assert "Only 8 months since the limits were set" in chart.summary
    sign_in(client, person_with(Role.NATIONAL))
    england = client.get(reverse("dashboard-national")).context["spc"][m.DAYS_TO_PUBLISH]
    assert england.rebases == []
    assert england.variation.key == "improvement_low"


def test_a_rebase_recorded_with_a_baseline_holds_the_limits_and_the_chart_says_so(
    client, lead, fellow
):
    months = _a_faster_year(fellow)
    Rebase.objects.create(
        measure=m.DAYS_TO_PUBLISH,
        region=region("north"),
        starts_on=months[0].starts_on,
        baseline_months=6,
        reason="The first six months are the baseline",
        recorded_by=person_with(Role.NATIONAL),
    )
    sign_in(client, lead)
    chart = client.get(reverse("dashboard", args=["north"])).context["spc"][m.DAYS_TO_PUBLISH]
    assert chart.result.limits[0].baseline == 6
    assert f"Limits set on the 6 months from {months[0]} and held after them." in chart.summary


def test_homes_carry_each_measures_icons_on_its_card_and_leave_the_charts_to_the_dashboard(
    client, lead
):
    """Homes show the headline cards (docs/adr/0039), whose icons come from the charts of the
    person's region, or England's; the charts themselves are on the dashboard."""
    sign_in(client, lead)
    page = client.get(reverse("home"))
    assert len(page.context["spc"]) == len(m.MEASURES)
    assert {chart.scope for chart in page.context["spc"].values()} == {str(region("north"))}
    assert 'class="portal-chart portal-spc"' not in page.content.decode()
    sign_in(client, person_with(Role.NATIONAL))
    page = client.get(reverse("home"))
    assert [chart.scope for chart in page.context["spc"].values()] == ["England"] * 6


def test_a_chart_with_no_records_says_so(client, lead):
    sign_in(client, lead)
    page = client.get(reverse("dashboard", args=["north"])).content.decode()
    assert f'id="spc-{m.PUBLISHED}-summary">No months to show yet.' in page


# Targets and rebases in the admin


def test_the_national_team_sets_a_target_in_the_admin_with_its_history(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:dashboards_target_add"),
        {"measure": m.RESPONDED_ON_TIME, "value": "90", "reason": "The programme's aim"},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.set_by == admin_user
    admin_client.post(
        reverse("admin:dashboards_target_change", args=[target.pk]),
        {"measure": m.RESPONDED_ON_TIME, "value": "95", "reason": "Raised"},
    )
    history = target.history.order_by("history_date")
    assert [(entry.value, entry.history_user) for entry in history] == [
        (90, admin_user),
        (95, admin_user),
    ]


def test_a_rebase_is_for_a_region_or_a_psc_not_both(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:dashboards_rebase_add"),
        {
            "measure": m.OVERDUE,
            "region": region("north").pk,
            "psc": host_psc("north").pk,
            "starts_on": "2026-05-01",
            "reason": "A new reminder",
        },
    )
    assert response.status_code == 200
    assert "Choose a region or a PSC, not both" in response.content.decode()
    assert not Rebase.objects.exists()
    admin_client.post(
        reverse("admin:dashboards_rebase_add"),
        {
            "measure": m.OVERDUE,
            "region": region("north").pk,
            "starts_on": "2026-05-01",
            "reason": "A new reminder",
        },
    )
    rebase = Rebase.objects.get()
    assert (rebase.recorded_by, rebase.reason) == (admin_user, "A new reminder")


def test_a_rebase_reason_refuses_an_nhs_number(admin_client):
    response = admin_client.post(
        reverse("admin:dashboards_rebase_add"),
        {"measure": m.OVERDUE, "starts_on": "2026-05-01", "reason": "Patient 943 476 5919"},
    )
    assert response.status_code == 200
    assert not Rebase.objects.exists()


def test_a_target_set_after_a_page_was_shown_is_on_the_next_page_and_a_write_leaves_it_kept(
    client, lead, fellow, django_capture_on_commit_callbacks
):
    """The targets and rebases, and the programme's regions, are kept across writes to the
    records counted, until they change themselves (docs/adr/0045)."""
    sign_in(client, lead)
    url = reverse("dashboard", args=["north"])
    assert client.get(url).context["spc"][m.DAYS_TO_PUBLISH].target_set is None
    with django_capture_on_commit_callbacks(execute=True):
        Target.objects.create(
            measure=m.DAYS_TO_PUBLISH, value=30, set_by=person_with(Role.NATIONAL)
        )
    assert client.get(url).context["spc"][m.DAYS_TO_PUBLISH].target_set == 30
    with django_capture_on_commit_callbacks(execute=True):
        curriculum.session(fellow, held_on=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    kept = ("dashboards_target", "dashboards_rebase", "regions_regionscheme", "portal_summary")
    for table in kept:
        assert table not in read
    north = region("north")
    with django_capture_on_commit_callbacks(execute=True):
        north.name = "North of England"
        north.save()
    assert "North of England" in client.get(url).content.decode()
