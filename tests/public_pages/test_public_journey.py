"""In a real browser: a regional lead publishes learning as public; a visitor who has never
signed in finds it by search on the public pages, reads it and follows its feed link."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from learning.models import LearningItem
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people(reference_data, settings):
    settings.MFA_REQUIRED = False
    fellow = person_with(Role.FELLOW, "north", email="north-fellow@example.org", full_name="Sam")
    lead = person_with(Role.REGIONAL_LEAD, "north", email="north-lead@example.org")
    return {"fellow": fellow, "lead": lead}


def test_a_lead_publishes_learning_as_public_and_a_visitor_finds_reads_and_follows_it(page, people):
    title = "Safety huddles after falls on older people's wards"
    item = LearningItemFactory(
        created_by=people["fellow"],
        region=region("north"),
        title=title,
        summary="A ten-minute huddle after every fall halved repeat falls in six months.",
        status=LearningItem.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )

    sign_in(page, people["lead"].email, DEMO_PASSWORD)
    page.goto(f"/learning/{item.pk}/")
    page.get_by_role("link", name="Publish").click()
    check_accessibility(page)
    screenshot(page, "public-publish-choice")
    page.get_by_label("Yes, anyone can read it without signing in").check()
    page.get_by_role("button", name="Publish").click()
    page.goto(f"/learning/{item.pk}/")
    expect(page.locator("#public-pages + p")).to_contain_text("Anyone can read it")
    screenshot(page, "public-section-of-the-item")

    # A visitor who has never signed in.
    page.context.clear_cookies()
    page.goto("/public/")
    check_accessibility(page)
    page.get_by_label("Search for").fill("falls huddle")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_have_text("1 result")
    screenshot(page, "public-search")
    check_accessibility(page)
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="Sign in to the portal")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "public-item")

    feed_link = page.get_by_role("link", name="Follow new learning from North (Atom feed)")
    feed = page.request.get(feed_link.get_attribute("href"))
    assert feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.body()).findall(f"{ATOM}entry")  # noqa: S314 - our own feed
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [title]
