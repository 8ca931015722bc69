"""Free text has a size that fits each field, said in its hint and refused with a message, and
hidden text-direction controls (U+202E and its kin) are refused."""

import pytest
from django import forms
from django.urls import reverse

from fellows.models import Initiative
from portal.forms import PortalForm
from tests.roles import host_psc, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

RLO = "\u202e"


def initiative_data(**overrides):
    return {
        "title": "Safer insulin prescribing",
        "summary": "Spreading an insulin safety bundle.",
        "aims": "Fewer insulin errors.",
        "status": Initiative.Status.ACTIVE,
        "region": region("north").pk,
        "host_psc": host_psc("north").pk,
        **overrides,
    }


def test_a_million_character_summary_is_refused_and_nothing_is_saved(client, fellow):
    sign_in(client, fellow)

    response = client.post(reverse("fellows:add"), initiative_data(summary="a" * 1_000_000))

    assert response.status_code == 200
    assert response.context["form"].errors["summary"] == [
        "Summary must be 5,000 characters or fewer"
    ]
    assert not Initiative.objects.exists()


def test_a_summary_at_its_limit_is_saved(client, fellow):
    sign_in(client, fellow)

    client.post(reverse("fellows:add"), initiative_data(summary="a" * 5_000))

    assert len(Initiative.objects.get().summary) == 5_000


def test_a_title_longer_than_its_column_is_refused_in_plain_words(client, fellow):
    sign_in(client, fellow)

    response = client.post(reverse("fellows:add"), initiative_data(title="a" * 251))

    assert response.context["form"].errors["title"] == ["Title must be 250 characters or fewer"]


def test_the_hints_say_the_limits(client, fellow):
    sign_in(client, fellow)

    page = client.get(reverse("fellows:add")).content.decode()

    assert "What the initiative is and why. Never include patient details. Up to 5,000 " in page
    assert "Up to 250 characters." in page


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u2066", "\u2069"])
def test_a_title_with_a_hidden_text_direction_control_is_refused(client, fellow, control):
    sign_in(client, fellow)

    response = client.post(reverse("fellows:add"), initiative_data(title=f"Safer {control}gnidnah"))

    assert response.status_code == 200
    [error] = response.context["form"].errors["title"]
    assert error.startswith("Remove the hidden text-direction character")
    assert not Initiative.objects.exists()


def test_right_to_left_text_itself_is_accepted():
    class Form(PortalForm):
        title = forms.CharField(max_length=100)

    form = Form({"title": "خطة السلامة"})

    assert form.is_valid(), form.errors


def test_a_text_field_without_a_limit_gets_the_default_one():
    class Form(PortalForm):
        notes = forms.CharField(widget=forms.Textarea, required=False)

    form = Form({"notes": "a" * 5_001})

    assert form.errors["notes"] == ["Notes must be 5,000 characters or fewer"]
    assert str(form.fields["notes"].help_text) == "Up to 5,000 characters."
