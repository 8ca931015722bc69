"""The owner's link past a pause (docs/adr/0020): when failures from many addresses pause an
account, its owner is emailed a link that lets one browser sign in to it, once, within an hour,
with the password and the second factor still asked for; that browser is then remembered."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.lockout import DEVICE_COOKIE
from accounts.models import SecurityEvent
from tests.accounts.auth_helpers import MFA_URL, password_step, sign_in
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PAUSED_SUBJECT = "[Safety fellows] Sign-ins to your account were paused"
HERE = {"REMOTE_ADDR": "198.51.100.1"}


def fail(client, email, ip):
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong-password"}, REMOTE_ADDR=ip
    )


def pause(email, network="10.0"):
    """Fifty wrong passwords from as many addresses, then one more: the account is paused."""
    someone = Client()
    for n in range(50):
        assert fail(someone, email, ip=f"{network}.0.{n}").status_code == 200
    assert fail(someone, email, ip=f"{network}.1.1").status_code == 429


def unlock_link_of(user):
    (message,) = [
        message
        for message in mail.outbox
        if message.subject == PAUSED_SUBJECT and message.to == [user.email]
    ]
    found = re.search(r"http://\S+(/sign-in/unlock/\S+/)", message.body)
    assert found, "the email of a pause from many addresses carries the owner's link"
    return found[1]


@pytest.fixture
def link(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pause(user.email)
    return unlock_link_of(user)


def test_the_owners_link_lets_their_browser_through_the_pause_once(client, user, link):
    assert password_step(client, user, **HERE).status_code == 429

    page = client.get(link, **HERE)
    assert page.status_code == 200
    assert "<h1>Sign in while sign-ins are paused</h1>" in page.content.decode()
    response = client.post(link, **HERE)
    assert (response.status_code, response.url) == (302, reverse("account_login"))

    response = sign_in(client, user, **HERE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert DEVICE_COOKIE in client.cookies
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.UNLOCK_LINK_USED)
    assert (event.user, event.ip_address) == (user, "198.51.100.1")

    # Used: it says so, and it lets no other browser through.
    elsewhere = Client()
    for answer in (elsewhere.get(link), elsewhere.post(link)):
        assert answer.status_code == 410
        assert "<h1>This link has already been used</h1>" in answer.content.decode()
    assert password_step(elsewhere, user, **HERE).status_code == 429


def test_the_link_still_needs_the_password_and_the_second_factor(client, user, link):
    client.post(link)

    wrong = fail(client, user.email, ip="198.51.100.1")
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = password_step(client, user, **HERE)
    assert (right.status_code, right.url) == (302, MFA_URL)
    assert "_auth_user_id" not in client.session
    assert DEVICE_COOKIE not in client.cookies
    refused = client.post(MFA_URL, {"code": "000000"}, **HERE)
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_limits_at_its_address_still_apply_to_the_browser_with_the_link(client, user, link):
    client.post(link)

    answers = [fail(client, user.email, ip="198.51.100.1").status_code for _ in range(6)]

    assert answers == [200] * 5 + [429]
    assert password_step(client, user, **HERE).status_code == 429


def test_the_link_lets_the_browser_past_the_pause_on_its_owners_account_only(
    client, user, link, django_capture_on_commit_callbacks
):
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        pause(other.email, network="10.2")
    client.post(link)

    assert password_step(client, other, **HERE).status_code == 429
    assert password_step(client, user, **HERE).status_code == 302


def test_a_link_opened_after_an_hour_has_expired(client, user, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            pause(user.email)
        link = unlock_link_of(user)
        clock.shift(dt.timedelta(minutes=61))

        answers = [client.get(link), client.post(link)]

    for answer in answers:
        assert answer.status_code == 410
        assert "<h1>This link has expired</h1>" in answer.content.decode()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.UNLOCK_LINK_USED).exists()


def test_a_link_that_was_not_sent_does_not_work(client, user, link):
    forged = link.replace("/unlock/", "/unlock/x")

    answer = client.get(forged)

    assert answer.status_code == 404
    assert "<h1>This link does not work</h1>" in answer.content.decode()


def test_a_pause_at_one_address_sends_no_link(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            fail(client, user.email, ip="203.0.113.66")

    (message,) = [message for message in mail.outbox if message.subject == PAUSED_SUBJECT]
    assert "/sign-in/unlock/" not in message.body
