"""What the security log records, and that it never keeps a password."""

import datetime as dt

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.test import RequestFactory

from accounts.models import SecurityEvent
from accounts.security import security_event_record
from tests.accounts.auth_helpers import TOTP_SET_UP_URL, sign_in
from tests.accounts.factories import DEMO_PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


def kinds():
    return list(SecurityEvent.objects.order_by("created_at", "pk").values_list("kind", flat=True))


def test_a_sign_in_is_recorded_with_the_address_it_came_from(client, user):
    sign_in(client, user)

    event = SecurityEvent.objects.get(kind=Kind.SIGNED_IN)
    assert (event.user, event.ip_address) == (user, "127.0.0.1")
    assert len(event.request_id) == 32


def test_a_failed_sign_in_keeps_the_address_typed_and_never_the_password(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": "Secret-guess-123"})

    event = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert event.email == user.email
    assert "Secret-guess-123" not in str(model_to_dict(event))
    assert "password" not in str(event.detail)


def test_a_failed_sign_in_for_an_unknown_address_is_recorded(client):
    client.post("/accounts/login/", {"login": "stranger@example.org", "password": "guess"})

    event = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert (event.user, event.email) == (None, "stranger@example.org")


@pytest.mark.django_db
def test_an_event_records_the_user_ip_request_id_and_path_but_no_secret():
    user = UserFactory()
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    request.request_id = "abc123def456"

    security_event_record(
        kind=SecurityEvent.Kind.SIGNED_IN, request=request, password="hunter2", method="password"
    )

    event = SecurityEvent.objects.get()
    assert (event.user, event.ip_address, event.request_id, event.path) == (
        user,
        "192.0.2.7",
        "abc123def456",
        "/accounts/login/",
    )
    assert event.detail == {"method": "password"}


def test_a_wrong_authenticator_code_is_recorded_as_a_failed_sign_in(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": DEMO_PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": "12345"})

    event = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert (event.user, event.detail["method"]) == (user, "totp")


def test_signing_out_is_recorded(client, user):
    sign_in(client, user)
    client.post("/accounts/logout/")

    assert kinds() == [Kind.SIGNED_IN, Kind.SIGNED_OUT]


def test_setting_up_an_authenticator_is_recorded(client, django_capture_on_commit_callbacks):
    newcomer = UserFactory(totp=False)
    sign_in(client, newcomer)
    secret = client.get(TOTP_SET_UP_URL).context["form"].secret

    # allauth announces the new authenticator once the transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(TOTP_SET_UP_URL, {"code": totp_code(secret)})

    added = SecurityEvent.objects.filter(kind=Kind.MFA_ADDED, user=newcomer)
    assert sorted(added.values_list("detail__method", flat=True)) == ["recovery_codes", "totp"]


def test_removing_an_authenticator_is_recorded(client, user):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        sign_in(client, user)
        client.post("/accounts/2fa/totp/deactivate/")

    assert SecurityEvent.objects.filter(kind=Kind.MFA_REMOVED, user=user).exists()


def test_a_refused_page_is_recorded_and_shows_the_nhs_403_page(signed_in_client, user):
    # The admin is for staff: it refuses a signed-in person who is not.
    response = signed_in_client.get("/admin/login/")

    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You do not have access to this page</h1>" in page
    assert "nhsuk-header" in page
    event = SecurityEvent.objects.get(kind=Kind.ACCESS_DENIED)
    assert (event.user, event.path) == (user, "/admin/login/")


def test_the_admin_lists_the_log_read_only(admin_client):
    SecurityEvent.objects.create(kind=Kind.SIGN_IN_FAILED, email="someone@example.org")

    listing = admin_client.get("/admin/accounts/securityevent/?q=someone")
    filtered = admin_client.get("/admin/accounts/securityevent/?kind=sign_in_failed")
    add = admin_client.get("/admin/accounts/securityevent/add/")

    assert listing.status_code == 200
    assert "someone@example.org" in listing.content.decode()
    assert filtered.status_code == 200
    assert add.status_code == 403
