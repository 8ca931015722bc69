"""The error pages: what each says, in the design system, and the 500 page's reference."""

import pytest
from django.test import Client

from accounts.roles import Role
from tests.roles import person_with, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_client(client):
    national = person_with(Role.NATIONAL, is_staff=True, is_superuser=True)
    return sign_in_with_second_factor(client, national)


def test_the_404_page_says_what_to_do_next(national_client):
    response = national_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "check it is correct" in response.content.decode()


def test_the_404_page_is_nhs_styled(signed_in_client):
    response = signed_in_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_the_500_page_renders_without_a_request(client):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")

    assert "Sorry, there is a problem with the service" in page


def test_the_400_page_answers_a_request_for_another_host():
    response = Client(HTTP_HOST="not-our-site.example").get("/accounts/login/")

    assert response.status_code == 400
    assert "Sorry, there is a problem with this request" in response.content.decode()


def test_the_403_page_says_who_to_ask(client):
    fellow = person_with(Role.FELLOW)
    client.force_login(fellow)
    response = client.get("/people/")

    assert response.status_code == 403
    assert "ask your HEE regional lead" in response.content.decode()


def test_the_csrf_failure_page_says_what_to_do_next(fellow):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": fellow.email, "password": "x"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form could not be sent" in page
    assert "reload the page" in page


@pytest.mark.urls("tests.portal.error_urls")
def test_the_500_page_shows_the_request_reference():
    client = Client(raise_request_exception=False)
    response = client.get("/fails/", HTTP_X_REQUEST_ID="reference-1234abcd")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "reference-1234abcd" in page
    assert response.headers["X-Request-ID"] == "reference-1234abcd"


@pytest.mark.urls("tests.portal.error_urls")
def test_the_500_page_shows_a_new_reference_when_the_proxy_gave_none():
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")

    assert response.headers["X-Request-ID"] in response.content.decode()
