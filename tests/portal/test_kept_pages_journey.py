"""In a real browser, a page kept for the session (portal/page_cache.py) is the same page:
the fellow's own new draft shows on the learning list straight after saving it, and the
sign-out button of a kept page still signs them out."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from learning.models import LearningItem
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with


@pytest.fixture
def fellow(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.FELLOW, "north", full_name="Finn North")


def test_a_kept_learning_list_shows_a_new_draft_and_still_signs_out(page, fellow):
    LearningItemFactory(
        title="Falls huddles", status=LearningItem.Status.PUBLISHED, published_at=timezone.now()
    )
    sign_in(page, fellow.email, DEMO_PASSWORD)
    page.goto("/learning/")
    page.goto("/")
    page.goto("/learning/")  # read again with nothing written: the kept page
    expect(page.locator("#published-learning")).to_contain_text("Falls huddles")
    expect(page.locator("#own-learning")).to_have_count(0)

    page.get_by_role("link", name="Add learning").click()
    page.get_by_label("Best practice").check()
    page.get_by_label("Title").fill("Safer discharge checklist")
    page.get_by_label("Summary").fill("A checklist the ward runs before each discharge.")
    page.get_by_label("Body").fill("## What we did\n\nA checklist, read aloud.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safer discharge checklist")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Learning").click()
    expect(page.locator("#own-learning")).to_contain_text("Safer discharge checklist")
    check_accessibility(page)
    screenshot(page, "learning-list-after-a-new-draft")
    page.reload()  # kept now, and the same page
    expect(page.locator("#own-learning")).to_contain_text("Safer discharge checklist")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/learning/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/learning/$"))
