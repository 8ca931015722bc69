"""Report tasks: each takes ids and calls one service. The sweep is scheduled in
config/celery_app.py."""

import smtplib

from celery import shared_task

from reports import emails, services

SMTP_ERRORS = (OSError, smtplib.SMTPException)


# A report may take minutes; a worker that dies half way leaves it for the sweep.
@shared_task(acks_late=True, soft_time_limit=15 * 60, time_limit=16 * 60)
def make_report(report_id):
    return services.report_make(report_id=report_id)


@shared_task(autoretry_for=SMTP_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_report_ready(report_id):
    return emails.report_ready_send(report_id=report_id)


@shared_task
def sweep_reports():
    return services.reports_sweep()
