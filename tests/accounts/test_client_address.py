"""The address the sign-in limits count and the security log keeps: X-Forwarded-For is believed
only from a peer named in TRUSTED_PROXIES, and then its right-most address that is not one of
them (docs/adr/0020). Anyone else who reaches gunicorn is counted at their own address, so a
made-up header cannot spread one person's failures over fifty addresses."""

import pytest
from django.test import RequestFactory

from accounts.models import SecurityEvent
from accounts.security import client_ip
from config.env import settings_from_environment
from config.settings import BASE_DIR
from tests.accounts.auth_helpers import MFA_URL, password_step

pytestmark = pytest.mark.django_db

PROXY = "10.9.9.9"
# What production starts with, behind its proxy at PROXY.
PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "test-only-Zq7vK2pX9mR4tW8yB3nL6cF1hJ5dG0sA-not-a-real-key",
    "ALLOWED_HOSTS": "portal.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://portal.example.org",
    "TRUSTED_PROXIES": PROXY,
}
CLIENT_ADDRESS_SETTINGS = (
    "TRUSTED_PROXIES",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
    "ALLAUTH_TRUSTED_CLIENT_IP_HEADER",
)


@pytest.fixture
def behind_the_proxy(settings):
    """The settings that decide the client's address, as production has them."""
    started = settings_from_environment(PRODUCTION, BASE_DIR)
    for name in CLIENT_ADDRESS_SETTINGS:
        if name in started:
            setattr(settings, name, started[name])


def fail(client, email, **extra):
    return client.post("/accounts/login/", {"login": email, "password": "wrong"}, **extra)


def request_from(peer, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=peer, **extra)


def test_a_made_up_x_forwarded_for_does_not_spread_failures_over_many_addresses(
    client, user, behind_the_proxy
):
    # Someone reaching gunicorn directly, naming a new address in every request.
    answers = [
        fail(client, user.email, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        for n in range(50)
    ]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429] * 45
    # All counted at their one address: the account is not paused for its owner.
    response = password_step(client, user, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert (response.status_code, response.url) == (302, MFA_URL)


def test_from_the_trusted_proxy_the_address_it_passes_on_is_counted(client, user, behind_the_proxy):
    # The client wrote addresses of its own; the proxy appended the one it saw.
    answers = [
        fail(
            client,
            user.email,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.66",
        ).status_code
        for n in range(6)
    ]

    assert answers == [200] * 5 + [429]
    # Someone else behind the same proxy is counted at their own address.
    response = password_step(client, user, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert (response.status_code, response.url) == (302, MFA_URL)


def test_the_security_log_keeps_the_peers_address_when_the_peer_is_not_a_proxy(
    client, user, behind_the_proxy
):
    fail(client, user.email, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.0.0.1")

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert event.ip_address == "203.0.113.66"


@pytest.mark.parametrize(
    ("peer", "forwarded", "address"),
    [
        # A peer that is not a proxy: the header is never read.
        ("203.0.113.66", "10.0.0.1", "203.0.113.66"),
        # The right-most address that is not a proxy, past proxies in a chain.
        (PROXY, "10.0.0.1, 203.0.113.66, 10.8.0.3", "203.0.113.66"),
        (PROXY, "203.0.113.66:51234", "203.0.113.66"),
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        # From the proxy without a header, or with only proxies in it.
        (PROXY, None, PROXY),
        (PROXY, "10.8.0.3", "10.8.0.3"),
        # Something that is not an address: counted at the last address vouched for.
        (PROXY, "203.0.113.66, unknown", PROXY),
    ],
)
def test_the_client_address(settings, peer, forwarded, address):
    settings.TRUSTED_PROXIES = [f"{PROXY}/32", "10.8.0.0/16"]

    assert client_ip(request_from(peer, forwarded)) == address
