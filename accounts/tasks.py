import smtplib

from celery import shared_task

from accounts import services

SMTP_ERRORS = (OSError, smtplib.SMTPException)  # SMTP and connection errors


@shared_task(autoretry_for=SMTP_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_invitation_email(invitation_id):
    return services.invitation_email_send(invitation_id=invitation_id)


@shared_task(autoretry_for=SMTP_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_two_factor_reset_email(person_id, by_id):
    return services.two_factor_reset_email_send(person_id=person_id, by_id=by_id)


@shared_task(autoretry_for=SMTP_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_sign_in_paused_email(person_id, address, limit="pair"):
    return services.sign_in_paused_email_send(person_id=person_id, address=address, limit=limit)
