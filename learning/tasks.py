import smtplib

from celery import shared_task

from learning import digests
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


@shared_task
def plan_digests(frequency):
    """Plan (and queue) the digests of the period that has just ended: the beat schedule."""
    return digests.digest_run_plan(frequency=frequency).pk


@shared_task
def send_digest_batch(delivery_ids):
    digests.queue_digest_sends(delivery_ids)


# Sending is claimed in the database first, so a task delivered twice (acks_late after a lost
# worker) sends once; a worker killed mid-send leaves a claim that the sweep releases.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_digest(self, delivery_id):
    last_attempt = self.request.retries >= self.max_retries
    return digests.digest_delivery_send(delivery_id=delivery_id, last_attempt=last_attempt)


@shared_task
def sweep_digests():
    return digests.digests_sweep()
