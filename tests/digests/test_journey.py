"""Digests in a real browser: a fellow changes their preferences; a digest's unsubscribe link
is opened by someone who is not signed in, confirmed, and undone from the preferences; a lead's
preferences page says their regions follow their roles."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from digests.models import DigestPreference
from digests.tokens import unsubscribe_token
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.roles import person_with


@pytest.fixture
def fellow(reference_data, settings):
    settings.MFA_REQUIRED = False
    return person_with(Role.FELLOW, "north", email="fellow@example.org", full_name="Sam North")


@pytest.fixture
def lead(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.REGIONAL_LEAD, "north", full_name="Nora North")


def test_a_fellow_changes_their_digest_preferences(page, fellow):
    sign_in(page, fellow.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Digests").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Digest preferences")
    expect(page.get_by_role("radio", name=re.compile("^Weekly"))).to_be_checked()
    check_accessibility(page)
    screenshot(page, "digest-preferences")

    page.get_by_role("radio", name=re.compile("^Daily")).check()
    page.get_by_role("checkbox", name="South", exact=True).check()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_text("Your digest preferences have been saved.")).to_be_visible()
    preference = DigestPreference.objects.get(user=fellow)
    assert preference.frequency == "daily"
    assert set(preference.regions.values_list("slug", flat=True)) == {"north", "south"}


def test_the_unsubscribe_link_works_without_signing_in_and_can_be_undone(page, fellow):
    page.goto(f"/digests/unsubscribe/{unsubscribe_token(fellow)}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from digests")
    check_accessibility(page)
    screenshot(page, "digest-unsubscribe")

    page.get_by_role("button", name="Unsubscribe").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have unsubscribed")
    check_accessibility(page)
    screenshot(page, "digest-unsubscribed")
    assert DigestPreference.objects.get(user=fellow).frequency == "never"

    page.get_by_role("link", name="your digest preferences").click()
    sign_in(page, fellow.email, DEMO_PASSWORD)
    page.goto("/digests/preferences/")
    expect(page.get_by_text(re.compile("you unsubscribed on"))).to_be_visible()
    page.get_by_role("radio", name=re.compile("^Weekly")).check()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_text("Your digest preferences have been saved.")).to_be_visible()
    assert DigestPreference.objects.get(user=fellow).frequency == "weekly"


def test_the_preferences_page_says_the_regions_follow_the_roles(page, lead):
    sign_in(page, lead.email, DEMO_PASSWORD)

    page.goto("/digests/preferences/")

    expect(page.locator("#regions-follow-roles")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "digest-preferences-follow")
