"""Small points of the interface a new user tripped over: landmarks, labels, wording, links,
breadcrumbs, the menu, grouped choices and the page description."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import LearningItem
from regions.models import Organisation
from tests.learning.factories import InitiativeFactory, InvestigationFactory, LearningItemFactory
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


def test_the_sign_in_fields_have_labels_and_no_placeholders(client):
    page = client.get(reverse("account_login")).content.decode()

    inputs = re.findall(r"<input[^>]*>", page)
    assert any('name="login"' in tag for tag in inputs)
    assert not [tag for tag in inputs if "placeholder=" in tag]
    assert '<label class="nhsuk-label" for="id_login">' in page
    for described_by in re.findall(r'aria-describedby="([^"]+)"', page):
        for target in described_by.split():
            assert f'id="{target}"' in page


def test_the_sign_up_page_says_accounts_are_by_invitation_in_sentence_case(client):
    page = client.get("/accounts/signup/").content.decode()

    assert "<h1>You cannot create an account</h1>" in page
    assert "Sign Up Closed" not in page
    assert "by invitation only" in page


def test_a_learning_item_links_to_its_initiatives_as_to_its_investigations(client):
    fellow = person_with(Role.FELLOW, "north")
    initiative = InitiativeFactory(title="Safer insulin", region=region("north"))
    item = LearningItemFactory(
        status=LearningItem.Status.PUBLISHED, published_at=timezone.now(), region=region("north")
    )
    item.initiatives.add(initiative)
    sign_in(client, fellow)

    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()

    assert f'<a href="{reverse("fellows:detail", args=[initiative.pk])}">Safer insulin</a>' in page


def test_the_review_page_has_a_breadcrumb(client):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))

    page = client.get(reverse("learning:review-queue")).content.decode()

    assert 'aria-label="Breadcrumb"' in page


def test_the_digest_runs_page_is_in_the_national_teams_menu_only(client):
    runs = reverse("digests:runs")
    sign_in(client, person_with(Role.NATIONAL))
    national = client.get(reverse("regions:list")).context["nav_items"]
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    lead = client.get(reverse("regions:list")).context["nav_items"]

    assert ("Digest runs", runs) in [(item["label"], item["url"]) for item in national]
    assert runs not in [item["url"] for item in lead]


def test_the_partner_organisations_are_grouped_by_kind_in_fieldsets(client):
    sign_in(client, person_with(Role.FELLOW, "north"))

    page = client.get(reverse("fellows:add")).content.decode()

    partners = page[page.index('name="partners"') - 3000 : page.rindex('name="partners"')]
    legends = re.findall(r"<legend[^>]*>\s*(.*?)\s*</legend>", partners, re.S)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    labels = [label for value, label in Organisation.Kind.choices if value in kinds]
    assert [label for label in legends if label in labels] == labels


def test_every_page_has_a_description(client):
    page = client.get(reverse("account_login")).content.decode()

    assert re.search(r'<meta name="description" content="[^"]{40,}">', page)
