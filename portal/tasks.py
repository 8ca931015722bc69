"""The outbox's tasks (portal/emails.py): each email is sent once, by whichever worker locks
its row first, and one the mail server refused is tried again later."""

from celery import shared_task
from mailer import engine
from mailer.models import Message


@shared_task(ignore_result=True)
def send_queued_mail():
    engine.send_all()


@shared_task(ignore_result=True)
def retry_deferred_mail():
    """Queue again what the mail server refused (up to MAILER_EMAIL_MAX_RETRIES times each),
    and send it."""
    if Message.objects.retry_deferred():
        engine.send_all()
