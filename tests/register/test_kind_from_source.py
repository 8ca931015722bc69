"""A recommendation's kind, and so its due date, follows its investigation's source; another
kind is saved only once the person confirms it."""

import datetime

import pytest
from django.urls import reverse

from learning.models import Investigation
from register.models import Recommendation, RecommendationKind
from tests.learning.factories import InvestigationFactory
from tests.register.test_recommendations import MARCH_1, recommendation_data
from tests.roles import region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

Source = Investigation.Source


def add_url(investigation):
    return reverse("register:recommendation-add") + f"?investigation={investigation.pk}"


def investigation_from(source):
    return InvestigationFactory(source=source, region=region("north"), published_on=MARCH_1)


@pytest.mark.parametrize(
    ("source", "usual"),
    [
        (Source.PSIRF, RecommendationKind.FINDING),
        (Source.LEARNING_FROM_DEATHS, RecommendationKind.FINDING),
        (Source.HSSIB, RecommendationKind.SAFETY_RECOMMENDATION),
        (Source.PREVENTION_OF_FUTURE_DEATHS, RecommendationKind.PFD_CONCERN),
    ],
)
def test_the_form_offers_and_chooses_the_kind_the_source_makes_first(client, fellow, source, usual):
    sign_in(client, fellow)
    form = client.get(add_url(investigation_from(source))).context["form"]
    assert form["kind"].value() == usual
    assert form.fields["kind"].choices[0][0] == usual
    assert "confirm_kind" not in form.fields


def test_from_a_psirf_investigation_the_usual_kind_saves_a_finding_with_no_deadline(client, fellow):
    investigation = investigation_from(Source.PSIRF)
    sign_in(client, fellow)

    response = client.post(
        add_url(investigation), recommendation_data(kind=RecommendationKind.FINDING)
    )

    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.kind, rec.due_on) == (RecommendationKind.FINDING, None)


def test_from_a_psirf_investigation_an_hssib_recommendation_asks_for_confirmation_first(
    client, fellow
):
    investigation = investigation_from(Source.PSIRF)
    sign_in(client, fellow)
    data = recommendation_data(kind=RecommendationKind.SAFETY_RECOMMENDATION)

    response = client.post(add_url(investigation), data)

    assert response.status_code == 200
    assert not Recommendation.objects.exists()
    form = response.context["form"]
    assert form.errors["kind"] == [
        "The investigation's source, PSIRF learning response, usually makes \"PSIRF or "
        'Learning from Deaths finding". Choose the usual kind, or confirm the one you chose '
        "in the box below"
    ]
    page = response.content.decode()
    assert 'name="confirm_kind"' in page
    assert "Review how deterioration is escalated out of hours." in page

    response = client.post(add_url(investigation), data | {"confirm_kind": "on"})

    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert rec.kind == RecommendationKind.SAFETY_RECOMMENDATION
    assert rec.due_on == MARCH_1 + datetime.timedelta(days=90)


def test_from_an_hssib_investigation_a_recommendation_is_due_in_90_days(client, fellow):
    investigation = investigation_from(Source.HSSIB)
    sign_in(client, fellow)
    kind = client.get(add_url(investigation)).context["form"]["kind"].value()

    response = client.post(add_url(investigation), recommendation_data(kind=kind))

    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.kind, rec.due_on) == (
        RecommendationKind.SAFETY_RECOMMENDATION,
        MARCH_1 + datetime.timedelta(days=90),
    )


def test_from_an_hssib_investigation_an_observation_needs_no_confirmation(client, fellow):
    investigation = investigation_from(Source.HSSIB)
    sign_in(client, fellow)
    response = client.post(
        add_url(investigation), recommendation_data(kind=RecommendationKind.SAFETY_OBSERVATION)
    )
    assert response.status_code == 302


def test_from_an_hssib_investigation_a_pfd_concern_asks_for_confirmation(client, fellow):
    investigation = investigation_from(Source.HSSIB)
    sign_in(client, fellow)
    response = client.post(
        add_url(investigation), recommendation_data(kind=RecommendationKind.PFD_CONCERN)
    )
    assert "kind" in response.context["form"].errors
    assert not Recommendation.objects.exists()


def test_from_an_investigation_of_another_source_any_kind_is_saved_without_asking(client, fellow):
    investigation = investigation_from(Source.OTHER)
    sign_in(client, fellow)
    response = client.post(
        add_url(investigation), recommendation_data(kind=RecommendationKind.PFD_CONCERN)
    )
    assert response.status_code == 302


def test_editing_a_confirmed_kind_does_not_ask_again(client, fellow):
    investigation = investigation_from(Source.PSIRF)
    sign_in(client, fellow)
    data = recommendation_data(kind=RecommendationKind.SAFETY_RECOMMENDATION, confirm_kind="on")
    client.post(add_url(investigation), data)
    rec = Recommendation.objects.get()
    edit = reverse("register:recommendation-edit", args=[rec.pk])
    form = client.get(edit).context["form"]

    response = client.post(
        edit, recommendation_data(kind=rec.kind, version=form["version"].value(), text="Changed.")
    )

    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.text == "Changed."
