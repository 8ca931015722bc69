"""The Celery application: settings come from Django's (CELERY_*), tasks from each app's tasks.

Every periodic task is scheduled here, and nowhere else. Times are London time
(CELERY_TIMEZONE), so 07:00 stays 07:00 across the clock changes.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each task's log lines carry the id of the request that queued it (portal/structured_logs.py).
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def use_the_portals_logging(**kwargs):
    """Workers and beat log as the web processes do (JSON in production), not in Celery's
    own format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


app.conf.beat_schedule = {
    "weekly-digests": {
        "task": "digests.tasks.plan_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ("weekly",),
    },
    # What happened to each author's learning that week, to those who want it.
    "weekly-author-summaries": {
        "task": "digests.tasks.plan_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ("weekly", "authors"),
    },
    "daily-digests": {
        "task": "digests.tasks.plan_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ("daily",),
    },
    # Owners hear once, the day after a response was due, that it is overdue. Each reminder
    # is claimed with its email, so only the first run of the day that reaches a worker
    # sends: the later ones are there for a Redis outage at eight o'clock.
    "overdue-recommendation-reminders": {
        "task": "register.tasks.remind_overdue_recommendations",
        "schedule": crontab(minute=0, hour="8-18"),
    },
    # Releases claims left by a worker that died, catches a missed plan, queues what is
    # still pending (a broker outage while planning, a retry lost with its worker).
    "sweep-digests": {
        "task": "digests.tasks.sweep_digests",
        "schedule": crontab(minute="*/5"),
    },
    # Sends the outbox's email: what a task after the commit missed (Redis was down), and
    # every ten minutes what the mail server refused.
    "send-queued-mail": {
        "task": "portal.tasks.send_queued_mail",
        "schedule": 60.0,
    },
    "retry-deferred-mail": {
        "task": "portal.tasks.retry_deferred_mail",
        "schedule": crontab(minute="*/10"),
    },
    # Queues again a report the broker never took or a dead worker left half made (so it is
    # made within about two minutes of Redis or a worker coming back); deletes files after
    # 7 days.
    "sweep-reports": {
        "task": "reports.tasks.sweep_reports",
        "schedule": 30.0,
    },
    # Queues again an import the broker never took or a dead worker left half done; its
    # transaction makes a half-done import nothing done.
    # Counts and keeps the quarter and the month that have just closed (docs/adr/0042), before
    # anyone's first page of the day; what a missed run leaves is counted by the next page.
    "keep-closed-periods": {
        "task": "dashboards.tasks.keep_closed_periods",
        "schedule": crontab(minute=30, hour=1),
    },
    "sweep-imports": {
        "task": "imports.tasks.sweep_imports",
        "schedule": 30.0,
    },
}
