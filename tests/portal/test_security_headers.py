"""Security headers on every page, the deployment checks, and the error pages."""

import secrets

import pytest
from django.test import Client

from accounts.roles import Role
from tests.processes import run_python
from tests.project.test_settings import GOOD_PRODUCTION
from tests.roles import person_with, sign_in_with_second_factor

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/regions/",
    "/learning/",
    "/investigations/",
    "/initiatives/",
    "/search/?q=sepsis",
    "/digests/preferences/",
    "/accounts/sessions/",
    "/admin/",
    "/no-such-page/",
]


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.fixture
def national_client(client):
    national = person_with(Role.NATIONAL, is_staff=True, is_superuser=True)
    return sign_in_with_second_factor(client, national)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_content_security_policy_without_inline_code(national_client, path):
    response = national_client.get(path)
    csp = policy(response)

    assert response.status_code in {200, 404}
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/health/live", "/health/ready"])
def test_pages_for_everyone_carry_the_same_headers(client, path):
    response = client.get(path)

    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_page_template_has_inline_script_or_style(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()

    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_check_deploy_is_clean_in_production_settings():
    environment = {**GOOD_PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(60)}
    result = run_python(
        environment, args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_does_not_start_with_a_weak_secret_key():
    # What Django's deploy check would warn of (security.W009) stops the start-up itself.
    result = run_python(
        {**GOOD_PRODUCTION, "SECRET_KEY": "ab" * 30},
        args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be random in production" in result.stderr


def test_the_404_page_says_what_to_do_next(national_client):
    response = national_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "check it is correct" in response.content.decode()


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
