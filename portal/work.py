"""Work that must happen, kept in the database with the record that asks for it.

A record such as a quarterly report (or an import) is also its own piece of work: it is made
in the same transaction as the change that asks for it, so the work cannot be lost with a
broker or a worker. From there:

- `work_queue` hands it to the broker once the transaction commits, noting when the broker
  took it (or not, when Redis is down: the work is still in the database);
- the task `work_claim`s it with a conditional UPDATE, so a message delivered twice, or
  queued again by the sweep, makes it once; the claim also takes over work whose worker went
  quiet, so a worker killed half way does not block it;
- while it runs, `heartbeat` notes every few seconds that its worker is alive;
- `work_sweep`, run by beat, queues again what the broker never took or took but never
  started, and what a dead worker left running, and gives up after a few attempts.

So after Redis or a worker comes back, waiting work is done within a sweep interval and a
staleness period, about two minutes, and each piece once in effect.

Work has a time limit (its task's): at the soft limit the task is told and marks its record
failed itself; a task still running at the hard limit has its process killed by the worker,
which then marks the record failed (`WorkTask`), rather than leaving it for the sweep to try
again and be killed again.
"""

import datetime
import logging
import threading
from contextlib import contextmanager

from celery import Task
from celery.worker.request import Request
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.queueing import enqueue

logger = logging.getLogger(__name__)

# A worker notes it is alive this often, and is taken for dead after STALE_AFTER without a
# note; queued work the broker has not started after RESEND_AFTER is queued again.
HEARTBEAT_EVERY = datetime.timedelta(seconds=10)
STALE_AFTER = datetime.timedelta(seconds=45)
RESEND_AFTER = datetime.timedelta(seconds=60)
ATTEMPTS = 3


class Work(models.Model):
    """The bookkeeping of a record that is also work to do. The record keeps its own status;
    these say where the work is."""

    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


def work_queue(model, pk, task_name):
    """Hand the work to the broker when the transaction commits; note when it took it."""

    def send():
        if enqueue(task_name, pk) is not None:
            model._base_manager.filter(pk=pk).update(queued_at=timezone.now())

    transaction.on_commit(send)


def work_claim(model, pk, *, waiting, running, now=None):
    """Claim the work for this worker: True if it is now ours to do. Work still waiting is
    claimed, and so is work left running by a worker that went quiet (its heartbeat is
    older than STALE_AFTER); work another live worker is doing, or that is done, is not."""
    now = now or timezone.now()
    stale = Q(status=running, heartbeat_at__lt=now - STALE_AFTER) | Q(
        status=running, heartbeat_at__isnull=True
    )
    return bool(
        model._base_manager.filter(Q(pk=pk) & (Q(status=waiting) | stale)).update(
            status=running, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
        )
    )


@contextmanager
def heartbeat(model, pk, *, every=HEARTBEAT_EVERY):
    """Note every `every` that the work's worker is alive, from a thread of its own with its
    own database connection, until the block ends. A worker killed in the block stops
    noting, and the sweep sees it."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(every.total_seconds()):
                model._base_manager.filter(pk=pk).update(heartbeat_at=timezone.now())
        except Exception:  # noqa: BLE001 - a missed note only makes the work look stale
            logger.warning("Could not note that %s %s is being made.", model.__name__, pk)
        finally:
            connection.close()

    # On SQLite a second writer would wait for the worker's own transaction; the tests and
    # `make run` make work in-process, where nobody else could take it over anyway.
    if connection.vendor == "sqlite":
        yield
        return
    thread = threading.Thread(target=beat, daemon=True, name=f"heartbeat-{pk}")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(every.total_seconds() + 5)


def work_sweep(model, task_name, *, waiting, running, failed, failure_fields, now=None):
    """Queue again the work the broker never took, or took and never started, and the work a
    dead worker left running; mark failed (with `failure_fields`) what has had ATTEMPTS
    tries. Returns (queued again, failed)."""
    now = now or timezone.now()
    dead = Q(status=running) & (
        Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at__isnull=True)
    )
    rows = model._base_manager
    failed_count = rows.filter(dead, attempts__gte=ATTEMPTS).update(status=failed, **failure_fields)
    # A dead worker's work waits again for a worker, as it was before it was claimed.
    rows.filter(dead, attempts__lt=ATTEMPTS).update(status=waiting, queued_at=None)
    unsent = Q(status=waiting) & (Q(queued_at__isnull=True) | Q(queued_at__lt=now - RESEND_AFTER))
    again = list(rows.filter(unsent).values_list("pk", flat=True))
    for pk in again:
        if enqueue(task_name, pk) is not None:
            rows.filter(pk=pk).update(queued_at=now)
    if again or failed_count:
        logger.info(
            "Swept %s: queued %s again, %s failed after %s attempts",
            model.__name__,
            len(again),
            failed_count,
            ATTEMPTS,
        )
    return len(again), failed_count


def time_words(seconds):
    """A time limit as the message says it: "16 minutes", "90 seconds"."""
    seconds = int(seconds)
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


class _KilledAtTimeLimit(Request):
    """The worker's side of a task: when the task's process is killed at its hard time limit,
    the worker's main process (which is still alive) marks the work failed."""

    def on_timeout(self, soft, timeout):
        super().on_timeout(soft, timeout)
        if soft or not self.task.when_stopped:
            return
        try:
            import_string(self.task.when_stopped)(*self.args, seconds=timeout)
        except Exception:  # noqa: BLE001 - the sweep still fails it after ATTEMPTS
            logger.exception("Could not mark %s%r failed at its time limit", self.name, self.args)


class WorkTask(Task):
    """A task that does one piece of work, taking its record's id. `when_stopped` names the
    service (by dotted path, so tasks modules stay thin) that marks the record failed when
    the task is killed at its hard time limit: called as `service(id, seconds=limit)`."""

    Request = _KilledAtTimeLimit
    when_stopped = None
    acks_late = True
    reject_on_worker_lost = True
