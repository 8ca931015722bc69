"""A recommendation and a response hold what real reports say: the longest concern of 208
coroners' Prevention of Future Deaths reports read was 16,545 characters. The size is the
model's (portal/fields.py), said in each box's hint and refused next to the box."""

import pytest
from django.urls import reverse

from learning.models import Investigation
from register.models import Recommendation, RecommendationKind, ResponseStatus
from tests.learning.factories import InvestigationFactory
from tests.register.factories import a_trust, recommendation
from tests.roles import region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

CONCERN = (
    "During the inquest the evidence revealed matters giving rise to concern. The deceased "
    "was assessed on the ward overnight and the early warning score was not escalated to the "
    "medical team, as there was no agreed route for doing so out of hours.\n\n"
)


def text_of(length):
    """Sentences of a coroner's concern, cut to `length` characters."""
    return (CONCERN * (length // len(CONCERN) + 1))[:length]


def recommendation_data(text):
    return {
        "kind": RecommendationKind.PFD_CONCERN,
        "reference": "2026-0412",
        "text": text,
        "addressed_to": a_trust().pk,
        "owner": "",
        "region": region("north").pk,
        "issued_on-day": 1,
        "issued_on-month": 3,
        "issued_on-year": 2026,
        "due_on-day": "",
        "due_on-month": "",
        "due_on-year": "",
        "new_organisation_name": "",
        "new_organisation_kind": "",
    }


def add_url(fellow):
    # A coroner's report: its concerns are the kind that source makes (no confirmation asked).
    investigation = InvestigationFactory(
        created_by=fellow,
        region=region("north"),
        source=Investigation.Source.PREVENTION_OF_FUTURE_DEATHS,
    )
    return f"{reverse('register:recommendation-add')}?investigation={investigation.pk}"


def test_the_longest_concern_of_a_real_coroners_report_is_saved_whole(client, fellow):
    sign_in(client, fellow)
    concern = text_of(16_545)

    response = client.post(add_url(fellow), recommendation_data(concern))

    assert response.status_code == 302, response.context["form"].errors
    assert Recommendation.objects.get().text == concern
    assert len(concern) == 16_545


def test_a_recommendation_longer_than_20000_characters_is_refused_next_to_its_box(client, fellow):
    sign_in(client, fellow)

    response = client.post(add_url(fellow), recommendation_data(text_of(20_001)))

    assert response.status_code == 200
    message = "Recommendation must be 20,000 characters or fewer"
    assert response.context["form"].errors["text"] == [message]
    # In the error message drawn with the box, which its aria-describedby names.
    assert (
        f'<span class="nhsuk-error-message" id="id_text-error"><span '
        f'class="nhsuk-u-visually-hidden">Error: </span>{message}</span>' in response.text
    )
    assert not Recommendation.objects.exists()


def test_the_recommendation_and_response_boxes_say_they_take_20000_characters(client, fellow):
    rec = recommendation(fellow)
    sign_in(client, fellow)

    for url in (
        reverse("register:recommendation-add") + f"?investigation={rec.investigation_id}",
        reverse("register:recommendation-edit", args=[rec.pk]),
        reverse("register:response-add", args=[rec.pk]),
        reverse("register:gap-add"),
    ):
        page = client.get(url)
        assert page.context["form"].fields["text"].max_length == 20_000, url
        assert "Up to 20,000 characters." in page.text, url


def test_a_response_as_long_as_the_longest_concern_is_saved_whole(client, fellow):
    rec = recommendation(fellow)
    sign_in(client, fellow)
    answer = text_of(16_545)

    response = client.post(
        reverse("register:response-add", args=[rec.pk]),
        {
            "status": ResponseStatus.PARTLY_ACCEPTED,
            "responded_on-day": 20,
            "responded_on-month": 4,
            "responded_on-year": 2026,
            "text": answer,
            "url": "",
            "last_response_seen": 0,
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    assert rec.responses.get().text == answer


def test_a_long_text_box_does_not_cut_pasted_text_without_saying_so(client, fellow):
    """A browser stops at `maxlength` and drops the rest of a paste unseen: the boxes for a
    paragraph leave it out, and say the size in the hint instead."""
    sign_in(client, fellow)

    page = client.get(reverse("register:gap-add"))

    assert 'maxlength="20000"' not in page.text
    assert 'maxlength="4000"' not in page.text
