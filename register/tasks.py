"""Register tasks: each takes ids and calls one service. The daily reminder run is scheduled
in config/celery_app.py."""

import smtplib

from celery import shared_task

from register import emails, services

SMTP_ERRORS = (OSError, smtplib.SMTPException)  # SMTP and connection errors


@shared_task
def remind_overdue_recommendations():
    return len(services.overdue_reminders_queue())


@shared_task(autoretry_for=SMTP_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_overdue_reminder(recommendation_id):
    return emails.overdue_reminder_send(recommendation_id=recommendation_id)
