"""What the log says: a refused request is a normal event, not an error with a traceback."""

import logging

import pytest

from accounts.models import SecurityEvent

pytestmark = pytest.mark.django_db


def lines_at_info_or_above(caplog):
    return [record for record in caplog.records if record.levelno >= logging.INFO]


def test_a_refused_request_writes_one_line_with_the_path_and_the_user_and_no_traceback(
    client, fellow, caplog, no_mfa_required
):
    client.force_login(fellow)
    caplog.set_level(logging.INFO)
    caplog.clear()

    response = client.get("/people/")

    assert response.status_code == 403
    # Every request writes its own line (portal/structured_logs.py); the refusal adds one.
    every_request = "django_structlog.middlewares.request"
    assert all(line.exc_info is None for line in lines_at_info_or_above(caplog))
    lines = [line for line in lines_at_info_or_above(caplog) if line.name != every_request]
    assert len(lines) == 1, [line.getMessage() for line in lines]
    (line,) = lines
    assert line.levelno in {logging.INFO, logging.WARNING}
    assert "/people/" in line.getMessage()
    assert f"user={fellow.pk}" in line.getMessage()
    assert line.exc_info is None
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count() == 1


def handlers_that_write(logger_name):
    """The handlers (ours and Django's, not the test runner's) a record reaches."""
    record = logging.LogRecord(logger_name, logging.WARNING, __file__, 1, "probe", None, None)
    logger = logging.getLogger(logger_name)
    reached = []
    while logger is not None:
        reached += [
            handler
            for handler in logger.handlers
            if not type(handler).__module__.startswith("_pytest") and handler.filter(record)
        ]
        if not logger.propagate:
            break
        logger = logger.parent
    return reached


@pytest.mark.parametrize("name", ["django.request", "django.server", "portal.security"])
def test_a_line_is_written_once_even_with_debug_on(settings, name):
    # With DEBUG on (make run), Django's own console handler and ours both wrote every line
    # of the django loggers: each 403 came out twice.
    settings.DEBUG = True

    assert len(handlers_that_write(name)) == 1
