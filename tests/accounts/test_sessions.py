"""Sessions end after 30 minutes without a request and 12 hours after sign-in; a deactivated
account is signed out at its next request; people can end their other sessions."""

import datetime as dt

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import SecurityEvent
from tests.accounts.auth_helpers import sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def signed_in(client, user):
    response = sign_in(client, user)
    assert response.status_code == 302, "signed in"
    return client


def test_sessions_are_set_to_end_after_30_minutes_without_a_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The middleware keeps the idle limit; saving the session on every page made each a write.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def session_writes(client, path="/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if "django_session" in query["sql"] and not query["sql"].lstrip().startswith("SELECT")
    ]


def test_pages_within_a_minute_of_the_last_write_do_not_write_the_session(client, user):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, user)
        clock.shift(dt.timedelta(seconds=30))
        within = session_writes(client)
        clock.shift(dt.timedelta(seconds=29))
        still_within = session_writes(client)
        clock.shift(dt.timedelta(seconds=2))
        after_a_minute = session_writes(client)
        straight_after = session_writes(client)

    assert within == still_within == straight_after == []
    assert len(after_a_minute) == 1


def test_the_idle_limit_counts_from_requests_that_did_not_write(client, user):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, user)
        # Every 50 seconds for an hour: half of these write nothing, yet none is idle.
        answers = []
        for _ in range(72):
            clock.shift(dt.timedelta(seconds=50))
            answers.append(client.get("/").status_code)
        clock.shift(dt.timedelta(minutes=29))
        kept = client.get("/")
        clock.shift(dt.timedelta(minutes=30, seconds=1))
        ended = client.get("/", follow=True)

    assert set(answers) == {200}
    assert kept.status_code == 200
    assert ended.redirect_chain[0][0].startswith("/accounts/login/")
    assert "you had not used the portal for 30 minutes" in ended.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_saved_for_another_reason_still_ends_30_minutes_after_its_last_request(
    client, user
):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, user)
        clock.shift(dt.timedelta(minutes=10))
        assert client.get("/").status_code == 200
        # Something else saves the session a little later (a message, a form step), which
        # moves its stored expiry on without it having been used.
        clock.shift(dt.timedelta(seconds=30))
        session = client.session
        session["something_else"] = True
        session.save()
        clock.shift(dt.timedelta(minutes=29, seconds=31))
        ended = client.get("/", follow=True)

    assert ended.redirect_chain[0][0].startswith("/accounts/login/")
    assert "you had not used the portal for 30 minutes" in ended.content.decode()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SESSION_ENDED, user=user, detail={"reason": "idle"}
    ).exists()


def test_a_session_ends_after_30_minutes_without_a_request(client, user):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, user)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200

        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_session_in_use_ends_12_hours_after_sign_in(client, user):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client, user)
        answers = []
        for _ in range(12 * 60 // 20):
            clock.shift(dt.timedelta(minutes=20))
            answers.append(client.get("/").status_code)
        clock.shift(dt.timedelta(minutes=20))
        response = client.get("/regions/")
        login_page = client.get(response.url)

    assert set(answers) == {200}
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/regions/"
    assert "You have been signed out because you signed in 12 hours ago" in (
        login_page.content.decode()
    )
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SESSION_ENDED, user=user, detail={"reason": "twelve_hours"}
    ).exists()


def test_a_deactivated_user_is_signed_out_at_the_next_request(signed_in_client, user):
    assert signed_in_client.get("/").status_code == 200

    user.is_active = False
    user.save()
    response = signed_in_client.get("/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert signed_in_client.get("/regions/").status_code == 302


def test_a_deactivated_user_cannot_sign_in_again(client, user):
    user.is_active = False
    user.save()

    response = sign_in(client, user)

    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 302}
    assert client.get("/").status_code == 302


def two_sessions(user, laptop, phone, clock):
    """Sign in on two browsers a minute apart: an authenticator code works once only."""
    signed_in(laptop, user)
    clock.shift(dt.timedelta(minutes=1))
    signed_in(phone, user)


def test_the_sessions_page_lists_where_the_user_is_signed_in(user):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone")
    with time_machine.travel(START, tick=False) as clock:
        two_sessions(user, laptop, phone, clock)
        response = laptop.get("/accounts/sessions/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Your sessions</h1>" in page
    assert "Laptop browser" in page and "Phone" in page
    assert "Sign out everywhere else" in page


def test_ending_the_other_sessions_signs_them_out_and_is_logged(user):
    laptop, phone = Client(), Client()
    with time_machine.travel(START, tick=False) as clock:
        two_sessions(user, laptop, phone, clock)
        response = laptop.post("/accounts/sessions/")
        laptop_after, phone_after = laptop.get("/"), phone.get("/")

    assert response.status_code == 302
    assert laptop_after.status_code == 200
    assert phone_after.status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1
    assert (
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSION_ENDED, user=user).count() == 1
    )


@pytest.mark.slow
def test_production_cookies_are_secure_http_only_and_same_site():
    from tests.processes import SETUP, run_python
    from tests.project.test_settings import GOOD_PRODUCTION

    code = (
        SETUP + "from django.conf import settings;"
        "print(settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,"
        " settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_SECURE)"
    )
    result = run_python(GOOD_PRODUCTION, code)
    assert result.stdout.split() == ["True", "True", "Lax", "True"]
