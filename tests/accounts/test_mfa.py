"""Two-factor authentication is required: set-up before anything else, a code at sign-in."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.allauth_internals import activate_recovery_codes
from tests.accounts.auth_helpers import (
    MFA_URL,
    TOTP_SET_UP_URL,
    password_step,
    set_up_page_secret,
    sign_in,
)
from tests.accounts.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

ORDINARY_PAGES = ["/", "/regions/", "/accounts/sessions/", "/accounts/2fa/", "/admin/"]


@pytest.fixture
def newcomer():
    """An account that has not set up an authenticator app yet."""
    return UserFactory(totp=False)


@pytest.mark.parametrize("path", ORDINARY_PAGES)
def test_a_signed_in_user_without_an_authenticator_is_sent_to_set_one_up(client, newcomer, path):
    client.force_login(newcomer)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == TOTP_SET_UP_URL


def test_signing_in_without_an_authenticator_leads_to_the_set_up_page(client, newcomer):
    response = sign_in(client, newcomer)

    assert response.status_code == 302
    assert client.get(response.url).url == TOTP_SET_UP_URL


def test_the_set_up_page_shows_the_qr_code_and_the_setup_key_as_text(client, newcomer):
    sign_in(client, newcomer)

    response = client.get(TOTP_SET_UP_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<img class="portal-qr-code" src="data:image/svg+xml;base64,' in page
    assert len(set_up_page_secret(response)) >= 16
    assert '<label class="nhsuk-label" for="id_code">Code from your authenticator app' in page
    assert 'inputmode="numeric"' in page
    assert "placeholder" not in page


def test_after_setting_up_an_authenticator_the_user_reaches_the_home_page(client, newcomer):
    sign_in(client, newcomer)
    secret = set_up_page_secret(client.get(TOTP_SET_UP_URL))

    response = client.post(TOTP_SET_UP_URL, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert client.get(response.url).status_code == 200
    assert client.get("/").status_code == 200
    assert Authenticator.objects.filter(user=newcomer).count() == 2  # app and recovery codes


def test_a_wrong_code_does_not_set_up_the_authenticator(client, newcomer):
    sign_in(client, newcomer)
    client.get(TOTP_SET_UP_URL)

    response = client.post(TOTP_SET_UP_URL, {"code": "000000"})

    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Authenticator.objects.filter(user=newcomer).exists()
    assert client.get("/").url == TOTP_SET_UP_URL


def test_signing_in_with_an_authenticator_asks_for_the_code(client, user):
    response = password_step(client, user)

    assert response.status_code == 302
    assert response.url == MFA_URL
    assert "_auth_user_id" not in client.session
    page = client.get(MFA_URL).content.decode()
    assert "Enter your security code" in page


def test_a_wrong_code_at_sign_in_is_refused(client, user):
    password_step(client, user)
    wrong = "999999" if totp_code() != "999999" else "999998"

    response = client.post(MFA_URL, {"code": wrong})

    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_code_at_sign_in_reaches_the_home_page(client, user):
    response = sign_in(client, user)

    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_recovery_code_signs_in_once_only(client, user):
    code = activate_recovery_codes(user)[0]

    password_step(client, user)
    first = client.post(MFA_URL, {"code": code})
    client.post(reverse("account_logout"))
    password_step(client, user)
    second = client.post(MFA_URL, {"code": code})

    assert first.status_code == 302
    assert first.url == "/"
    assert second.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_allowed_before_setting_up_an_authenticator(client, newcomer):
    client.force_login(newcomer)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_health_checks_and_static_files_are_not_sent_to_set_up(client, newcomer):
    client.force_login(newcomer)

    assert client.get("/health/live").status_code == 200
    assert client.get("/static/css/portal.css").status_code == 200


def test_with_enforcement_off_the_page_says_so_and_lets_the_user_in(client, newcomer, settings):
    settings.MFA_REQUIRED = False
    client.force_login(newcomer)

    response = client.get("/")

    assert response.status_code == 200
    assert "Demo mode: two-factor authentication is switched off" in response.content.decode()


def test_with_enforcement_on_there_is_no_demo_banner(signed_in_client):
    response = signed_in_client.get("/")

    assert "Demo mode" not in response.content.decode()
