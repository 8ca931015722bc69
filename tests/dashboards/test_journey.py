"""Homes and dashboards in a real browser, with the demo accounts and data: the north lead
sees the review queue on their home, opens the region's dashboard, moves to the previous
quarter, opens a trend chart's table and follows a figure to its list; every role's home and
every dashboard page is checked for WCAG 2.2 AA, and works with JavaScript switched off; the
north's SPC charts show the demo's shift with their icons, and their tables open."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from learning.models import LearningItem
from portal.quarters import Quarter
from regions.models import Region
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in


@pytest.fixture
def demo(reference_data, settings):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    call_command("seed_demo", stdout=io.StringIO())


def test_the_north_lead_follows_the_region_from_home_to_a_figures_list(page, demo):
    north = Region.objects.get(slug="north")
    waiting = LearningItem.objects.filter(
        region=north, status=LearningItem.Status.SUBMITTED
    ).count()
    assert waiting, "the demo has learning waiting for the north lead's review"
    sign_in(page, "lead.north@example.org", DEMO_PASSWORD, totp_secret=None)

    review = page.locator("#home-review")
    expect(review).to_contain_text(
        f"{waiting} learning item{'s' if waiting != 1 else ''} waiting for review"
    )
    check_accessibility(page)
    screenshot(page, "home-lead")

    # The menu's Dashboard leads to the lead's region, and is marked as the section they are in.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    current = Quarter.current()
    expect(page.get_by_role("heading", level=1)).to_contain_text("North dashboard")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(current))
    expect(page.get_by_role("navigation", name="Menu").locator("[aria-current]")).to_have_text(
        "Dashboard"
    )
    check_accessibility(page)
    # The charts' axis labels read at 100% zoom: as tall as the smaller body text at least.
    label = page.locator("#chart-learning .portal-chart__axis-label").first
    assert label.evaluate("element => element.getBoundingClientRect().height") >= 14
    screenshot(page, "dashboard-lead")

    page.get_by_role("link", name=re.compile("Previous quarter")).click()
    previous = current.previous()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(previous))
    check_accessibility(page)

    # The chart's numbers, as a table, for those who cannot see the drawing.
    chart = page.locator("#chart-learning")
    table = chart.locator("#table-learning")
    expect(table).to_be_hidden()
    chart.get_by_text("Show the data as a table").click()
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(1 + 8)
    expect(table).to_contain_text(str(previous))
    check_accessibility(page)
    screenshot(page, "dashboard-north-previous")

    # A figure opens the list of what it counts, as many as it says.
    link = page.locator("#figures-learning a").first
    number = link.inner_text().split()[0]
    link.click()
    expect(page.locator("#result-count")).to_have_text(f"{number} in all.")
    expect(page.locator("#figure-records li")).to_have_count(min(int(number), 20))
    check_accessibility(page)


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("fellow.north@example.org", "Your initiatives"),
        ("lead.north@example.org", "Review queue"),
        ("chair.north@example.org", "Your PSC's initiatives"),
        ("admin@example.org", "National dashboard"),
    ],
)
def test_every_roles_home_is_accessible(page, demo, email, heading):
    sign_in(page, email, DEMO_PASSWORD, totp_secret=None)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    check_accessibility(page)
    screenshot(page, f"home-{email.split('@')[0]}")


def test_the_national_dashboard_and_a_figure_list_are_accessible(page, demo):
    sign_in(page, "admin@example.org", DEMO_PASSWORD, totp_secret=None)
    page.goto("/dashboards/england/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("National dashboard")
    check_accessibility(page)
    screenshot(page, "dashboard-england")
    page.goto("/dashboards/south/")
    check_accessibility(page)
    page.locator("#figures-recommendations a").first.click()
    expect(page.locator("#result-count")).to_be_visible()
    check_accessibility(page)


def test_the_dashboard_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "lead.north@example.org", DEMO_PASSWORD, totp_secret=None)
        page.get_by_role("link", name="Open the North dashboard").click()
        page.get_by_role("link", name=re.compile("Previous quarter")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            str(Quarter.current().previous())
        )
        chart = page.locator("#chart-people")
        chart.get_by_text("Show the data as a table").click()
        expect(chart.locator("#table-people")).to_be_visible()
        page.locator("#figures-initiatives a").first.click()
        expect(page.locator("#result-count")).to_be_visible()
    finally:
        context.close()


def test_the_north_leads_spc_charts_show_the_demos_shift_with_icons_and_a_table(page, demo):
    sign_in(page, "lead.north@example.org", DEMO_PASSWORD, totp_secret=None)
    page.goto("/dashboards/north/")
    chart = page.locator("#spc-days_to_publish")
    icons = chart.locator("#spc-days_to_publish-icons")
    expect(icons).to_contain_text("Variation: Special cause improving, low")
    expect(icons).to_contain_text("Assurance: Hit and miss")
    expect(chart.locator("#spc-days_to_publish-summary")).to_contain_text(
        "Special cause improving: 10 months below the mean since"
    )
    expect(page.locator(".portal-spc")).to_have_count(6)
    check_accessibility(page)
    chart.scroll_into_view_if_needed()
    screenshot(page, "dashboard-north-spc")

    table = chart.locator("#spc-days_to_publish-table")
    expect(table).to_be_hidden()
    chart.get_by_text("Show the data").click()
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(1 + 24)
    check_accessibility(page)
    chart.screenshot(path=str(screenshot(page, "dashboard-north-spc").with_name("spc-chart.png")))


def test_the_spc_charts_tables_open_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "admin@example.org", DEMO_PASSWORD, totp_secret=None)
        page.goto("/dashboards/england/")
        chart = page.locator("#spc-published")
        chart.get_by_text("Show the data").click()
        expect(chart.locator("#spc-published-table")).to_be_visible()
    finally:
        context.close()
