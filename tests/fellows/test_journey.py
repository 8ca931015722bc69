import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.roles import person_with


@pytest.fixture
def fellow(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.FELLOW, "north", email="fellow@example.org", full_name="Alex Morgan")


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_a_fellow_adds_an_initiative_a_milestone_and_a_progress_update(page, fellow):
    sign_in(page, fellow.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Initiatives").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiatives")
    check_accessibility(page)
    screenshot(page, "initiatives-empty-list")

    page.get_by_role("link", name="Add an initiative").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an initiative")
    check_accessibility(page)
    screenshot(page, "initiative-add")
    page.get_by_label("Title").fill("Safer insulin prescribing")
    page.get_by_label("Summary").fill("Spreading an insulin safety bundle across trusts.")
    page.get_by_label("Active").check()
    fill_date(page, "Start date", "1", "4", "2026")
    page.get_by_role("button", name="Save initiative").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Safer insulin prescribing")
    expect(page.locator("#details")).to_contain_text("Alex Morgan")

    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Milestone").fill("Baseline audit")
    fill_date(page, "Due date", "1", "1", "2026")
    page.get_by_role("button", name="Save milestone").click()
    expect(page.locator("#milestone-table")).to_contain_text("Baseline audit")
    expect(page.locator("#milestone-table")).to_contain_text("Overdue")

    page.get_by_role("link", name="Add a progress update").click()
    check_accessibility(page)
    screenshot(page, "progress-update-add")
    fill_date(page, "Date of the update", "15", "5", "2026")
    page.get_by_label("IHI progress score").select_option("2.0")
    page.get_by_label("Update", exact=True).fill("Charter agreed with two trusts.")
    page.get_by_role("button", name="Save update").click()

    page.get_by_role("link", name="Add a progress update").click()
    fill_date(page, "Date of the update", "15", "8", "2026")
    page.get_by_label("IHI progress score").select_option("3.0")
    page.get_by_label("Update", exact=True).fill("First tests of change on two wards.")
    page.get_by_role("button", name="Save update").click()

    expect(page.locator("#scores")).to_contain_text("15 May 2026")
    expect(page.locator("#timeline")).to_contain_text("First tests of change on two wards.")
    check_accessibility(page)
    screenshot(page, "initiative-detail")

    page.get_by_role("button", name=re.compile("Mark complete")).click()
    expect(page.locator("#milestone-table")).to_contain_text("Completed")
    expect(page.locator("#milestone-table")).not_to_contain_text("Overdue")

    page.get_by_role("link", name="Initiatives").first.click()
    expect(page.locator("#initiatives")).to_contain_text("Safer insulin prescribing")
    expect(page.locator("#initiatives")).to_contain_text("3.0")
    check_accessibility(page)
    screenshot(page, "initiatives-list")


def test_a_form_with_errors_is_accessible(page, fellow):
    sign_in(page, fellow.email, DEMO_PASSWORD)
    page.goto("/initiatives/add/")
    page.get_by_label("Summary").fill("Seen in clinic, 943 476 5919.")
    page.get_by_role("button", name="Save initiative").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Remove the NHS number")
    check_accessibility(page)
    screenshot(page, "initiative-add-errors")
