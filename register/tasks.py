"""Register tasks: each takes ids and calls one service. The daily reminder run is scheduled
in config/celery_app.py."""

from celery import shared_task

from register import services


# A few queries and an email in the outbox for each owner overdue today.
@shared_task(soft_time_limit=2 * 60, time_limit=2 * 60 + 30)
def remind_overdue_recommendations():
    return len(services.overdue_reminders_queue())
