"""Choosing an organisation by part of its name, a former name or its ODS code: the search box
every organisation question uses, its search step without JavaScript, and the autocomplete's
source."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from accounts.roles import Role
from regions.forms import OrganisationChoice
from regions.models import Organisation, OrganisationName
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


class ChooseForm(forms.Form):
    organisation = OrganisationChoice(label="Organisation", queryset=Organisation.objects.all())


def chosen(typed, **data):
    form = ChooseForm({"organisation": typed, **data})
    return form, (form.cleaned_data["organisation"] if form.is_valid() else None)


@pytest.mark.parametrize(
    "typed",
    [
        "RJ1",
        "rj1",
        "guys thomas",
        "Guy's and St Thomas'",
        "Guy's and St Thomas' NHS Foundation Trust",
        "Guy's and St Thomas' NHS Foundation Trust (RJ1)",
    ],
)
def test_a_trust_is_found_by_its_code_or_any_part_of_its_name(typed):
    _form, organisation = chosen(typed)
    assert organisation == Organisation.objects.get(ods_code="RJ1")


def test_a_trust_is_found_by_a_former_name():
    trust = Organisation.objects.get(ods_code="RJ1")
    OrganisationName.objects.create(
        organisation=trust, name="Guy's Hospital Trust Board", used_until=datetime.date(1993, 3, 31)
    )

    _form, organisation = chosen("hospital trust board")

    assert organisation == trust


def test_words_that_match_several_offer_them_to_choose_from_closed_ones_marked():
    form, organisation = chosen("sunderland")

    assert organisation is None
    assert form.errors["organisation"] == [
        "2 organisations match “sunderland”. Choose one below the box"
    ]
    html = str(form["organisation"])
    assert 'name="organisation-choice"' in html
    assert "South Tyneside and Sunderland NHS Foundation Trust" in html
    assert "City Hospitals Sunderland NHS Foundation Trust" in html
    assert "Closed 31 March 2019." in html
    # The open ones first.
    assert html.index("South Tyneside and Sunderland") < html.index("City Hospitals Sunderland")


def test_the_organisation_picked_in_the_search_step_is_chosen():
    city = Organisation.objects.get(ods_code="RLN")

    _form, organisation = chosen("sunderland", **{"organisation-choice": str(city.pk)})

    assert organisation == city


def test_words_that_match_nothing_say_so():
    form, _organisation = chosen("Atlantis General")

    assert form.errors["organisation"] == [
        "No organisation matches “Atlantis General”. Check the spelling, or type part of its "
        "name or its ODS code"
    ]


def test_words_that_match_too_many_ask_for_more():
    form, _organisation = chosen("NHS")

    assert form.errors["organisation"][0].startswith("More than 20 organisations match “NHS”.")


def test_an_organisation_outside_the_questions_list_is_refused():
    class OpenOnly(forms.Form):
        organisation = OrganisationChoice(
            queryset=Organisation.objects.filter(closed_on=None),
            error_messages={"invalid_choice": "Choose an organisation that is still open"},
        )

    form = OpenOnly({"organisation": "R1C"})  # Solent NHS Trust, closed

    assert form.errors["organisation"] == ["Choose an organisation that is still open"]


def test_a_chosen_organisation_is_shown_in_the_box_by_its_name_and_code():
    trust = Organisation.objects.get(ods_code="RJ1")
    form = ChooseForm(initial={"organisation": trust.pk})

    assert 'value="Guy&#x27;s and St Thomas&#x27; NHS Foundation Trust (RJ1)"' in str(
        form["organisation"]
    )


@pytest.mark.parametrize("typed", ["x" * 5000, "RJ1\x00", "9" * 40])
def test_odd_input_is_a_message_not_an_error(typed):
    form, organisation = chosen(typed)

    assert organisation is None
    assert form.errors["organisation"]


# The autocomplete's source


def test_the_autocomplete_source_finds_by_part_of_a_name_or_a_code(client):
    sign_in(client, person_with(Role.FELLOW))

    by_name = client.get(reverse("regions:organisation-search"), {"q": "sunderland"}).json()
    by_code = client.get(reverse("regions:organisation-search"), {"q": "rj1"}).json()

    # Open ones first; a closed one says so.
    assert by_name["results"] == [
        "South Tyneside and Sunderland NHS Foundation Trust (R0B)",
        "City Hospitals Sunderland NHS Foundation Trust (RLN, closed 31 March 2019)",
    ]
    assert by_code["results"] == ["Guy's and St Thomas' NHS Foundation Trust (RJ1)"]


def test_the_autocomplete_source_sends_at_most_twenty(client):
    sign_in(client, person_with(Role.FELLOW))

    results = client.get(reverse("regions:organisation-search"), {"q": "NHS"}).json()["results"]

    assert len(results) == 20


def test_the_autocomplete_source_takes_the_same_queries_for_any_search(
    client, django_assert_num_queries
):
    sign_in(client, person_with(Role.FELLOW))
    client.get(reverse("regions:organisation-search"), {"q": "x"})

    for text in ("rj1", "NHS"):
        # The session, the person and the search.
        with django_assert_num_queries(3):
            client.get(reverse("regions:organisation-search"), {"q": text})
