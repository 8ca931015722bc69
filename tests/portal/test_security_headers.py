"""Security headers on every page: the Content Security Policy and the others."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from portal.middleware import NoStoreWhenSignedInMiddleware
from reports.models import Report
from tests.roles import host_psc, person_with, region, sign_in, sign_in_with_second_factor

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


# Nothing a signed-in person is sent is kept by their browser: after they sign out of a shared
# ward computer, Back shows the next person nothing of theirs. Every signed-in page of every
# role is checked in tests/project/test_access_matrix.py.
def kept_by_no_browser(response):
    directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize("path", PAGES)
def test_every_signed_in_page_is_kept_by_no_browser(national_client, path):
    assert kept_by_no_browser(national_client.get(path)), path


def test_a_report_download_is_kept_by_no_browser(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MFA_REQUIRED = False
    chair = person_with(Role.PSC_CHAIR, "north")
    made = Report.objects.create(
        requested_by=chair,
        psc=host_psc("north"),
        region=region("north"),
        year=2025,
        quarter_number=3,
        format=Report.Format.PDF,
        status=Report.Status.READY,
        finished_at=timezone.now(),
    )
    made.file.save(made.filename, ContentFile(b"%PDF-1.7"))
    sign_in(client, chair)

    download = client.get(reverse("reports:download", args=[made.pk]))

    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert kept_by_no_browser(download)


def test_a_stricter_header_a_view_sets_is_kept_as_strict(national_client):
    # The admin's pages are never cached by Django's own decorator.
    response = national_client.get("/admin/")

    directives = {d.strip() for d in response.headers["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"} <= directives


@pytest.mark.parametrize("path", ["/static/js/portal.js", "/assets/images/nhsuk-icon-cross.svg"])
def test_static_files_keep_their_own_caching_even_for_someone_signed_in(national_client, path):
    response = national_client.get(path)

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("signed_in", "expected"),
    [(False, {"public", "max-age=300"}), (True, {"max-age=300", "no-store", "private"})],
)
def test_what_a_view_set_is_kept_and_made_private_for_someone_signed_in(rf, signed_in, expected):
    def view(request):
        response = HttpResponse("A page")
        response["Cache-Control"] = "public, max-age=300"
        return response

    request = rf.get("/")
    request.user = person_with(Role.FELLOW, "north") if signed_in else AnonymousUser()

    response = NoStoreWhenSignedInMiddleware(view)(request)

    assert {d.strip() for d in response["Cache-Control"].split(",")} == expected
