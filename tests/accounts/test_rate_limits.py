"""Brute-force protection that cannot be turned against the owner (docs/adr/0020): failures
are counted per account at one address, per account from anywhere, and per address as the
number of different accounts failing there; a browser that has signed in to the account before
is counted on its own; the owner is told, once a day."""

import re

import pytest
from django.core import mail

from accounts.lockout import DEVICE_COOKIE
from accounts.models import SecurityEvent
from tests.accounts.auth_helpers import (
    MFA_URL,
    TOTP_SET_UP_URL,
    password_step,
    set_up_page_secret,
    sign_in,
)
from tests.accounts.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

PAUSED_SUBJECT = "[Safety fellows] Sign-ins to your account were paused"


def fail(client, email, ip="192.0.2.10"):
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong-password"}, REMOTE_ADDR=ip
    )


def device_cookie_of(client, user):
    """Sign in fully (password and code) and return the device cookie the browser was given,
    then sign out, as the owner would before someone else starts guessing."""
    assert sign_in(client, user, REMOTE_ADDR="198.51.100.50").status_code == 302
    value = client.cookies[DEVICE_COOKIE].value
    client.logout()
    return value


def paused_emails():
    return [message for message in mail.outbox if message.subject == PAUSED_SUBJECT]


def test_the_sixth_failure_for_one_account_from_one_address_is_refused_with_429(client, user):
    answers = [fail(client, user.email).status_code for _ in range(6)]

    assert answers == [200, 200, 200, 200, 200, 429]


def test_failures_from_one_address_do_not_lock_the_account_for_another(client, user):
    for _ in range(6):
        fail(client, user.email, ip="203.0.113.66")

    response = password_step(client, user, REMOTE_ADDR="198.51.100.1")

    assert (response.status_code, response.url) == (302, MFA_URL)


