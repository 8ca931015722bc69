"""Free text has a size that fits each field, said in its hint and refused with a message, and
hidden text-direction controls (U+202E and its kin) are refused."""

from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.urls import reverse

from accounts.roles import Role
from fellows.models import Initiative
from learning.forms import LearningItemForm
from learning.models import LearningItem
from portal.forms import PortalForm, max_length_of
from register.forms import GapForm, RecommendationForm, ResponseForm
from register.models import Adoption, Recommendation, RecommendationResponse
from tests.register.factories import recommendation
from tests.roles import host_psc, person_with, region, sign_in

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = {c.name for c in apps.get_app_configs() if Path(c.path).parent == ROOT}

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


def test_a_box_for_a_paragraph_without_a_size_is_a_mistake_said_when_the_form_is_built():
    """No default size: it would drift from the size of the model field the text is saved to."""

    class Form(PortalForm):
        notes = forms.CharField(widget=forms.Textarea, required=False)

    with pytest.raises(ImproperlyConfigured, match=r"Form.notes takes a paragraph but has no size"):
        Form({"notes": "a"})


def test_a_plain_form_reads_its_size_from_the_model_field_and_says_it():
    class Form(PortalForm):
        notes = forms.CharField(
            widget=forms.Textarea, required=False, max_length=max_length_of(Adoption, "notes")
        )

    form = Form({"notes": "a" * 5_001})

    assert form.errors["notes"] == ["Notes must be 5,000 characters or fewer"]
    assert str(form.fields["notes"].help_text) == "Up to 5,000 characters."


# Each size once, on the model: every form that saves to the field, its hint, the admin's form
# and the model's own validation (which an import calls) read it there.
SIZES = [
    (Recommendation, "text", 20_000),
    (RecommendationResponse, "text", 20_000),
    (LearningItem, "summary", 4_000),
    (LearningItem, "body", 20_000),
]


def admin_request(rf):
    request = rf.get("/admin/")
    request.user = person_with(Role.NATIONAL, is_staff=True, is_superuser=True)
    return request


def forms_saving_to(model, name, fellow):
    """(form, field name) of every portal form whose field is saved to `model`'s `name`."""
    rec = recommendation(fellow)
    return {
        (Recommendation, "text"): [
            (RecommendationForm(user=fellow, investigation=rec.investigation), "text"),
            (RecommendationForm(instance=rec, user=fellow), "text"),
            (GapForm(user=fellow), "text"),
        ],
        (RecommendationResponse, "text"): [(ResponseForm(recommendation=rec), "text")],
        (LearningItem, "summary"): [
            (LearningItemForm(user=fellow), "summary"),
            (GapForm(user=fellow), "gap_summary"),
        ],
        (LearningItem, "body"): [(LearningItemForm(user=fellow), "body")],
    }[(model, name)]


@pytest.mark.parametrize(("model", "name", "size"), SIZES)
def test_a_size_is_the_same_in_the_model_every_form_its_hint_and_the_admin(
    model, name, size, fellow, rf
):
    field = model._meta.get_field(name)
    assert field.max_length == size

    # The model's own validation, which an import runs through full_clean.
    field.clean("a" * size, None)
    with pytest.raises(ValidationError):
        field.clean("a" * (size + 1), None)

    for form, form_name in forms_saving_to(model, name, fellow):
        form_field = form.fields[form_name]
        assert form_field.max_length == size, type(form).__name__
        assert str(form_field.help_text).endswith(f"Up to {size:,} characters."), form_name
        assert form_field.clean("a" * size) == "a" * size
        with pytest.raises(ValidationError, match=f"must be {size:,} characters or fewer"):
            form_field.clean("a" * (size + 1))

    if model in admin.site._registry:
        admin_form = admin.site._registry[model].get_form(admin_request(rf))
        assert admin_form.base_fields[name].max_length == size


def test_every_text_field_of_our_models_in_the_admin_has_the_models_size_there(rf):
    checked, request = 0, admin_request(rf)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_config.name not in OUR_APPS:
            continue
        form = model_admin.get_form(request)
        for field in model._meta.get_fields():
            typed = isinstance(field, models.TextField | models.CharField) and not field.choices
            if typed and field.name in form.base_fields:
                assert form.base_fields[field.name].max_length == field.max_length, field
                checked += 1
    assert checked
