"""Digest tasks: each takes ids and calls one service. Periodic ones are scheduled in
config/celery_app.py."""

import smtplib

from celery import shared_task

from digests import services

SMTP_ERRORS = (OSError, smtplib.SMTPException)  # SMTP and connection errors


# Planning writes a row per person and queues batches of them: minutes at most.
@shared_task(soft_time_limit=4 * 60, time_limit=5 * 60)
def plan_digests(frequency, kind="learning"):
    """Plan (and queue) the digests of the period that has just ended: the beat schedule."""
    return services.digest_run_plan(frequency=frequency, kind=kind).pk


@shared_task(soft_time_limit=60, time_limit=90)
def send_digest_batch(delivery_ids):
    services.digest_sends_queue(delivery_ids)


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
    # One email: a mail server that has not answered in a minute is retried later.
    soft_time_limit=60,
    time_limit=90,
)
def send_digest(self, delivery_id):
    last_attempt = self.request.retries >= self.max_retries
    return services.digest_delivery_send(delivery_id=delivery_id, last_attempt=last_attempt)


@shared_task(soft_time_limit=2 * 60, time_limit=2 * 60 + 30)
def sweep_digests():
    return services.digests_sweep()
