"""Fixtures and helpers for the browser tests: a real Chromium driven by Playwright against
pytest-django's live server.

A test asks for `page`: a fresh browser context and page on the session's Chromium, whose
base URL is pytest-django's `live_server`, so `page.goto("/regions/")` works. The helpers
`sign_in`, `check_accessibility` and `screenshot` take that page. tests/conftest.py makes the
fixtures available to every test and marks `browser` each test that asks for `page`, `context`
or `browser`, so `pytest -m "not browser"` leaves them out.
"""

import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.accounts.factories import TOTP_SECRET, totp_code
from tests.conftest import require_service

# Playwright's sync API runs an asyncio event loop in the main thread, and Django refuses
# ORM calls from a thread with a running loop (SynchronousOnlyOperation). Nothing runs
# Django code concurrently on that loop: it only carries messages to the browser, so the
# ORM calls the tests and pytest-django make (factories, flushing the database) are safe.
# It is set for the whole process, when tests/conftest.py loads this module, because the
# session's browser, and so its loop, lives until the last test has run, whichever file
# that test is in.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"

# The machine has no network: these keep Chromium from reaching out for updates, sync,
# field trials and the like, which otherwise floods the logs with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    require_service("Chromium", CHROMIUM.exists(), f"the browser tests drive {CHROMIUM}")
    require_service(
        "axe-core", AXE_SCRIPT.exists(), "the accessibility checks need it; run `make install`"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server, reference_data):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that fails its test, at the end, if the browser refused anything under the
    Content Security Policy: every journey is also a check that nothing inline slipped in."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = watch_csp(page)
    yield page
    if violations:
        pytest.fail("The Content Security Policy was violated:\n" + "\n".join(violations))


def watch_csp(page):
    """The Content Security Policy refusals the browser reports on the page's console, as a
    list that grows while the page is used."""
    violations = []

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", record)
    return violations


def sign_in(page, email, password, totp_secret=TOTP_SECRET):
    """Sign in through the real form, as a person would, and wait for the next page. When the
    portal asks for a security code, enter the one an authenticator app with that secret
    would show (factory users have one: see tests/accounts/factories.py)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    # A code works once: someone signing in twice within one 30-second step needs the next
    # code, which the portal accepts a step early (as an app whose clock runs fast).
    for shift in (0, 30):
        if not (totp_secret and page.url.endswith("/accounts/2fa/authenticate/")):
            break
        page.fill("input[name=code]", totp_code(totp_secret, at=time.time() + shift))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()


def _load_axe(page):
    # Through the DevTools protocol, which the page's Content Security Policy does not
    # govern: a <script> tag added to the page would be refused, as it should be.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Runtime.evaluate", {"expression": AXE_SCRIPT.read_text()})
    cdp.detach()


def check_accessibility(page):
    """Fail if axe finds any WCAG 2.2 A or AA violation on the page as it is now."""
    _load_axe(page)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    if results["violations"]:
        pytest.fail(_describe_violations(page.url, results["violations"]))


def _describe_violations(url, violations):
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
    return "\n".join(lines)


def screenshot(page, name):
    """Save a full-page PNG under test-results/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_landmarks(page):
    """Fail if axe finds content outside every landmark (its best-practice "region" rule,
    which the WCAG tags leave out): a back link outside <main>, for example."""
    _load_axe(page)
    results = page.evaluate("axe.run(document, {runOnly: {type: 'rule', values: ['region']}})")
    if results["violations"]:
        pytest.fail(_describe_violations(page.url, results["violations"]))
