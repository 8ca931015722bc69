"""What every page's layout gives: the back link inside the main landmark, and a description."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def inside_main(page, fragment):
    main = page[page.index("<main") : page.index("</main>")]
    return fragment in main


def test_the_back_link_is_inside_main_on_detail_and_form_pages(client):
    fellow = person_with(Role.FELLOW, "north")
    national = person_with(Role.NATIONAL)
    investigation = InvestigationFactory(region=region("north"))
    item = LearningItemFactory(created_by=fellow, region=region("north"))
    item.authors.add(fellow)
    pages = {
        fellow: [
            reverse("learning:investigation-detail", args=[investigation.pk]),
            reverse("learning:investigation-add"),
            reverse("learning:item-detail", args=[item.pk]),
            reverse("learning:item-edit", args=[item.pk]),
        ],
        national: [reverse("accounts:person", args=[fellow.pk]), reverse("accounts:invite")],
    }
    for person, urls in pages.items():
        sign_in(client, person)
        for url in urls:
            page = client.get(url).content.decode()
            assert 'class="nhsuk-back-link"' in page, url
            assert inside_main(page, 'class="nhsuk-back-link"'), url


def test_every_page_has_a_description(client):
    page = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<meta name="description" content="[^"]{40,}">', page)
