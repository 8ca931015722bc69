"""allauth's pages in the design system, password reset by email, and reauthentication."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.allauth_internals import activate_recovery_codes
from accounts.models import SecurityEvent
from tests.accounts.factories import DEMO_PASSWORD, totp_code

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DEACTIVATE_URL = "/accounts/2fa/totp/deactivate/"


def nhs_form_page(response):
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-header" in page, "the page uses the portal's layout"
    assert 'class="nhsuk-button"' in page
    return page


def test_forgotten_password_sends_a_link_that_sets_a_new_password(client, user):
    page = nhs_form_page(client.get("/accounts/password/reset/"))
    assert "<h1>Reset your password</h1>" in page
    assert '<label class="nhsuk-label" for="id_email">Email address</label>' in page
    assert "placeholder" not in page
    empty = client.post("/accounts/password/reset/", {"email": ""}).content.decode()
    assert "Enter the email address you sign in with" in empty

    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.url == "/accounts/password/reset/done/"
    assert "Check your email" in client.get(response.url).content.decode()

    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[Safety fellows] Reset your password"
    assert "Patient safety fellows portal" in message.body
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    form_page = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in nhs_form_page(form_page)

    new_password = "a-brand-new-passphrase-2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD_RESET, user=user).exists()


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.url == "/accounts/password/reset/done/"
    assert mail.outbox == []


def test_a_used_reset_link_says_it_does_not_work(client):
    response = client.get("/accounts/password/reset/key/1-not-a-key/", follow=True)

    assert "This link does not work" in response.content.decode()


def reset_link(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    return re.search(r"http://\S+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)[1]


@pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
def test_a_password_reset_link_stops_working_after_an_hour(client, user, minutes, works):
    with time_machine.travel(START, tick=False) as clock:
        link = reset_link(client, user)
        clock.shift(dt.timedelta(minutes=minutes))

        page = client.get(link, follow=True).content.decode()

    assert ("This link does not work" not in page) is works


def test_a_sensitive_page_asks_for_the_password_again_after_5_minutes(signed_in_client, user):
    with time_machine.travel(START, tick=False) as clock:
        signed_in_client.force_login(user)
        clock.shift(dt.timedelta(minutes=6))
        response = signed_in_client.get(DEACTIVATE_URL)
        assert response.url.startswith("/accounts/reauthenticate/")

        page = nhs_form_page(signed_in_client.get(response.url))
        assert "<h1>Confirm it is you</h1>" in page
        assert '<label class="nhsuk-label" for="id_password">' in page
        assert 'href="/accounts/2fa/reauthenticate/' in page

        confirmed = signed_in_client.post(response.url, {"password": DEMO_PASSWORD})
        assert confirmed.url == DEACTIVATE_URL
        assert signed_in_client.get(DEACTIVATE_URL).status_code == 200


def test_the_authenticator_code_can_confirm_instead_of_the_password(signed_in_client, user):
    with time_machine.travel(START, tick=False) as clock:
        signed_in_client.force_login(user)
        clock.shift(dt.timedelta(minutes=6))
        url = f"/accounts/2fa/reauthenticate/?next={DEACTIVATE_URL}"

        page = nhs_form_page(signed_in_client.get(url))
        assert "<h1>Confirm it is you</h1>" in page
        assert '<label class="nhsuk-label" for="id_code">' in page

        confirmed = signed_in_client.post(url, {"code": totp_code()})
        assert confirmed.url == DEACTIVATE_URL


def test_the_reauthentication_timeout_is_5_minutes(settings):
    assert settings.ACCOUNT_REAUTHENTICATION_TIMEOUT == 300


def test_the_two_factor_page_shows_the_app_and_the_recovery_codes(client, user):
    activate_recovery_codes(user)
    with time_machine.travel(START, tick=False):
        client.force_login(user)
        page = client.get("/accounts/2fa/").content.decode()
        codes = client.get("/accounts/2fa/recovery-codes/").content.decode()

    assert "<h1>Two-factor authentication</h1>" in page
    assert "10 unused" in page
    assert "<h1>Your recovery codes</h1>" in codes
    assert codes.count("<li><code>") == 10


def test_the_header_links_to_the_account_pages(signed_in_client):
    page = signed_in_client.get("/").content.decode()

    assert 'href="/accounts/sessions/">Your sessions</a>' in page
    assert 'href="/accounts/2fa/">Two-factor authentication</a>' in page


@pytest.mark.usefixtures("no_mfa_required")
def test_the_sign_in_fields_have_labels_and_no_placeholders(client):
    page = client.get(reverse("account_login")).content.decode()

    inputs = re.findall(r"<input[^>]*>", page)
    assert any('name="login"' in tag for tag in inputs)
    assert not [tag for tag in inputs if "placeholder=" in tag]
    assert '<label class="nhsuk-label" for="id_login">' in page
    for described_by in re.findall(r'aria-describedby="([^"]+)"', page):
        for target in described_by.split():
            assert f'id="{target}"' in page


@pytest.mark.usefixtures("no_mfa_required")
def test_the_sign_up_page_says_accounts_are_by_invitation_in_sentence_case(client):
    page = client.get("/accounts/signup/").content.decode()

    assert "<h1>You cannot create an account</h1>" in page
    assert "Sign Up Closed" not in page
    assert "by invitation only" in page


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/2fa/totp/deactivate/", "Remove your authenticator app"),
        ("/accounts/2fa/recovery-codes/generate/", "Get new recovery codes"),
        ("/accounts/inactive/", "Your account is closed"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/sessions/", "Your sessions"),
    ],
)
def test_account_pages_speak_plainly_in_the_design_system(signed_in_client, path, heading):
    response = signed_in_client.get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in page
    assert "nhsuk-header" in page
    assert "placeholder=" not in page
    assert "_helptext" not in page
