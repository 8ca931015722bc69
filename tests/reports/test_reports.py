"""Asking for a quarterly report, its task, its page and its download: scope, reuse of a
report under way, progress, the email, the security log, failure and the sweep."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.roles import Role
from portal.quarters import Quarter
from reports import files, services
from reports.models import Report
from tests.roles import host_psc, person_with, region, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")


@pytest.fixture
def chair(db):
    return person_with(Role.PSC_CHAIR, "north")


def ask(client, psc, *, format="xlsx", quarter="2025/26 Q3"):
    return client.post(
        reverse("reports:request"),
        {"scope": f"psc-{psc.pk}", "quarter": quarter, "format": format},
    )


def test_a_chair_asks_for_the_pscs_report_and_downloads_it_when_it_is_ready(
    client, chair, django_capture_on_commit_callbacks
):
    sign_in(client, chair)
    psc = host_psc("north")
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, psc)
    made = Report.objects.get()
    assert response.url == made.get_absolute_url()
    assert (made.status, made.sections_done, made.sections_total) == ("ready", 9, 9)
    assert made.quarter.label == "2025/26 Q3"

    page = client.get(made.get_absolute_url()).content.decode()
    assert "Download the report" in page
    assert 'http-equiv="refresh"' not in page
    assert len(mail.outbox) == 1
    assert made.get_absolute_url() in mail.outbox[0].body

    download = client.get(reverse("reports:download", args=[made.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert made.filename in download["Content-Disposition"]
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a ZIP: the XLSX format
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.REPORT_EXPORTED)
    assert event.user == chair


def test_a_report_under_way_shows_its_progress_and_a_link_to_check_it_without_refreshing(
    client, chair
):
    sign_in(client, chair)
    ask(client, host_psc("north"))  # queued on commit, which a test's transaction never does
    made = Report.objects.get()
    Report.objects.filter(pk=made.pk).update(status="running", sections_done=3, sections_total=9)
    page = client.get(made.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f'href="{made.get_absolute_url()}" id="check-progress">Check progress</a>' in page
    assert "3 of 9 sections done." in page
    assert '<progress class="portal-progress" id="report-progress" max="9" value="3"' in page
    assert client.get(reverse("reports:download", args=[made.pk])).status_code == 404


def test_asking_twice_while_the_first_is_under_way_reuses_it(client, chair):
    sign_in(client, chair)
    first = ask(client, host_psc("north"))
    second = ask(client, host_psc("north"))
    assert first.url == second.url
    assert Report.objects.count() == 1
    ask(client, host_psc("north"), format="csv")
    assert Report.objects.count() == 2


def test_another_pscs_chair_gets_404_for_the_report_and_its_download(client, chair):
    made, _new = services.report_request(
        by=chair, quarter=Report(year=2025, quarter_number=3).quarter, format="pdf",
        psc=host_psc("north"),
    )  # fmt: skip
    sign_in(client, person_with(Role.PSC_CHAIR, "south"))
    assert client.get(made.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:download", args=[made.pk])).status_code == 404
    client.logout()
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    assert client.get(made.get_absolute_url()).status_code == 200


def test_a_chair_cannot_ask_for_another_pscs_or_a_regions_report(client, chair):
    sign_in(client, chair)
    response = ask(client, host_psc("south"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        reverse("reports:request"),
        {"scope": f"region-{region('north').pk}", "quarter": "2025/26 Q3", "format": "pdf"},
    )
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_missing_answers_are_named_next_to_their_fields(client, chair):
    sign_in(client, chair)
    response = client.post(reverse("reports:request"), {})
    text = response.content.decode()
    for message in ("Choose a quarter", "Choose a format"):
        assert message in text
    assert "Error:" in text


def test_a_fellow_may_not_ask_for_reports(client, fellow):
    sign_in(client, fellow)
    assert client.get(reverse("reports:request")).status_code == 403


def test_a_report_that_fails_says_so_and_is_never_left_running(
    client, chair, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(files, "write_xlsx", broken)
    sign_in(client, chair)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, host_psc("north"))
    made = Report.objects.get()
    assert made.status == "failed"
    page = client.get(made.get_absolute_url()).content.decode()
    assert "The report was not made" in page
    assert "Please ask for it again." in page
    assert not mail.outbox


def test_the_sweep_queues_again_what_a_dead_worker_left_and_deletes_files_after_seven_days(
    chair, django_capture_on_commit_callbacks
):
    now = timezone.now()
    quarter = {"year": 2025, "quarter_number": 3, "psc": host_psc("north"), "format": "csv"}
    # Its worker last said it was alive an hour ago: it died half way.
    left = Report.objects.create(
        requested_by=chair, status="running", attempts=1,
        started_at=now - datetime.timedelta(hours=1),
        heartbeat_at=now - datetime.timedelta(hours=1),
        **quarter,
    )  # fmt: skip
    # Its worker said so ten seconds ago: still being made.
    working = Report.objects.create(
        requested_by=chair, status="running", attempts=1,
        started_at=now - datetime.timedelta(minutes=2),
        heartbeat_at=now - datetime.timedelta(seconds=10),
        **{**quarter, "format": "pdf"},
    )  # fmt: skip
    old = Report.objects.create(
        requested_by=chair, status="ready", finished_at=now - datetime.timedelta(days=8),
        **quarter,
    )  # fmt: skip
    old.file.save("old.pdf", ContentFile(b"%PDF-1.7"))
    path = old.file.path

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_sweep(now=now) == (1, 0, 1)
    left.refresh_from_db()
    working.refresh_from_db()
    old.refresh_from_db()
    # Queued again and made (tasks run in this process here), by its second attempt.
    assert (left.status, left.attempts) == ("ready", 2)
    assert working.status == "running"
    assert not old.file
    assert not __import__("os").path.exists(path)
    assert [m.to for m in mail.outbox] == [[chair.email]]  # one "ready" email, for the one made


def test_the_sweep_fails_a_report_after_three_attempts(chair):
    now = timezone.now()
    left = Report.objects.create(
        requested_by=chair, status="running", attempts=3,
        heartbeat_at=now - datetime.timedelta(hours=1),
        year=2025, quarter_number=3, psc=host_psc("north"), format="pdf",
    )  # fmt: skip

    assert services.reports_sweep(now=now) == (0, 1, 0)
    left.refresh_from_db()
    assert left.status == "failed" and "stopped before it was finished" in left.message


def test_a_report_the_broker_never_took_is_queued_again_by_the_sweep_and_made_once(
    chair, django_capture_on_commit_callbacks, monkeypatch
):
    # Redis is down when it is asked for: the report is saved, and nothing reached a broker.
    from portal import work

    with monkeypatch.context() as broker_down:
        broker_down.setattr(work, "enqueue", lambda *args: None)
        with django_capture_on_commit_callbacks(execute=True):
            made, new = services.report_request(
                by=chair, quarter=Quarter(2025, 3), format=Report.Format.CSV, psc=host_psc("north")
            )
    made.refresh_from_db()
    assert (new, made.status, made.queued_at) == (True, "queued", None)

    # Redis is back: the next sweep queues it, and it is made once.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reports_sweep() == (1, 0, 0)
        assert services.reports_sweep() == (0, 0, 0)
    made.refresh_from_db()
    assert (made.status, made.attempts) == ("ready", 1)
    assert len(mail.outbox) == 1


def test_asking_again_for_a_report_the_broker_never_took_queues_it_at_once(
    chair, django_capture_on_commit_callbacks, monkeypatch
):
    from portal import work

    with monkeypatch.context() as broker_down:
        broker_down.setattr(work, "enqueue", lambda *args: None)
        with django_capture_on_commit_callbacks(execute=True):
            made, _new = services.report_request(
                by=chair, quarter=Quarter(2025, 3), format=Report.Format.CSV, psc=host_psc("north")
            )

    with django_capture_on_commit_callbacks(execute=True):
        again, new = services.report_request(
            by=chair, quarter=Quarter(2025, 3), format=Report.Format.CSV, psc=host_psc("north")
        )
    again.refresh_from_db()
    assert (again.pk, new, again.status) == (made.pk, False, "ready")


def test_a_second_delivery_of_a_report_being_made_does_nothing(chair):
    made = Report.objects.create(
        requested_by=chair, status="running", attempts=1, heartbeat_at=timezone.now(),
        year=2025, quarter_number=3, psc=host_psc("north"), format="csv",
    )  # fmt: skip

    assert services.report_make(report_id=made.pk) is None
    made.refresh_from_db()
    assert (made.status, made.attempts) == ("running", 1)


@pytest.mark.parametrize("status", ["queued", "running"])
def test_a_report_whose_task_is_killed_at_its_hard_time_limit_is_marked_failed(chair, status):
    # What the worker's main process does when it kills the task's process at the limit
    # (portal.work.WorkTask): the message is Celery's own test message for the task.
    from celery.contrib.testing.mocks import TaskMessage

    from reports.tasks import make_report

    psc = host_psc("north")
    made = Report.objects.create(
        requested_by=chair, psc=psc, region=psc.primary_region, year=2025, quarter_number=3,
        format="pdf", status=status,
    )  # fmt: skip
    message = TaskMessage(make_report.name, args=[made.pk])
    request = make_report.Request(message, app=make_report.app, task=make_report)

    request.on_timeout(soft=True, timeout=15 * 60)
    made.refresh_from_db()
    assert made.status == status  # the soft limit is the task's own to act on

    request.on_timeout(soft=False, timeout=16 * 60)
    made.refresh_from_db()
    assert made.status == "failed"
    assert made.message.startswith(
        "The report took longer than 16 minutes to make and was stopped."
    )
    assert made.finished_at is not None


def test_a_finished_report_is_left_alone_at_a_time_limit(chair):
    psc = host_psc("north")
    made = Report.objects.create(
        requested_by=chair, psc=psc, region=psc.primary_region, year=2025, quarter_number=3,
        format="pdf", status="ready",
    )  # fmt: skip

    assert services.report_stopped(made.pk, seconds=960) == 0
    made.refresh_from_db()
    assert made.status == "ready"
