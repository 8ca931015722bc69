import smtplib

from celery import shared_task

from accounts import services

SMTP_ERRORS = (OSError, smtplib.SMTPException)  # SMTP and connection errors


@shared_task(autoretry_for=SMTP_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_invitation_email(invitation_id):
    return services.invitation_email_send(invitation_id=invitation_id)
