"""Brute-force protection: too many failed sign-ins answer 429 and go in the security log."""

import pytest

from accounts.models import SecurityEvent
from tests.auth_helpers import password_step
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fail(client, email, ip="192.0.2.10"):
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong-password"}, REMOTE_ADDR=ip
    )


def test_the_sixth_failed_sign_in_for_one_account_is_refused_with_429(client, user):
    answers = [fail(client, user.email, ip=f"192.0.2.{n}").status_code for n in range(6)]

    assert answers == [200, 200, 200, 200, 200, 429]


def test_a_locked_account_is_refused_even_with_the_right_password(client, user):
    for n in range(5):
        fail(client, user.email, ip=f"192.0.2.{n}")

    response = password_step(client, user, REMOTE_ADDR="198.51.100.1")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_eleventh_failed_sign_in_from_one_address_is_refused_with_429(client):
    answers = [fail(client, f"nobody{n}@example.org").status_code for n in range(11)]

    assert answers == [200] * 10 + [429]


def test_the_limit_of_one_address_does_not_lock_out_another(client, user):
    for n in range(10):
        fail(client, f"nobody{n}@example.org", ip="192.0.2.10")

    response = password_step(client, user, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302


def test_a_rate_limited_sign_in_shows_an_nhs_page_and_is_logged(client):
    other = UserFactory()
    for n in range(5):
        fail(client, other.email, ip=f"192.0.2.{n}")

    response = fail(client, other.email, ip="203.0.113.9")

    page = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in page
    assert "nhsuk-header" in page
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.RATE_LIMITED)
    assert (event.email, event.ip_address, event.path) == (
        other.email,
        "203.0.113.9",
        "/accounts/login/",
    )
