"""Logs: one JSON line per request and per Celery task in production, readable text locally.

django-structlog writes the request and task lines; this module says how every line is drawn
(structlog's and the standard library's alike, so Django's, Celery's and our security log
carry the same fields) and adds what an operator asks of a request line: its path, status and
duration, and the request id the portal gave it (`X-Request-ID`, also on the 500 page). The
id travels with every task the request queued, in the task's headers.
"""

import logging
import time

import structlog

FORMATS = ("json", "text")

# Every line, structlog's or not, gets these: when, how bad, which logger, and the request
# (or task) it belongs to, bound in context variables.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
]


def renderer(log_format):
    if log_format == "json":
        return structlog.processors.JSONRenderer()
    return structlog.dev.ConsoleRenderer(colors=False, timestamp_key="time")


def formatter(log_format):
    """A logging.Formatter drawing any record in `log_format`."""
    return structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer(log_format),
        ],
        foreign_pre_chain=[*SHARED_PROCESSORS, structlog.stdlib.ExtraAdder()],
    )


def logging_config(level, log_format):
    """The LOGGING setting: one console handler in the chosen format."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"portal": {"()": formatter, "log_format": log_format}},
        "filters": {"drop_permission_denied": {"()": "portal.logging.DropPermissionDenied"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "portal"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler (DEBUG only) would write every line a second time.
            "django": {"handlers": [], "level": "INFO"},
            # A refusal is one line from the security log, not Django's warning and traceback.
            "django.request": {"filters": ["drop_permission_denied"]},
            "django.db.backends": {"level": "INFO"},
        },
    }


def configure_structlog():
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def request_started(request, logger, log_kwargs, **kwargs):
    """django-structlog makes its own request id; use the portal's, the one the response
    header, the 500 page and the tasks carry."""
    request_id = getattr(request, "request_id", None)
    if request_id:
        structlog.contextvars.bind_contextvars(request_id=request_id)
    request._log_started_at = time.monotonic()


def request_finished(request, logger, response, log_kwargs, **kwargs):
    log_kwargs["path"] = request.path
    log_kwargs["status"] = response.status_code
    started = getattr(request, "_log_started_at", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic() - started) * 1000, 1)


def connect():
    from django_structlog import signals

    signals.bind_extra_request_metadata.connect(request_started, weak=False)
    signals.bind_extra_request_finished_metadata.connect(request_finished, weak=False)


# The request's first line is for debugging; the finished line says all an operator needs.
REQUEST_STARTED_LEVEL = logging.DEBUG
