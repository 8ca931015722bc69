"""Register tasks: each takes ids and calls one service. The daily reminder run is scheduled
in config/celery_app.py."""

from celery import shared_task

from register import services


@shared_task
def remind_overdue_recommendations():
    return len(services.overdue_reminders_queue())
