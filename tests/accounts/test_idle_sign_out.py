"""A person whose session ran out after 30 idle minutes is told why on the sign-in page; one who
signed out, or who was never signed in, is not."""

import datetime as dt

import pytest
import time_machine

from accounts.middleware import IDLE_MESSAGE

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_person_signed_out_for_being_idle_is_told_why(client, user):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(user)
        assert client.get("/accounts/sessions/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))

        response = client.get("/accounts/sessions/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert IDLE_MESSAGE in response.content.decode()
    # Said once: the next visit to the sign-in page is a plain one.
    assert IDLE_MESSAGE not in client.get("/accounts/login/").content.decode()


def test_a_person_who_signed_out_is_not_told_they_were_idle(client, user):
    client.force_login(user)
    client.get("/accounts/sessions/")

    client.post("/accounts/logout/")

    assert IDLE_MESSAGE not in client.get("/accounts/login/").content.decode()


def test_someone_never_signed_in_sees_no_idle_message(client):
    assert IDLE_MESSAGE not in client.get("/accounts/login/").content.decode()
