"""A paused account's sign-in page says why and what to do, and passes axe's checks."""

import pytest
from playwright.sync_api import expect

from accounts import lockout
from accounts.roles import Role
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot
from tests.roles import person_with


@pytest.fixture
def fellow(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.FELLOW, "north", full_name="Finn North")


def test_a_paused_account_is_told_why_and_how_to_get_in(page, fellow, rf):
    # Fifty failures from as many addresses, counted as the sign-in form counts them.
    for number in range(50):
        request = rf.post("/accounts/login/", REMOTE_ADDR=f"10.0.0.{number}")
        lockout.sign_in_allowed(request, fellow.email)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", fellow.email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("h1")).to_have_text("Too many attempts")
    expect(page.locator("main")).to_contain_text("paused sign-ins to it for up to an hour")
    check_accessibility(page)
    screenshot(page, "sign-in-paused")
