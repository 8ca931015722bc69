import pytest
from django.test import RequestFactory

from accounts.models import SecurityEvent
from accounts.security import security_event_record
from tests.accounts.factories import UserFactory


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


def test_every_response_carries_a_request_id(client):
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_plain_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client):
    kept = client.get("/health/live", HTTP_X_REQUEST_ID="proxy-id-0001")["X-Request-ID"]
    replaced = client.get("/health/live", HTTP_X_REQUEST_ID="bad id\nforged")["X-Request-ID"]
    assert kept == "proxy-id-0001"
    assert replaced != "bad id\nforged"
