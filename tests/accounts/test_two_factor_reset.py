"""Resetting the two-factor authentication of someone who lost their phone and their recovery
codes: the national team for anyone, a regional lead for their own region's fellows, nobody
for themselves; it asks for re-authentication, is logged and tells the person by email."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.allauth_internals import activate_recovery_codes
from accounts.models import SecurityEvent
from accounts.roles import Role
from tests.accounts.auth_helpers import sign_in as sign_in_through_the_pages
from tests.roles import person_with
from tests.roles import sign_in as sign_in_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def reset_url(person):
    return reverse("accounts:person-two-factor-reset", args=[person.pk])


@pytest.fixture
def locked_out(db):
    """A north fellow with an authenticator app and recovery codes, signed in elsewhere."""
    person = person_with(Role.FELLOW, "north", full_name="Finn North")
    activate_recovery_codes(person)
    return person


def signed_in_elsewhere(person):
    other = Client()
    sign_in_through_the_pages(other, person)
    assert other.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=person).exists()
    return other


def test_a_lead_resets_the_two_factor_of_a_fellow_of_their_region(
    client, lead, locked_out, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    elsewhere = signed_in_elsewhere(locked_out)
    sign_in_as(client, lead)
    confirm = client.get(reset_url(locked_out))
    assert confirm.status_code == 200
    assert "TOTP Authenticator" in confirm.text and "Recovery codes" in confirm.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reset_url(locked_out))

    assert response.status_code == 302
    assert response.url == reverse("accounts:person", args=[locked_out.pk])
    assert not Authenticator.objects.filter(user=locked_out).exists()
    assert not UserSession.objects.filter(user=locked_out).exists()
    assert elsewhere.get(reverse("home")).status_code == 302  # signed out
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TWO_FACTOR_RESET)
    assert event.user == lead
    assert event.detail["person"] == locked_out.pk
    assert event.detail["methods"] == ["recovery_codes", "totp"]
    [message] = mail.outbox
    assert message.to == [locked_out.email]
    assert "two-factor authentication was reset" in message.subject
    assert "https://portal.example.org/accounts/login/" in message.body


def test_after_a_reset_the_next_sign_in_asks_to_set_up_an_authenticator(
    client, national, locked_out, settings
):
    sign_in_as(client, national)
    client.post(reset_url(locked_out))
    settings.MFA_REQUIRED = True

    person = Client()
    response = person.post(
        reverse("account_login"), {"login": locked_out.email, "password": "fellows-demo-2026"}
    )

    assert response.status_code == 302
    assert person.get(reverse("home")).url == reverse("mfa_activate_totp")


def test_the_reset_asks_for_a_fresh_reauthentication(client, lead, locked_out):
    sign_in_as(client, lead, reauthenticated=False)

    for method in (client.get, client.post):
        response = method(reset_url(locked_out))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=locked_out).count() == 2


def test_the_reset_page_is_a_confirmation_and_changes_nothing_on_get(client, national, locked_out):
    sign_in_as(client, national)

    assert client.get(reset_url(locked_out)).status_code == 200
    assert Authenticator.objects.filter(user=locked_out).count() == 2
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_RESET).exists()


def test_a_lead_of_another_region_gets_not_found(client, locked_out):
    sign_in_as(client, person_with(Role.REGIONAL_LEAD, "south"))

    assert client.post(reset_url(locked_out)).status_code == 404
    assert Authenticator.objects.filter(user=locked_out).count() == 2


def test_a_lead_cannot_reset_a_regional_lead_or_anyone_but_a_fellow(client, lead):
    other_lead = person_with(Role.REGIONAL_LEAD, "north")
    reader = person_with(Role.PARTNER_READER)
    reader.invitations_received.create(
        email=reader.email, full_name="Reader", role=Role.PARTNER_READER,
        region=lead.assignments.get().region, expires_at="2030-01-01T00:00Z",
    )  # fmt: skip
    sign_in_as(client, lead)

    assert client.post(reset_url(other_lead)).status_code == 403
    assert client.post(reset_url(reader)).status_code == 403
    assert Authenticator.objects.filter(user__in=[other_lead, reader]).count() == 2


def test_nobody_resets_their_own_two_factor_here(client, national):
    sign_in_as(client, national)

    assert client.post(reset_url(national)).status_code == 403
    assert Authenticator.objects.filter(user=national).exists()


def test_the_national_team_resets_anyone_and_the_person_page_offers_it(client, national, lead):
    sign_in_as(client, national)

    assert (
        "Reset two-factor authentication"
        in client.get(reverse("accounts:person", args=[lead.pk])).text
    )
    assert client.post(reset_url(lead)).status_code == 302
    assert not Authenticator.objects.filter(user=lead).exists()


def test_the_reset_needs_the_csrf_token(lead, locked_out):
    client = Client(enforce_csrf_checks=True)
    sign_in_as(client, lead)

    assert client.post(reset_url(locked_out)).status_code == 403
    assert Authenticator.objects.filter(user=locked_out).count() == 2
