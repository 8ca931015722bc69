"""What the portal takes from django-allauth's private modules, pinned (accounts/
allauth_internals.py): an allauth release that moves or changes one of them fails here, before
it reaches the sign-in limits, the admin's second-factor check or the tests' factories."""

import re
import time
from pathlib import Path

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.test import RequestFactory

from accounts import lockout
from accounts.allauth_internals import (
    activate_recovery_codes,
    activate_totp,
    authentication_methods,
    cache_lock,
    client_address,
    rate_clear,
    rate_consume,
    record_authentication,
    totp_code,
    usage_of_all,
)
from tests.accounts.auth_helpers import MFA_URL, password_step, sign_in
from tests.accounts.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = {".venv", "node_modules", "var", "static", ".git"}
PRIVATE_IMPORT = re.compile(r"^\s*(from|import)\s+allauth\.[\w.]*internal", re.MULTILINE)

LIMITS = {"try": "2/m/key", "other": "1/m/key"}
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def post_from(address="192.0.2.44"):
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)


def consume(request, key="someone", action="try"):
    return rate_consume(request, app="tests", action=action, config=LIMITS, key=key)


def test_the_client_address_is_the_address_the_request_came_from():
    assert client_address(post_from("203.0.113.9")) == "203.0.113.9"


def test_a_rate_allows_as_many_attempts_as_it_says_then_refuses():
    request = post_from()

    assert [bool(consume(request)) for _ in range(3)] == [True, True, False]
    assert consume(request, key="someone else")  # another key is counted on its own


def test_an_attempt_taken_back_no_longer_counts():
    request = post_from()
    consume(request)
    second = consume(request)

    second.rollback()

    assert consume(request)
    assert not consume(request)


def test_one_usage_of_several_takes_them_all_back():
    request = post_from()
    used = [consume(request, action="try"), consume(request, action="other")]
    assert not consume(request, action="other")

    usage_of_all(used).rollback()

    assert consume(request, action="other")


def test_clearing_a_key_forgets_its_attempts():
    request = post_from()
    consume(request)
    consume(request)

    rate_clear(request, app="tests", action="try", config=LIMITS, key="someone")

    assert consume(request)


def test_a_cache_lock_is_held_once_and_given_up_after_waiting_when_busy():
    with cache_lock("tests:a-record") as first:
        started = time.monotonic()
        with cache_lock("tests:a-record") as second:
            waited = time.monotonic() - started
    with cache_lock("tests:a-record") as after:
        pass

    assert (first, second, after) == (True, False, True)
    assert waited >= 0.5  # it waited for the holder before giving up


def test_a_sign_in_through_the_pages_records_a_password_then_a_second_factor(client, user):
    response = sign_in(client, user)
    assert response.status_code == 302
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user

    assert authentication_methods(request) == ["password", "mfa"]


def test_the_password_step_alone_records_only_the_password(client, user):
    assert password_step(client, user).url == MFA_URL
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user

    # The admin, which asks for "mfa", is not reached on a password alone.
    assert authentication_methods(request) == ["password"]


def test_recorded_authentication_is_read_back_for_that_person_only(client, user):
    session = client.session
    record_authentication(session, user, [{"method": "password", "at": time.time()}])
    session.save()
    request = RequestFactory().get("/")
    request.session = client.session

    request.user = user
    assert authentication_methods(request) == ["password"]
    request.user = UserFactory()
    assert authentication_methods(request) == []


def test_an_activated_authenticator_accepts_the_code_an_app_would_show(client, db):
    person = UserFactory(totp=False)

    activate_totp(person, SECRET)

    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).count() == 1
    counter = int(time.time()) // 30
    # Codes agree with an independent implementation of the same standard (RFC 6238).
    assert totp_code(SECRET, counter) == pyotp.TOTP(SECRET).at(counter * 30)
    assert password_step(client, person, password=DEMO_PASSWORD).url == MFA_URL
    response = client.post(MFA_URL, {"code": totp_code(SECRET, counter)})
    assert (response.status_code, response.url) == (302, "/")


def test_recovery_codes_are_given_unused_and_one_signs_in_once(client, user):
    codes = activate_recovery_codes(user)

    assert len(codes) == len(set(codes)) >= 8
    password_step(client, user)
    assert client.post(MFA_URL, {"code": codes[0]}).url == "/"
    client.logout()
    password_step(client, user)
    again = client.post(MFA_URL, {"code": codes[0]})
    assert again.status_code == 200  # refused: the form is shown again
    assert client.post(MFA_URL, {"code": codes[1]}).url == "/"


def test_a_failed_sign_in_is_counted_even_while_its_lock_is_busy(client, settings):
    # Three different accounts failing at one address refuse the fourth there; each failure
    # is noted while another holder keeps the address's lock, and none is lost.
    settings.SIGN_IN_ADDRESS_ACCOUNTS = (3, 600)
    address = "192.0.2.77"
    with cache_lock(f"{lockout.APP}:address:{address}") as held:
        assert held
        for n in range(3):
            response = client.post(
                "/accounts/login/",
                {"login": f"guess{n}@example.org", "password": "wrong-password"},
                REMOTE_ADDR=address,
            )
            assert response.status_code == 200

    refused = client.post(
        "/accounts/login/",
        {"login": "guess3@example.org", "password": "wrong-password"},
        REMOTE_ADDR=address,
    )
    assert refused.status_code == 429


def test_nothing_but_the_adapter_imports_allauths_private_modules():
    importers = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not LEFT_OUT & set(path.relative_to(ROOT).parts)
        and PRIVATE_IMPORT.search(path.read_text(encoding="utf-8"))
    ]

    assert importers == ["accounts/allauth_internals.py"]
