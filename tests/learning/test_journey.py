"""The whole journey of a learning item, in a real browser: a north fellow records an
investigation and the learning drawn from it and submits it; the north HEE regional lead
returns it with feedback; the fellow revises and resubmits; the lead publishes; a south fellow
finds it by search."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from regions.models import Organisation
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.roles import person_with


@pytest.fixture
def people(reference_data, settings):
    settings.MFA_REQUIRED = False
    return {
        "fellow": person_with(
            Role.FELLOW, "north", email="north-fellow@example.org", full_name="Sam North"
        ),
        "lead": person_with(
            Role.REGIONAL_LEAD, "north", email="north-lead@example.org", full_name="Jo Lead"
        ),
        "south": person_with(
            Role.FELLOW, "south", email="south-fellow@example.org", full_name="Kim South"
        ),
    }


def switch_to(page, person):
    page.context.clear_cookies()
    sign_in(page, person.email, DEMO_PASSWORD)


def open_item(page, title):
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_learning_goes_from_a_fellows_draft_to_search_in_another_region(page, people):
    title = "Structured huddles after deterioration incidents"
    report = "Recognising deterioration in adults on general wards"

    # The north fellow records the investigation.
    switch_to(page, people["fellow"])
    page.get_by_role("link", name="Investigations").click()
    check_accessibility(page)
    page.get_by_role("link", name="Add an investigation").click()
    page.get_by_label("Title").fill(report)
    page.get_by_label("HSSIB national investigation report").check()
    page.get_by_label("Organisation that published it").fill(
        str(Organisation.objects.get(slug="hssib"))
    )
    page.get_by_label("Organisation that published it").press("Escape")
    page.get_by_label("Link to the published report").fill("https://www.hssib.org.uk/reports/x/")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Summary").fill("Findings on recognising deterioration early.")
    check_accessibility(page)
    screenshot(page, "investigation-form")
    page.get_by_role("button", name="Save investigation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report)
    check_accessibility(page)
    screenshot(page, "investigation-detail")

    # ... and the learning drawn from it, then submits it.
    page.get_by_role("link", name="Learning", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Add learning").click()
    page.get_by_label("Learning from an investigation").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill("A five-minute huddle after each deterioration incident.")
    page.get_by_label("Body").fill("## What we did\n\nA huddle within a day of the incident.")
    page.get_by_label(report).check()
    check_accessibility(page)
    screenshot(page, "learning-form")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name=report)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "learning-draft")
    page.get_by_role("link", name="Submit for review").click()
    check_accessibility(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Submitted for review")

    # The north lead returns it with feedback.
    switch_to(page, people["lead"])
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning to review")
    check_accessibility(page)
    screenshot(page, "review-queue")
    open_item(page, title)
    page.get_by_role("link", name="Return with feedback").click()
    page.get_by_role("button", name="Return with feedback").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "return-without-feedback")
    page.get_by_label("Feedback for the authors").fill("Add who leads the huddle.")
    page.get_by_role("button", name="Return with feedback").click()
    expect(page.get_by_text("Returned to the authors with your feedback.")).to_be_visible()

    # The fellow revises it and submits it again.
    switch_to(page, people["fellow"])
    page.get_by_role("link", name="Learning", exact=True).click()
    check_accessibility(page)
    screenshot(page, "learning-list")
    open_item(page, title)
    # The feedback is with the "Returned with feedback" tag, where the author looks first.
    expect(page.locator("#return-feedback")).to_contain_text("Add who leads the huddle.")
    check_accessibility(page)
    screenshot(page, "learning-returned-feedback")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Summary").fill(
        "A five-minute huddle, led by the nurse in charge, after each deterioration incident."
    )
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("link", name="Submit for review").click()
    page.get_by_role("button", name="Submit for review").click()

    # The lead publishes it.
    switch_to(page, people["lead"])
    page.get_by_role("link", name="Review", exact=True).click()
    open_item(page, title)
    check_accessibility(page)
    screenshot(page, "learning-to-review")
    page.get_by_role("link", name="Publish").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. Everyone using the portal")).to_be_visible()

    # A south fellow finds it by searching from the home page.
    switch_to(page, people["south"])
    search = "Search initiatives, investigations, recommendations and learning"
    page.get_by_label(search).fill("huddle")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=huddle"))
    expect(page.locator("#result-count")).to_have_text("1 result")
    check_accessibility(page)
    screenshot(page, "search")
    open_item(page, title)
    expect(page.locator(".nhsuk-tag").first).to_have_text("Published")
    check_accessibility(page)
    screenshot(page, "learning-published")
