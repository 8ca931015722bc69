"""A confirmed import is work kept in the database (portal/work.py): the sweep queues again
one the broker never took, a second delivery does nothing, and a dead worker's import is
taken over."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from imports import services
from imports.models import Import
from learning.models import LearningItem
from tests.imports.files import LEARNING_HEADERS, learning_row, xlsx
from tests.roles import person_with, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")


@pytest.fixture
def confirmed(client, db):
    """An import confirmed while the broker was away: queued, never taken."""
    fellow = person_with(Role.FELLOW, "north")
    sign_in(client, fellow)
    client.post(
        reverse("imports:start"),
        {
            "kind": "learning",
            "file": xlsx(LEARNING_HEADERS, [learning_row("A"), learning_row("B")]),
        },
    )
    batch = Import.objects.get()
    client.post(reverse("imports:confirm", args=[batch.pk]))  # its on_commit never runs
    batch.refresh_from_db()
    assert (batch.status, batch.queued_at) == ("queued", None)
    return batch


def test_the_sweep_runs_an_import_the_broker_never_took(confirmed):
    assert services.imports_sweep() == (1, 0)
    confirmed.refresh_from_db()
    assert (confirmed.status, confirmed.created) == ("done", 2)
    # Delivered again: claimed already, so nothing is imported twice.
    assert services.import_run(import_id=confirmed.pk) is None
    assert LearningItem.objects.count() == 2


def test_an_import_left_by_a_dead_worker_is_imported_again(confirmed):
    stale = timezone.now() - datetime.timedelta(minutes=5)
    Import.objects.filter(pk=confirmed.pk).update(
        status="running", heartbeat_at=stale, attempts=1, queued_at=stale
    )
    services.imports_sweep()
    confirmed.refresh_from_db()
    assert confirmed.status == "done"
    assert LearningItem.objects.count() == 2


def test_a_large_file_is_checked_by_a_task_with_progress_and_then_previewed(
    client, db, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "CHECK_IN_BACKGROUND_FROM", 1)
    sign_in(client, person_with(Role.FELLOW, "north"))
    rows = [learning_row(f"Item {n}") for n in range(3)]
    with django_capture_on_commit_callbacks() as queued:
        client.post(
            reverse("imports:start"), {"kind": "learning", "file": xlsx(LEARNING_HEADERS, rows)}
        )
    batch = Import.objects.get()
    assert batch.status == "uploaded"
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "rows checked so far" in page
    assert 'http-equiv="refresh"' in page
    for callback in queued:
        callback()  # the task, as a worker runs it
    batch.refresh_from_db()
    assert (batch.status, batch.to_create, batch.error_count) == ("checked", 3, 0)
    assert LearningItem.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Import.objects.get().created == 3


def test_an_import_killed_at_its_hard_time_limit_is_marked_failed_with_nothing_imported(
    confirmed,
):
    # What the worker's main process does when it kills the task's process at the limit
    # (portal.work.WorkTask): the message is Celery's own test message for the task.
    from celery.contrib.testing.mocks import TaskMessage

    from imports.tasks import run_import

    Import.objects.filter(pk=confirmed.pk).update(status="running")
    message = TaskMessage(run_import.name, args=[confirmed.pk])
    request = run_import.Request(message, app=run_import.app, task=run_import)

    request.on_timeout(soft=False, timeout=16 * 60)
    confirmed.refresh_from_db()
    assert confirmed.status == "failed"
    assert confirmed.message.startswith(
        "Nothing was imported: the import took longer than 16 minutes and was stopped."
    )
    assert LearningItem.objects.count() == 0


def test_the_sweep_deletes_an_imports_file_seven_days_after_it_finished(confirmed, settings):
    assert services.imports_sweep() == (1, 0)  # imported
    confirmed.refresh_from_db()
    path = confirmed.file.path

    services.imports_sweep(now=confirmed.finished_at + datetime.timedelta(days=6))
    confirmed.refresh_from_db()
    assert confirmed.file
    services.imports_sweep(now=confirmed.finished_at + datetime.timedelta(days=7, seconds=1))
    confirmed.refresh_from_db()
    assert not confirmed.file
    assert not __import__("os").path.exists(path)
    assert LearningItem.objects.count() == 2  # what it made stays
