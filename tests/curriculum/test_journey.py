"""Curriculum and training in a real browser, with the demo accounts and data: the north
fellow records a curriculum entry with a university carrying a demo recommendation, records
a training session of 40 people tagged to two syllabus pairs, and finds both in the coverage
grid and on the recommendation's thread; the forms, lists and grid are checked for WCAG 2.2
AA."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from register.models import Recommendation
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in

UNIVERSITY = "University of Pennine Vale (demo)"


@pytest.fixture
def demo(reference_data, settings):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    call_command("seed_demo", stdout=io.StringIO())


def test_a_fellow_records_curriculum_and_training_and_sees_them_in_the_grid(page, demo):
    recommendation = Recommendation.objects.get(reference="PFD-N-2026-03")
    sign_in(page, "fellow.north@example.org", DEMO_PASSWORD, totp_secret=None)

    # A curriculum entry with a university, carrying the demo recommendation.
    page.get_by_role("link", name="Curriculum", exact=True).first.click()
    check_accessibility(page)
    page.get_by_role("link", name="Record a curriculum entry").click()
    page.get_by_label("University or trust education team").fill(UNIVERSITY)
    page.get_by_label("University or trust education team").press("Escape")
    page.get_by_label("Programme or module").fill("BSc Adult Nursing, year 3")
    page.get_by_label("Profession", exact=True).select_option(label="Nursing")
    page.get_by_label("Undergraduate").check()
    page.get_by_label("What changes").fill("Repeating falls risk assessments after a ward move.")
    page.get_by_role("group", name="Domain 4. Creating safe systems").get_by_label(
        "Level 1: Essentials for patient safety"
    ).check()
    page.get_by_label("Agreed").check()
    page.get_by_label("Academic year it starts").fill("2026/27")
    page.get_by_label(recommendation.title).check()
    check_accessibility(page)
    page.get_by_role("button", name="Save curriculum entry").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BSc Adult Nursing, year 3")
    check_accessibility(page)

    # Training of 40 people, tagged to two syllabus pairs, carrying the same recommendation.
    page.get_by_role("link", name="Curriculum", exact=True).first.click()
    page.get_by_role("link", name="Training delivered").click()
    check_accessibility(page)
    page.get_by_role("link", name="Record training").click()
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Title", exact=True).fill("Falls after a ward move: simulation")
    page.get_by_label("Simulation", exact=True).check()
    page.get_by_label("Nursing", exact=True).check()
    page.get_by_label("Healthcare support workers", exact=True).check()
    page.get_by_label("Number of people trained").fill("40")
    page.get_by_label("Host organisation").fill(UNIVERSITY)
    page.get_by_label("Host organisation").press("Escape")
    for domain in ("Domain 4. Creating safe systems", "Domain 5. Being sure about safety"):
        page.get_by_role("group", name=domain).get_by_label("Level 2: Access to practice").check()
    page.get_by_label(recommendation.title).check()
    check_accessibility(page)
    page.get_by_role("button", name="Save training").click()
    expect(page.locator("#details")).to_contain_text("40")

    # Both in the coverage grid.
    page.get_by_role("link", name="Curriculum", exact=True).first.click()
    page.get_by_role("link", name="Syllabus coverage").click()
    grid = page.locator("#coverage")
    expect(grid).to_contain_text("40 people trained")
    check_accessibility(page)
    screenshot(page, "curriculum-coverage")
    # The demo's own learning may be tagged there too: the training is among the records.
    page.get_by_role("link", name=re.compile(r"records? in domain 5 at level 2$")).click()
    expect(page.locator("#cell-sessions")).to_contain_text("Falls after a ward move: simulation")
    page.go_back()
    page.get_by_role("link", name="in domain 4 at level 1").click()
    expect(page.locator("#cell-entries")).to_contain_text("BSc Adult Nursing, year 3")

    # And on the recommendation's thread.
    page.goto(f"/investigations/{recommendation.investigation_id}/thread/")
    thread = page.locator("#curriculum-thread")
    expect(thread).to_contain_text("BSc Adult Nursing, year 3")
    expect(thread).to_contain_text("Falls after a ward move: simulation")
    check_accessibility(page)
