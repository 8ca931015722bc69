"""Revoking an invitation asks for a recent re-authentication, like every other people action."""

import pytest
from django.urls import reverse

from accounts.models import Invitation
from tests.roles import invite_fellow
from tests.roles import sign_in as sign_in_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def test_revoking_an_invitation_asks_for_a_fresh_reauthentication(client, lead):
    invitation = invite_fellow(lead)
    sign_in_as(client, lead, reauthenticated=False)
    url = reverse("accounts:invitation-revoke", args=[invitation.pk])

    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_lead_who_has_just_confirmed_it_is_them_revokes_an_invitation(client, lead):
    invitation = invite_fellow(lead)
    sign_in_as(client, lead)

    response = client.post(reverse("accounts:invitation-revoke", args=[invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
