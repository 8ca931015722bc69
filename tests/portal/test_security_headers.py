"""Security headers on every page: the Content Security Policy and the others."""

import pytest

from accounts.roles import Role
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
