"""The whole two-factor journey in a real browser: set up, recovery codes, sign in again."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import DEMO_PASSWORD, UserFactory, totp_code
from tests.browser import check_accessibility, screenshot, sign_in


def wrong_code(secret):
    now = time.time()
    valid = {totp_code(secret, at=now + shift) for shift in (-30, 0, 30, 60)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


@pytest.fixture
def newcomer():
    return UserFactory(email="new.fellow@example.org", full_name="Sam Patel", totp=False)


def test_a_new_user_sets_up_an_authenticator_and_signs_in_with_it(page, newcomer):
    sign_in(page, newcomer.email, DEMO_PASSWORD, totp_secret=None)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "mfa-set-up")

    secret = page.locator("#authenticator_secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery_codes li")).to_have_count(10)
    check_accessibility(page)
    screenshot(page, "mfa-recovery-codes")

    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", newcomer.email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    check_accessibility(page)
    screenshot(page, "mfa-code")

    page.get_by_label("Security code").fill(wrong_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "mfa-code-wrong")

    # The code used to set up the app is spent; the app's next one is accepted a little early.
    page.get_by_label("Security code").fill(totp_code(secret, at=time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient safety fellows")


def test_the_sessions_page_is_accessible(page):
    person = UserFactory(email="lead@example.org", full_name="Jo Evans")
    sign_in(page, person.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Your sessions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    expect(page.get_by_role("cell", name="This browser")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "sessions")

    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    check_accessibility(page)
    screenshot(page, "mfa-index")


def test_the_confirm_it_is_you_pages_are_accessible(page):
    person = UserFactory(email="chair@example.org", full_name="Priya Shah")
    sign_in(page, person.email, DEMO_PASSWORD)

    page.goto("/accounts/reauthenticate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    check_accessibility(page)
    screenshot(page, "reauthenticate-password")

    page.get_by_role("link", name=re.compile("authenticator", re.I)).click()
    expect(page.get_by_label("Security code")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "reauthenticate-code")


def test_the_password_reset_pages_are_accessible(page):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check_accessibility(page)
    screenshot(page, "password-reset")

    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "password-reset-error")
