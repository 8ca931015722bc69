"""The outbox's tasks (portal/emails.py): each email is sent once, by whichever worker locks
its row first, and one the mail server refused is tried again later."""

from celery import shared_task
from mailer import engine
from mailer.models import Message


# The outbox's messages one at a time, each with the mail server's own timeout (EMAIL_TIMEOUT):
# a run that has not finished in four minutes is stopped, and the next (every minute) goes on
# where it stopped, since each message is locked and deleted as it goes.
@shared_task(ignore_result=True, soft_time_limit=4 * 60, time_limit=5 * 60)
def send_queued_mail():
    engine.send_all()


@shared_task(ignore_result=True, soft_time_limit=4 * 60, time_limit=5 * 60)
def retry_deferred_mail():
    """Queue again what the mail server refused (up to MAILER_EMAIL_MAX_RETRIES times each),
    and send it."""
    if Message.objects.retry_deferred():
        engine.send_all()
