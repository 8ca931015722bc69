"""Reactivating a deactivated account from the portal: the same people who may deactivate it,
after re-authenticating, with the change in the security log."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent, User
from accounts.roles import Role
from accounts.services import user_deactivate
from tests.roles import person_with
from tests.roles import sign_in as sign_in_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def reactivate_url(person):
    return reverse("accounts:person-reactivate", args=[person.pk])


@pytest.fixture
def deactivated(db, national):
    person = person_with(Role.FELLOW, "north", full_name="Finn North")
    user_deactivate(person=person, by=national)
    return person


def is_active(person):
    return User.objects.get(pk=person.pk).is_active


def test_a_lead_reactivates_a_fellow_of_their_region_who_can_then_sign_in(
    client, lead, deactivated
):
    sign_in_as(client, lead)
    person_page = client.get(reverse("accounts:person", args=[deactivated.pk])).text
    assert reactivate_url(deactivated) in person_page
    assert client.get(reactivate_url(deactivated)).status_code == 200

    response = client.post(reactivate_url(deactivated))

    assert response.status_code == 302
    assert is_active(deactivated)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.USER_REACTIVATED)
    assert (event.user, event.detail["person"]) == (lead, deactivated.pk)
    assert Client().login(email=deactivated.email, password="fellows-demo-2026")


def test_an_active_account_is_not_offered_reactivation(client, lead):
    fellow = person_with(Role.FELLOW, "north")
    sign_in_as(client, lead)

    assert (
        reactivate_url(fellow) not in client.get(reverse("accounts:person", args=[fellow.pk])).text
    )
    response = client.post(reactivate_url(fellow))

    assert response.status_code == 302
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.USER_REACTIVATED).exists()


def test_reactivating_asks_for_a_fresh_reauthentication(client, lead, deactivated):
    sign_in_as(client, lead, reauthenticated=False)

    for method in (client.get, client.post):
        response = method(reactivate_url(deactivated))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    assert not is_active(deactivated)


def test_a_lead_of_another_region_gets_not_found(client, deactivated):
    sign_in_as(client, person_with(Role.REGIONAL_LEAD, "south"))

    assert client.post(reactivate_url(deactivated)).status_code == 404
    assert not is_active(deactivated)


def test_a_lead_cannot_reactivate_someone_holding_a_role_they_could_not_grant(
    client, lead, national
):
    chair = person_with(Role.PSC_CHAIR, "north")
    user_deactivate(person=chair, by=national)
    sign_in_as(client, lead)

    assert client.post(reactivate_url(chair)).status_code == 403
    assert not is_active(chair)


def test_the_national_team_reactivates_anyone(client, national, lead):
    user_deactivate(person=lead, by=national)
    sign_in_as(client, national)

    assert client.post(reactivate_url(lead)).status_code == 302
    assert is_active(lead)


def test_reactivating_needs_the_csrf_token(lead, deactivated):
    client = sign_in_as(Client(enforce_csrf_checks=True), lead)

    assert client.post(reactivate_url(deactivated)).status_code == 403
    assert not is_active(deactivated)
