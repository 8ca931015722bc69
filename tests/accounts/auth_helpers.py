"""Signing in through the real allauth pages with the test client, as a person would."""

import re

from django.urls import reverse

from tests.accounts.factories import DEMO_PASSWORD, TOTP_SECRET, totp_code

LOGIN_URL = reverse("account_login")
MFA_URL = "/accounts/2fa/authenticate/"
TOTP_SET_UP_URL = "/accounts/2fa/totp/activate/"


def password_step(client, user, password=DEMO_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": user.email, "password": password}, **extra)


def sign_in(client, user, secret=TOTP_SECRET, **extra):
    """Password, then the authenticator code when asked: the response after the last step."""
    response = password_step(client, user, **extra)
    if response.status_code == 302 and response.url == MFA_URL:
        response = client.post(MFA_URL, {"code": totp_code(secret)}, **extra)
    return response


def set_up_page_secret(response):
    """The setup key, read from the page as a person who cannot scan the QR code would."""
    match = re.search(r'id="authenticator_secret">([A-Z2-7 ]+)<', response.content.decode())
    assert match, "the set-up page shows the setup key as text"
    return match.group(1).replace(" ", "")
