"""The admin signs in through the portal's sign-in, with its rate limits and two factors."""

import pytest

from tests.auth_helpers import TOTP_SET_UP_URL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_sign_in_sends_people_to_the_portal_sign_in(client):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2Flogin%2F"


def test_the_admin_sends_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_a_staff_member_without_an_authenticator_cannot_reach_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True, totp=False)
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url == TOTP_SET_UP_URL


def test_a_staff_member_with_an_authenticator_reaches_the_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200