def test_failures_from_many_addresses_pause_the_account_even_for_the_right_password(client, user):
    for n in range(50):
        assert fail(client, user.email, ip=f"10.0.{n // 250}.{n % 250}").status_code == 200

    assert fail(client, user.email, ip="10.1.0.1").status_code == 429
    response = password_step(client, user, REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "paused sign-ins to it for up to an hour" in response.content.decode()


def test_a_browser_that_signed_in_before_gets_through_a_paused_account(client, user):
    device = device_cookie_of(client, user)
    for n in range(50):
        fail(client, user.email, ip=f"10.0.0.{n}")
    assert password_step(client, user, REMOTE_ADDR="198.51.100.1").status_code == 429

    client.cookies[DEVICE_COOKIE] = device
    response = password_step(client, user, REMOTE_ADDR="198.51.100.1")

    assert (response.status_code, response.url) == (302, MFA_URL)


def test_the_device_cookie_is_given_only_after_the_second_factor(client, user):
    response = password_step(client, user)
    assert response.url == MFA_URL
    assert DEVICE_COOKIE not in client.cookies

    client.logout()
    assert sign_in(client, user).status_code == 302
    cookie = client.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert user.email not in cookie.value


def test_wrong_passwords_from_a_trusted_browser_are_still_limited(client, user):
    client.cookies[DEVICE_COOKIE] = device_cookie_of(client, user)

    answers = [fail(client, user.email, ip="198.51.100.1").status_code for _ in range(6)]

    assert answers == [200] * 5 + [429]
    assert password_step(client, user, REMOTE_ADDR="198.51.100.1").status_code == 429
    # Its failures are its own: the owner's other browsers, and other addresses, are untouched.
    client.cookies.pop(DEVICE_COOKIE)
    assert password_step(client, user, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_cookie_for_another_account_or_a_forged_one_does_not_help(client, user):
    other = UserFactory()
    for n in range(50):
        fail(client, user.email, ip=f"10.0.0.{n}")

    client.cookies[DEVICE_COOKIE] = device_cookie_of(client, other)
    assert password_step(client, user, REMOTE_ADDR="198.51.100.1").status_code == 429

    client.cookies[DEVICE_COOKIE] = "eyJuIjoieCIsImEiOltdfQ:forged:signature"
    assert password_step(client, user, REMOTE_ADDR="198.51.100.1").status_code == 429


def test_one_browser_remembers_each_account_signed_in_from_it(client, user):
    other = UserFactory()
    client.cookies[DEVICE_COOKIE] = device_cookie_of(client, other)
    assert sign_in(client, user, REMOTE_ADDR="198.51.100.50").status_code == 302
    both = client.cookies[DEVICE_COOKIE].value
    client.logout()
    for n in range(50):
        fail(client, user.email, ip=f"10.0.0.{n}")
        fail(client, other.email, ip=f"10.0.1.{n}")

    client.cookies[DEVICE_COOKIE] = both
    assert password_step(client, user, REMOTE_ADDR="198.51.100.1").status_code == 302
    client.logout()
    client.cookies[DEVICE_COOKIE] = both
    assert password_step(client, other, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_staff_mistyping_behind_one_proxy_are_not_locked_out(client, user):
    for n in range(20):
        assert fail(client, f"colleague{n}@example.org", ip="192.0.2.10").status_code == 200

    response = password_step(client, user, REMOTE_ADDR="192.0.2.10")

    assert (response.status_code, response.url) == (302, MFA_URL)


def test_an_address_failing_for_thirty_accounts_is_refused(client, user):
    for n in range(30):
        assert fail(client, f"stuffed{n}@example.org", ip="192.0.2.10").status_code == 200

    refused = password_step(client, user, REMOTE_ADDR="192.0.2.10")
    elsewhere = password_step(client, user, REMOTE_ADDR="192.0.2.11")

    assert refused.status_code == 429
    assert "Sign-ins to many different accounts have failed" in refused.content.decode()
    assert elsewhere.status_code == 302


def test_a_browser_that_signed_in_before_gets_through_a_refused_address(client, user):
    device = device_cookie_of(client, user)
    for n in range(30):
        fail(client, f"stuffed{n}@example.org", ip="192.0.2.10")

    client.cookies[DEVICE_COOKIE] = device
    response = password_step(client, user, REMOTE_ADDR="192.0.2.10")

    assert (response.status_code, response.url) == (302, MFA_URL)


def test_the_owner_is_told_once_a_day_with_the_address(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            fail(client, user.email, ip="203.0.113.66")
        for _ in range(6):
            fail(client, user.email, ip="203.0.113.77")

    (message,) = paused_emails()
    assert message.to == [user.email]
    assert "203.0.113.66" in message.body
    assert "/accounts/password/reset/" in message.body


def test_nobody_is_emailed_for_an_address_without_an_account(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            fail(client, "nobody@example.org")

    assert paused_emails() == []


def test_a_password_reset_by_email_lifts_the_pause_on_the_account(client, user):
    for n in range(50):
        fail(client, user.email, ip=f"10.0.0.{n}")
    client.post("/accounts/password/reset/", {"email": user.email}, REMOTE_ADDR="198.51.100.1")
    (reset,) = [message for message in mail.outbox if "Reset your password" in message.subject]
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", reset.body).group(0)
    form_page = client.get(link, follow=True, REMOTE_ADDR="198.51.100.1")
    new_password = "a-brand-new-passphrase-2026"
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR="198.51.100.1",
    )

    response = password_step(client, user, password=new_password, REMOTE_ADDR="198.51.100.1")

    assert (response.status_code, response.url) == (302, MFA_URL)


def test_a_right_password_takes_its_attempt_back(client, user):
    for _ in range(4):
        fail(client, user.email)
    for _ in range(3):
        assert password_step(client, user, REMOTE_ADDR="192.0.2.10").status_code == 302
        client.logout()

    assert fail(client, user.email).status_code == 200
    assert fail(client, user.email).status_code == 429


def test_a_rate_limited_sign_in_shows_an_nhs_page_and_is_logged_with_its_limit(client):
    other = UserFactory()
    for _ in range(5):
        fail(client, other.email, ip="203.0.113.9")

    response = fail(client, other.email, ip="203.0.113.9")

    page = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in page
    assert "nhsuk-header" in page
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.RATE_LIMITED)
    assert (event.email, event.ip_address, event.path, event.detail["limit"]) == (
        other.email,
        "203.0.113.9",
        "/accounts/login/",
        "pair",
    )


def test_no_device_cookie_for_a_password_alone_before_the_authenticator_is_set_up(client):
    newcomer = UserFactory(totp=False)

    response = password_step(client, newcomer)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    assert DEVICE_COOKIE not in client.cookies
    # Setting the authenticator up completes the sign-in: the browser is remembered then.
    secret = set_up_page_secret(client.get(TOTP_SET_UP_URL))
    client.post(TOTP_SET_UP_URL, {"code": totp_code(secret)})
    assert DEVICE_COOKIE in client.cookies
