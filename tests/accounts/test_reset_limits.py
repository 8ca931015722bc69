"""Password reset emails to one address are limited to 3 an hour and 10 a day, so the form
cannot fill someone's inbox (docs/adr/0020). The page after the form says the same whatever
happened: whether the address has an account, and whether its emails were used up."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import SecurityEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def request_reset(client, email):
    return client.post(
        reverse("account_reset_password"),
        {"email": email},
        follow=True,
        REMOTE_ADDR="198.51.100.1",
    )


def what_it_says(response):
    """Where the answer ended up, its status, and the main part of its page."""
    page = response.content.decode()
    main = re.search(r"<main.*</main>", page, flags=re.DOTALL)[0]
    return response.redirect_chain, response.status_code, main


def reset_emails():
    return [message for message in mail.outbox if "Reset your password" in message.subject]


def test_a_fourth_reset_email_in_an_hour_to_one_address_is_not_sent(client, user):
    answers = [what_it_says(request_reset(client, user.email)) for _ in range(4)]

    assert len(reset_emails()) == 3
    assert answers[3] == answers[0]
    assert "Check your email" in answers[0][2]
    # The same as for an address that has no account, which is sent nothing.
    assert what_it_says(request_reset(client, "nobody@example.org")) == answers[0]
    assert len(reset_emails()) == 3
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.RATE_LIMITED)
    assert (event.user, event.detail["limit"]) == (user, "reset_email")


def test_an_eleventh_reset_email_in_a_day_to_one_address_is_not_sent(client, user):
    with time_machine.travel(START, tick=False) as clock:
        for _hour in range(3):
            answers = [what_it_says(request_reset(client, user.email)) for _ in range(3)]
            clock.shift(dt.timedelta(minutes=61))
        tenth = what_it_says(request_reset(client, user.email))
        assert len(reset_emails()) == 10

        # The second of this hour, but the eleventh of the day.
        eleventh = what_it_says(request_reset(client, user.email))
        assert len(reset_emails()) == 10
        assert eleventh == tenth == answers[0]

        clock.shift(dt.timedelta(hours=24))
        request_reset(client, user.email)
        assert len(reset_emails()) == 11
