"""The admin signs in through the portal's sign-in, with its rate limits and two factors, and
only the national team reaches it."""

import pytest

from accounts.roles import Role
from tests.accounts.auth_helpers import TOTP_SET_UP_URL
from tests.accounts.factories import DEMO_PASSWORD, TOTP_SECRET, UserFactory, totp_code
from tests.roles import person_with, sign_in_with_second_factor

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


def test_a_staff_member_of_a_region_cannot_reach_the_admin(client):
    lead = person_with(Role.REGIONAL_LEAD, is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, lead)

    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/admin/regions/region/", follow=True).status_code == 403


def test_the_national_team_without_staff_status_cannot_reach_the_admin(client):
    sign_in_with_second_factor(client, person_with(Role.NATIONAL))

    assert client.get("/admin/", follow=True).status_code == 403


def test_the_national_team_signed_in_with_a_password_alone_cannot_reach_the_admin(client):
    national = person_with(Role.NATIONAL, is_staff=True, is_superuser=True)
    client.force_login(national)

    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/admin/regions/region/", follow=True).status_code == 403


def test_the_national_team_signed_in_with_its_second_factor_reaches_the_admin(client):
    national = person_with(Role.NATIONAL, is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, national)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/regions/region/").status_code == 200


def test_a_real_sign_in_with_password_and_code_reaches_the_admin(client):
    national = person_with(Role.NATIONAL, is_staff=True, is_superuser=True)
    client.post("/accounts/login/", {"login": national.email, "password": DEMO_PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})

    assert client.get("/admin/").status_code == 200
