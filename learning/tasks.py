import smtplib

from celery import shared_task

from learning.models import LearningItemEvent
from learning.notifications import send_event_email

SMTP_ERRORS = (OSError, smtplib.SMTPException)  # SMTP and connection errors


@shared_task(
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def notify_learning_item_event(event_id):
    event = LearningItemEvent.objects.select_related("item", "by").filter(pk=event_id).first()
    if event is None:
        return []
    return send_event_email(event)
