"""A conditional update that loses a race leaves no history entry for the row it did not change
(portal/history.py): two connections complete the same milestone at once on PostgreSQL."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction

from fellows import services
from fellows.models import Milestone
from tests.conftest import require_service
from tests.fellows.factories import InitiativeFactory

FIRST = datetime.date(2026, 5, 1)
SECOND = datetime.date(2026, 5, 2)


def waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def complete(milestone_pk, on, errors, *, then=None):
    """Complete the milestone in this thread's own connection; with `then`, keep the
    transaction open until `then()` returns."""
    try:
        with transaction.atomic():
            services.milestone_complete(milestone=Milestone.objects.get(pk=milestone_pk), on=on)
            if then is not None:
                then()
    except Exception as error:  # noqa: BLE001 - reported by the test's assertion
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_the_connection_that_loses_the_race_writes_no_history_entry(reference_data):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "the race needs two real database connections; set DATABASE_URL to a postgres:// URL",
    )
    initiative = InitiativeFactory()
    milestone = Milestone.objects.create(
        initiative=initiative, title="Pilot on two wards", due_on=datetime.date(2026, 6, 30)
    )
    entries_before = milestone.history.count()
    first_done, release, errors = threading.Event(), threading.Event(), []

    def hold_until_released():
        first_done.set()
        release.wait(30)

    first = threading.Thread(
        target=complete, args=(milestone.pk, FIRST, errors), kwargs={"then": hold_until_released}
    )
    first.start()
    assert first_done.wait(30)
    second = threading.Thread(target=complete, args=(milestone.pk, SECOND, errors))
    second.start()
    # The second connection now waits for the first's row lock: let the first commit then.
    deadline = time.monotonic() + 30
    while waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert waiting_on_a_lock() == 1
    release.set()
    first.join(30)
    second.join(30)

    assert errors == []
    milestone.refresh_from_db()
    assert (milestone.completed_on, milestone.version) == (FIRST, 2)
    changes = list(milestone.history.order_by("history_date")[entries_before:])
    assert [(entry.history_change_reason, entry.completed_on) for entry in changes] == [
        ("Bulk update", FIRST)
    ]
