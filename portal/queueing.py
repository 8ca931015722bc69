"""Queueing Celery tasks from web requests and planners without depending on the broker.

A broker that is down must not turn a successful write into an error page: the write has
committed, and the work it queues is also recorded in the database, where periodic sweeps
find it. So a failure to queue is logged and swallowed here, in one place.
"""

import logging

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args):
    """`task.delay(*args)`, logging instead of raising when the broker cannot be reached."""
    try:
        return task.delay(*args)
    except (OperationalError, ConnectionError, TimeoutError) as error:
        logger.error("Could not queue %s%r: %s", task.name, args, error)
        return None
