"""An id too big for the database in a choice or a multi-select is a form error, as an id that
does not exist is, on SQLite (where it used to be an OverflowError) and PostgreSQL alike."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from fellows.models import Initiative
from regions.models import Region
from taxonomy.models import Theme
from tests.roles import host_psc, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

HUGE = "99999999999999999999"


class ChoiceForm(forms.Form):
    one = forms.ModelChoiceField(queryset=Region.objects.all(), required=False)
    many = forms.ModelMultipleChoiceField(queryset=Theme.objects.all(), required=False)


@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", str(2**63), "9" * 400])
def test_a_multi_select_refuses_an_id_too_big_for_the_database(value):
    form = ChoiceForm({"many": [value]})

    assert not form.is_valid()
    assert form.errors["many"] == [
        f"Select a valid choice. {value} is not one of the available choices."
    ]


def test_a_single_choice_refuses_an_id_too_big_for_the_database():
    form = ChoiceForm({"one": HUGE})

    assert not form.is_valid()
    assert form.errors["one"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_the_largest_id_the_database_holds_is_merely_not_a_choice():
    form = ChoiceForm({"many": [str(2**63 - 1)], "one": str(2**63 - 1)})

    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}


def test_an_initiative_with_a_huge_theme_id_is_refused_and_not_saved(client, fellow):
    sign_in(client, fellow)

    response = client.post(
        reverse("fellows:add"),
        {
            "title": "Safer insulin prescribing",
            "summary": "Spreading an insulin safety bundle.",
            "aims": "Fewer insulin errors.",
            "status": Initiative.Status.ACTIVE,
            "region": region("north").pk,
            "host_psc": host_psc("north").pk,
            "starts_on-day": "1",
            "starts_on-month": "4",
            "starts_on-year": str(datetime.date.today().year),
            "themes": [HUGE],
            "partners": [HUGE],
            "fellows": [HUGE],
        },
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"themes", "partners", "fellows"}
    assert not Initiative.objects.exists()


def test_digest_preferences_with_a_huge_region_id_are_refused(client, fellow):
    sign_in(client, fellow)

    response = client.post(
        reverse("digests:preferences"),
        {"frequency": "weekly", "regions": [HUGE], "kinds": ["best_practice"]},
    )

    assert response.status_code == 200
    assert "regions" in response.context["form"].errors
