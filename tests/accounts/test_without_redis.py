"""Signing in, resetting a password and confirming it is you while Redis is really down, with
the rate limits still holding (docs/adr/0018).

Each test starts a Redis server of its own on a free port (never the machine's shared one),
points the cache at it, and stops it for real before the part that matters (the
`redis_server` fixture of tests/conftest.py).
"""

import pytest
from django.core import mail

from tests.accounts.auth_helpers import password_step, sign_in
from tests.accounts.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


def fail(client, email, ip="192.0.2.10"):
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong-password"}, REMOTE_ADDR=ip
    )


def test_the_settings_fall_back_on_the_database_cache_when_redis_is_set(settings):
    from config.env import settings_from_environment

    started = settings_from_environment(
        {"REDIS_URL": "redis://127.0.0.1:6379/3"}, settings.BASE_DIR
    )

    default = started["CACHES"]["default"]
    assert default["BACKEND"] == "portal.cache.RedisCacheWithFallback"
    assert started["CACHES"][default["FALLBACK"]]["BACKEND"].endswith("DatabaseCache")


def test_a_person_signs_in_with_their_code_while_redis_is_stopped(client, user, redis_server):
    redis_server.stop()

    response = sign_in(client, user)

    assert response.status_code == 302
    assert response.url == "/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_password_reset_is_sent_while_redis_is_stopped(client, user, redis_server):
    redis_server.stop()

    response = client.post("/accounts/password/reset/", {"email": user.email})

    assert response.url == "/accounts/password/reset/done/"
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_a_person_confirms_it_is_them_while_redis_is_stopped(client, user, redis_server):
    client.force_login(user)
    redis_server.stop()

    response = client.post(
        "/accounts/reauthenticate/?next=/accounts/sessions/", {"password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == "/accounts/sessions/"


def test_failed_sign_ins_are_still_limited_while_redis_is_stopped(client, user, redis_server):
    fail(client, user.email)  # counted in Redis before it stops
    redis_server.stop()

    answers = [fail(client, user.email).status_code for _ in range(6)]

    # The count kept in Redis is lost with it: the limit starts again in the database.
    assert answers == [200] * 5 + [429]
    assert password_step(client, user, REMOTE_ADDR="192.0.2.10").status_code == 429
    assert password_step(client, user, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_the_limit_of_one_address_still_holds_while_redis_is_stopped(client, redis_server):
    redis_server.stop()

    answers = [fail(client, f"nobody{n}@example.org").status_code for n in range(31)]

    assert answers == [200] * 30 + [429]
