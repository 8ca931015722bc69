"""Everything on the detail and form pages is inside a landmark, the back link included."""

from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, check_landmarks, sign_in
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.roles import person_with, region


def test_the_back_link_of_detail_and_form_pages_is_inside_a_landmark(page):
    fellow = person_with(Role.FELLOW, "north")
    investigation = InvestigationFactory(region=region("north"))
    item = LearningItemFactory(created_by=fellow, region=region("north"))
    item.authors.add(fellow)
    sign_in(page, fellow.email, DEMO_PASSWORD)

    for url in [
        reverse("learning:investigation-detail", args=[investigation.pk]),
        reverse("learning:item-detail", args=[item.pk]),
        reverse("learning:item-edit", args=[item.pk]),
    ]:
        page.goto(url)
        assert page.locator("main .nhsuk-back-link").count() == 1, url
        check_landmarks(page)
        check_accessibility(page)
