"""The dashboards read at a glance, in a real browser with the demo's data: at 1280 by 900 the
headline cards (each with its number, change and link) and "needs attention" are on the first
screen of the lead's, the chair's and England's dashboards; the lead's home is short; every page
has a sound heading outline, passes axe's WCAG 2.2 AA checks, fits 320 pixels without
scrolling sideways and works without JavaScript. Each page is saved at both widths to look at."""

import contextlib
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 900}

# The page's own headings, in <main>, leaving out notification banners': the demo banner and
# the "signed in" message each title their own region with an h2, before the page's h1.
OUTLINE = """() => Array.from(document.querySelectorAll("main :is(h1, h2, h3, h4, h5, h6)"))
    .filter(h => h.getClientRects().length && !h.closest(".nhsuk-notification-banner"))
    .map(h => Number(h.tagName[1]))"""


@pytest.fixture
def demo(reference_data, settings):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    call_command("seed_demo", stdout=io.StringIO())


def check_outline(page):
    """One h1 first, and no heading more than one level below the one before it."""
    levels = page.evaluate(OUTLINE)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, level in zip(levels, levels[1:], strict=False):
        assert level <= before + 1, levels


def check_no_sideways_scroll(page):
    # After a resize the header folds its menu under "More" on a timer (a phone loads the page
    # at its own width): wait for it, then say how wide the page is if it never fits.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "document.documentElement.scrollWidth <= window.innerWidth", timeout=5000
        )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def check_both_widths(page, name):
    """Accessibility and the outline at the desktop width, then the phone's; a screenshot of
    each."""
    check_outline(page)
    check_accessibility(page)
    screenshot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    check_no_sideways_scroll(page)
    check_accessibility(page)
    screenshot(page, f"{name}-320")
    page.set_viewport_size(DESKTOP)


DASHBOARDS = [
    ("lead.north@example.org", "North dashboard"),
    ("chair.north@example.org", "dashboard"),
    ("admin@example.org", "National dashboard"),
]


@pytest.mark.parametrize(("email", "title"), DASHBOARDS, ids=["lead", "chair", "national"])
def test_the_dashboard_answers_at_a_glance_on_the_first_screen(page, demo, email, title):
    page.set_viewport_size(DESKTOP)
    sign_in(page, email, DEMO_PASSWORD, totp_secret=None)
    # The menu's Dashboard: the lead's and the chair's region's, England's for the national team.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    screenshot(page, f"glance-first-screen-{email.split('@')[0]}")

    cards = page.locator(".portal-headline")
    assert cards.count() >= 6
    for index in range(cards.count()):
        card = cards.nth(index)
        expect(card.locator(".portal-headline__value")).to_have_text(re.compile(r"\S"))
        expect(card.locator(".portal-headline__change")).to_have_count(1)
        assert card.locator("a.nhsuk-card__link").get_attribute("href")
        assert card.bounding_box()["y"] + card.bounding_box()["height"] <= DESKTOP["height"]
    attention = page.locator("#needs-attention")
    expect(attention.get_by_role("heading", name="Needs attention")).to_be_visible()
    first = attention.locator("h3").first.bounding_box()
    assert first["y"] + first["height"] <= DESKTOP["height"]
    check_both_widths(page, f"glance-dashboard-{email.split('@')[0]}")

    # A card opens the list it counts.
    card = cards.first
    shown = card.locator(".portal-headline__value").inner_text()
    card.locator("a.nhsuk-card__link").click()
    if "national" in title.lower():
        expect(page).to_have_url(re.compile(r"/dashboards/england/\?quarter=.*#national-learning"))
    else:
        expect(page.locator("#result-count")).to_have_text(f"{shown} in all.")


@pytest.mark.parametrize(
    "email",
    [
        "lead.north@example.org",
        "chair.north@example.org",
        "admin@example.org",
        "fellow.north@example.org",
    ],
)
def test_each_home_shows_its_own_work_and_the_headline_in_a_short_page(page, demo, email):
    page.set_viewport_size(DESKTOP)
    sign_in(page, email, DEMO_PASSWORD, totp_secret=None)
    assert page.locator(".portal-headline").count() >= 6
    height = page.evaluate("document.documentElement.scrollHeight")
    if email.startswith("lead."):
        assert height <= 3000, height
    check_both_widths(page, f"glance-home-{email.split('@')[0]}")


def test_the_headline_and_needs_attention_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=DESKTOP
    )
    try:
        page = context.new_page()
        sign_in(page, "lead.north@example.org", DEMO_PASSWORD, totp_secret=None)
        page.get_by_role("link", name="Open the North dashboard").click()
        expect(page.locator("#needs-attention")).to_be_visible()
        card = page.locator("#card-overdue")
        shown = card.locator(".portal-headline__value").inner_text()
        card.locator("a.nhsuk-card__link").click()
        expect(page.locator("#result-count")).to_have_text(f"{shown} in all.")
        page.go_back()
        page.locator("#needs-attention a").first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    finally:
        context.close()
