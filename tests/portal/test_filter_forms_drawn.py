"""A list's filter form is drawn once for the same data and choices, and used again
(portal/templatetags/nhsuk.py `filter_form`): the markup is the template pack's, to the byte,
and a new choice or other data draws it afresh."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.http import QueryDict
from django.test.signals import template_rendered
from django.urls import reverse

from accounts.roles import Role
from learning.forms import LearningFilterForm
from portal.templatetags import nhsuk
from regions.models import Region
from register.forms import RecommendationFilterForm
from taxonomy.models import Theme
from tests.regions.factories import OrganisationFactory
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

WHOLE_FORM = "nhsuk/whole_uni_form.html"


@pytest.fixture(autouse=True)
def nothing_drawn_yet():
    nhsuk.DRAWN_FILTER_FORMS.clear()
    yield
    nhsuk.DRAWN_FILTER_FORMS.clear()


@pytest.fixture
def drawn():
    """The names of the templates rendered, in order, while the test runs."""
    names = []

    def rendered(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(rendered)
    yield names
    template_rendered.disconnect(rendered)


def form(query=""):
    return LearningFilterForm(QueryDict(query), regions=Region.objects.in_programme_scheme())


@pytest.mark.parametrize(
    "query", ["", "kind=best_practice", "region=999999", "theme=no-such-theme&kind=nonsense"]
)
def test_the_markup_is_the_template_packs(query):
    expected = render_crispy_form(form(query), form(query).helper)

    assert nhsuk.filter_form(form(query)) == expected
    assert nhsuk.filter_form(form(query)) == expected  # and again, from what was kept


def test_an_invalid_choice_is_drawn_with_its_error():
    page = nhsuk.filter_form(form("kind=nonsense"))

    assert "nhsuk-form-group--error" in page
    assert "Select a valid choice" in page


def test_the_learning_list_draws_its_filters_once_for_the_same_query(client, drawn):
    sign_in(client, person_with(Role.FELLOW, "north"))
    url = reverse("learning:item-list")

    for _ in range(3):
        assert client.get(url, {"kind": "best_practice"}).status_code == 200
    assert drawn.count(WHOLE_FORM) == 1

    client.get(url, {"kind": "investigation"})
    assert drawn.count(WHOLE_FORM) == 2
    # The page number is not the form's: another page of the same list uses the same form.
    client.get(url, {"kind": "best_practice", "page": "2"})
    assert drawn.count(WHOLE_FORM) == 2


def test_a_new_choice_shows_on_the_next_page(client):
    sign_in(client, person_with(Role.FELLOW, "north"))
    url = reverse("learning:item-list")
    assert "Ward rounds at night" not in client.get(url).content.decode()

    Theme.objects.create(name="Ward rounds at night", slug="ward-rounds-at-night")

    assert 'value="ward-rounds-at-night"' in client.get(url).content.decode()


def test_the_chosen_value_is_selected_in_the_form_drawn_for_it(client):
    sign_in(client, person_with(Role.FELLOW, "north"))
    theme = Theme.objects.order_by("name").first()
    url = reverse("learning:item-list")
    client.get(url)

    page = client.get(url, {"theme": theme.slug}).content.decode()

    assert f'<option value="{theme.slug}" selected>' in page


def test_few_forms_are_kept_at_most(settings):
    nhsuk.DRAWN_FILTER_FORMS_KEPT, kept = 3, nhsuk.DRAWN_FILTER_FORMS_KEPT
    try:
        for number in range(10):
            nhsuk.filter_form(form(f"region={number}"))
            assert len(nhsuk.DRAWN_FILTER_FORMS) <= 3
    finally:
        nhsuk.DRAWN_FILTER_FORMS_KEPT = kept


def test_an_organisation_box_lists_nothing_and_is_drawn_afresh_with_a_choice():
    regions = Region.objects.in_programme_scheme()
    empty = RecommendationFilterForm(QueryDict(""), regions=regions)
    assert empty.drawn_key() is not None
    assert "addressed_to" not in dict(empty.drawn_key()[3])

    organisation = OrganisationFactory(name="Northern Care Alliance NHS Foundation Trust")
    chosen = RecommendationFilterForm(QueryDict(f"addressed_to={organisation.pk}"), regions=regions)
    assert chosen.drawn_key() is None
