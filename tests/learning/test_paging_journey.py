"""A fellow pages through their learning in progress and an item's older changes. Each page
passes axe's checks."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from learning.models import LearningItem
from portal.pagination import PAGE_SIZE
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with


@pytest.fixture
def fellow(settings, reference_data):
    settings.MFA_REQUIRED = False
    return person_with(Role.FELLOW, "north", full_name="Finn North")


def test_a_fellow_pages_their_learning_in_progress_and_an_items_history(page, fellow):
    for number in range(PAGE_SIZE + 2):
        LearningItemFactory(created_by=fellow, title=f"Draft number {number:02}")
    item = LearningItemFactory(
        created_by=fellow,
        title="Falls prevention bundle",
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    for number in range(25):
        item.summary = f"Summary, as changed for the {number + 1}th time."
        item._history_user = fellow
        item.save()
    sign_in(page, fellow.email, DEMO_PASSWORD)

    page.goto("/learning/")
    own = page.get_by_role("navigation", name="Pages of your learning in progress")
    own.get_by_role("link", name="Next").click()
    expect(page.locator("#own-learning")).to_contain_text("Draft number 00")
    check_accessibility(page)
    screenshot(page, "learning-in-progress-page-2")

    page.goto(f"/learning/{item.pk}/")
    page.get_by_role("link", name="Show older changes").click()
    expect(page.locator("#change-history")).to_contain_text("Created")
    expect(page.get_by_role("link", name="Show newest changes")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "learning-item-older-changes")
