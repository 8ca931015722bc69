"""In a real browser: a fellow chooses the trust a recommendation is addressed to without
JavaScript (the search step) and with it (the autocomplete); the national team refreshes the
trusts from a newer ODS file. Every page is checked for WCAG 2.2 AA."""

import csv
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from regions.models import Organisation
from regions.ods import SHIPPED_FILE
from register.models import Recommendation
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.roles import person_with

pytestmark = pytest.mark.slow


@pytest.fixture
def fellow(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.FELLOW, "north", full_name="Finn North")


def start_a_recommendation(page, text):
    page.goto("/recommendations/add/")
    page.get_by_label("Recommendation", exact=True).fill(text)
    today = timezone.localdate()
    group = page.get_by_role("group", name="Date made")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))


def test_without_javascript_a_fellow_searches_then_chooses_among_the_trusts_that_match(
    browser, live_server, fellow
):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, fellow.email, DEMO_PASSWORD)
    start_a_recommendation(page, "Agree one escalation route for deteriorating patients.")
    # The page does not list the organisations.
    assert page.locator("option", has_text="Sunderland").count() == 0

    page.get_by_label("Addressed to", exact=True).fill("sunderland")
    page.get_by_role("button", name="Save recommendation").click()

    # Playwright's waiting assertions poll with the page's own scripts, so without JavaScript
    # the page is read as it is: the click above has already waited for it to load. Its
    # accessibility is checked in the next test, where axe can run.
    summary = page.locator(".nhsuk-error-summary").inner_text(timeout=0)
    assert "2 organisations match “sunderland”. Choose one below the box" in summary
    choices = page.get_by_role("group", name="Organisations that match: choose one")
    assert choices.get_by_role("radio").count() == 2
    assert "Closed 31 March 2019." in choices.inner_text(timeout=0)
    # What was typed is all still there.
    assert page.get_by_label("Recommendation", exact=True).input_value(timeout=0) == (
        "Agree one escalation route for deteriorating patients."
    )
    screenshot(page, "organisation-search-step-without-javascript")

    choices.get_by_label("South Tyneside and Sunderland NHS Foundation Trust").check()
    page.get_by_role("button", name="Save recommendation").click()

    assert page.url.endswith(f"/recommendations/{Recommendation.objects.get().pk}/")
    recommendation = Recommendation.objects.get()
    assert recommendation.addressed_to == Organisation.objects.get(ods_code="R0B")
    context.close()


def test_with_javascript_the_box_suggests_trusts_by_name_or_code_closed_ones_marked(page, fellow):
    sign_in(page, fellow.email, DEMO_PASSWORD)
    start_a_recommendation(page, "Agree one escalation route for deteriorating patients.")
    box = page.get_by_label("Addressed to", exact=True)

    # Submitted without picking a suggestion, the words go to the search step, as without
    # JavaScript; the page with the choices passes axe.
    box.press_sequentially("sunderland", delay=20)
    box.press("Escape")
    page.get_by_role("button", name="Save recommendation").click()
    expect(page.get_by_role("group", name="Organisations that match: choose one")).to_be_visible()
    check_accessibility(page)
    box = page.get_by_label("Addressed to", exact=True)
    box.fill("")

    box.press_sequentially("R1C", delay=50)
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option")).to_have_text(
        ["Solent NHS Trust (R1C, closed 30 September 2024)"]
    )
    box.fill("")
    box.press_sequentially("guys tho", delay=50)
    suggestion = suggestions.get_by_role(
        "option", name="Guy's and St Thomas' NHS Foundation Trust (RJ1)"
    )
    expect(suggestion).to_be_visible()
    check_accessibility(page)
    screenshot(page, "organisation-autocomplete")
    suggestion.click()
    page.get_by_role("button", name="Save recommendation").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert Recommendation.objects.get().addressed_to.ods_code == "RJ1"


def test_the_national_team_refreshes_the_trusts_from_a_newer_ods_file(page, settings, tmp_path):
    settings.MFA_REQUIRED = False
    national = person_with(Role.NATIONAL, full_name="Nadia National")
    rows = list(csv.reader(io.StringIO(SHIPPED_FILE.read_text(encoding="utf-8"))))
    for row in rows:
        if row[0] == "RJ1":
            row[1] = "GUY'S AND ST THOMAS' HOSPITALS NHS FOUNDATION TRUST"
        if row[0] == "RX1":
            row[11] = "20260930"
    newer = tmp_path / "etr.csv"
    with open(newer, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)
    sign_in(page, national.email, DEMO_PASSWORD)

    page.goto("/regions/organisations/ods/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Refresh NHS trusts from ODS")
    check_accessibility(page)
    page.get_by_label("The ODS file of NHS trusts").set_input_files(str(newer))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes from etr.csv")
    expect(page.locator("main")).to_contain_text("add 0, rename 1 and close 1")
    check_accessibility(page)
    screenshot(page, "ods-refresh-preview")
    page.get_by_role("button", name="Apply all these changes").click()

    expect(page.locator(".nhsuk-success-summary, .nhsuk-inset-text, main").first).to_contain_text(
        "Organisations refreshed from ODS: 0 added, 1 renamed, 1 closed."
    )
    check_accessibility(page)
    screenshot(page, "ods-refresh-applied")
    guys = Organisation.objects.get(ods_code="RJ1")
    assert guys.name == "Guy's and St Thomas' Hospitals NHS Foundation Trust"
    assert guys.former_names.get().name == "Guy's and St Thomas' NHS Foundation Trust"
