import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import DEMO_PASSWORD, UserFactory
from tests.browser import check_accessibility, screenshot, sign_in


@pytest.fixture
def person():
    return UserFactory(email="fellow@example.org", full_name="Alex Morgan")


def test_the_home_page_is_accessible(page, person):
    sign_in(page, person.email, DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient safety fellows")
    check_accessibility(page)
    screenshot(page, "home")


def test_the_sign_in_page_is_accessible(page):
    page.goto("/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_accessibility(page)
    screenshot(page, "sign-in")


def test_the_sign_in_page_is_accessible_after_a_failed_sign_in(page, person):
    sign_in(page, person.email, "not-the-password")

    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "sign-in-failed")


def test_the_regions_page_is_accessible(page, person):
    sign_in(page, person.email, DEMO_PASSWORD)
    page.goto("/regions/")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Regions and Patient Safety Collaboratives"
    )
    check_accessibility(page)
    screenshot(page, "regions")


def test_signing_in_works_without_javascript(browser, live_server, person):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, person.email, DEMO_PASSWORD)

        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Patient safety fellows")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        screenshot(page, "home-without-javascript")
    finally:
        context.close()


def test_the_design_system_stylesheet_and_icons_are_served(page):
    page.goto("/accounts/login/")
    stylesheet = page.locator("link[rel=stylesheet][href*=nhsuk-frontend]").get_attribute("href")

    # No redirects followed: a redirect to the sign-in page would also end in a 200.
    css = page.request.get(stylesheet, max_redirects=0)
    assert css.status == 200
    assert css.headers["content-type"].startswith("text/css")
    icon = page.request.get("/assets/images/nhsuk-icon-cross.svg", max_redirects=0)
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")


def test_the_skip_link_is_the_first_stop_for_keyboard_users(page, person):
    sign_in(page, person.email, DEMO_PASSWORD)
    page.goto("/regions/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    screenshot(page, "skip-link")
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
