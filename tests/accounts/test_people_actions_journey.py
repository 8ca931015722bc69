"""A lead changes a fellow's role dates, resets their two-factor authentication, and
deactivates and reactivates their account; the pages pass axe's checks."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import RoleAssignment
from accounts.roles import Role
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.roles import person_with


@pytest.fixture
def lead(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.REGIONAL_LEAD, "north", full_name="Nora North")


def test_a_lead_manages_a_fellows_dates_two_factor_and_account(page, lead):
    fellow = person_with(Role.FELLOW, "north", full_name="Finn North")
    RoleAssignment.objects.filter(user=fellow).update(starts_on=datetime.date(2026, 1, 5))
    for number in range(25):
        person_with(Role.FELLOW, "north", full_name=f"Fellow {number:02}")
    sign_in(page, lead.email, DEMO_PASSWORD)

    page.goto("/people/")
    expect(page.locator(".nhsuk-pagination")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "people-paged")

    page.goto(f"/people/{fellow.pk}/")
    screenshot(page, "person-actions")
    page.get_by_role("link", name="Change dates").click()
    page.fill("input[name=ends_on-day]", "1")
    page.fill("input[name=ends_on-month]", "1")
    page.fill("input[name=ends_on-year]", "2026")
    page.get_by_role("button", name="Save dates").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "role-dates-errors")
    page.fill("input[name=ends_on-year]", "2027")
    page.get_by_role("button", name="Save dates").click()
    expect(page.get_by_text("1 January 2027")).to_be_visible()

    page.get_by_role("link", name="Reset two-factor authentication").click()
    check_accessibility(page)
    screenshot(page, "two-factor-reset")
    page.get_by_role("button", name="Reset two-factor authentication").click()
    expect(page.get_by_text("two-factor authentication is reset")).to_be_visible()

    page.get_by_role("link", name="Deactivate account").click()
    page.get_by_role("button", name="Deactivate account").click()
    page.get_by_role("link", name="Reactivate account").click()
    check_accessibility(page)
    screenshot(page, "reactivate")
    page.get_by_role("button", name="Reactivate account").click()
    expect(page.get_by_text("account is active again")).to_be_visible()
