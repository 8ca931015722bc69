"""Queueing Celery tasks from web requests and planners without depending on the broker.

A broker that is down must not turn a successful write into an error page: the write has
committed, and the work it queues is also recorded in the database, where periodic sweeps
find it. So a failure to queue is logged and swallowed here, in one place.

Tasks are queued by their registered name ("digests.tasks.send_digest"), not imported: a
task calls a service, and the service queues the next task, so importing would tie the two
modules in a circle. The Celery application is the project's (config/celery_app.py), reached
as Celery's current one, so the kernel does not import the wiring above it.
"""

import logging

from celery import current_app as app
from celery.exceptions import Retry
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task_name, *args):
    """`delay(*args)` on the task named `task_name`, logging instead of raising when the
    broker cannot be reached."""
    task = app.tasks.get(task_name)
    if task is None:
        # A web process imports the apps' tasks modules (autodiscovered) only when asked.
        app.loader.import_default_modules()
        task = app.tasks[task_name]
    try:
        return task.delay(*args)
    except (OperationalError, ConnectionError, TimeoutError) as error:
        logger.error("Could not queue %s%r: %s", task_name, args, error)
        return None
    except Retry as retry:
        # Only when tasks run in this process (no Redis): a task that would be retried later
        # by a worker has nobody to retry it here, and its failure must not fail the request.
        logger.error("%s%r failed and cannot be retried in-process: %s", task_name, args, retry)
        return None
