"""A report's file kept in an S3-compatible bucket (production) or in the local folder (a
developer's machine), through Django's storage API: made, downloaded after the scope check
and the security log entry, refused outside the scope, and deleted after seven days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.roles import Role
from reports import services
from reports.models import Report
from tests.roles import host_psc, person_with, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")


class LocalFolder:
    """The local folder, MEDIA_ROOT, as `make run` and the rest of the suite keep files."""

    def __init__(self, root):
        self.root = root

    def object_keys(self):
        return [str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()]

    def read(self, key):
        return (self.root / key).read_bytes()


@pytest.fixture(params=["local folder", "S3 bucket"])
def store(request, settings, tmp_path):
    """Where files are kept: each test runs against both."""
    if request.param == "S3 bucket":
        request.applymarker(pytest.mark.slow)  # it starts a server process
        return request.getfixturevalue("files_in_s3")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return LocalFolder(settings.MEDIA_ROOT)


@pytest.fixture
def chair(db):
    return person_with(Role.PSC_CHAIR, "north")


def ask(client, *, format="csv"):
    return client.post(
        reverse("reports:request"),
        {"scope": f"psc-{host_psc('north').pk}", "quarter": "2025/26 Q3", "format": format},
    )


def made_report(client, chair, capture):
    sign_in(client, chair)
    with capture(execute=True):
        ask(client)
    made = Report.objects.get()
    assert made.status == Report.Status.READY, made.message
    return made


def test_a_report_is_kept_in_the_store_and_downloaded_from_it_byte_for_byte(
    client, chair, store, django_capture_on_commit_callbacks
):
    made = made_report(client, chair, django_capture_on_commit_callbacks)

    assert store.object_keys() == [made.file.name]
    assert made.file.name.startswith("reports/")
    download = client.get(reverse("reports:download", args=[made.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{made.filename}"'
    body = b"".join(download.streaming_content)
    assert body == store.read(made.file.name)
    assert body[:2] == b"PK"  # the ZIP of CSVs
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.REPORT_EXPORTED)
    assert (event.user, event.detail["report"]) == (chair, made.pk)


def test_another_scopes_report_is_404_and_the_attempt_is_logged(
    client, chair, store, django_capture_on_commit_callbacks
):
    made = made_report(client, chair, django_capture_on_commit_callbacks)
    client.logout()
    other = person_with(Role.PSC_CHAIR, "south")
    sign_in(client, other)

    assert client.get(reverse("reports:download", args=[made.pk])).status_code == 404
    denied = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCESS_DENIED)
    assert denied.user == other
    assert denied.detail["model"] == "reports.Report"
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REPORT_EXPORTED).exists()


def test_the_sweep_deletes_the_file_from_the_store_after_seven_days(
    client, chair, store, django_capture_on_commit_callbacks
):
    made = made_report(client, chair, django_capture_on_commit_callbacks)
    key = made.file.name

    assert services.reports_sweep(now=timezone.now() + datetime.timedelta(days=6)) == (0, 0, 0)
    assert store.object_keys() == [key]

    later = made.finished_at + datetime.timedelta(days=7, seconds=1)
    assert services.reports_sweep(now=later) == (0, 0, 1)
    assert store.object_keys() == []
    made.refresh_from_db()
    assert not made.file
    assert client.get(reverse("reports:download", args=[made.pk])).status_code == 404


def test_a_file_the_store_no_longer_has_is_404_not_an_error(
    client, chair, store, django_capture_on_commit_callbacks
):
    made = made_report(client, chair, django_capture_on_commit_callbacks)
    made.file.storage.delete(made.file.name)  # as a lifecycle rule set too short would

    assert store.object_keys() == []
    assert client.get(reverse("reports:download", args=[made.pk])).status_code == 404
