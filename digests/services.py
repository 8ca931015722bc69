"""Writes for digests: preferences, planning the deliveries of a period, and sending each once.

Planning and sending are separate. `digest_run_plan` reads the database only: it records one
`DigestDelivery` per recipient and period (a unique constraint makes planning the same period
again a no-op) and queues the sending once the transaction has committed, by id and in
batches. `digest_delivery_send` claims one delivery with a conditional UPDATE (pending to
sending) before it sends, so two workers never send the same one; the content is worked out
at that moment from what is published now, so learning withdrawn since the plan is left out,
and a person deactivated or unsubscribed since then gets nothing. `digests_sweep`, run every
few minutes, releases claims a killed worker left behind and queues whatever is still pending:
a broker that was down when the plan was made only delays the digests.
"""

import datetime
import logging
import smtplib

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from digests.emails import (
    author_summary_context,
    author_summary_message,
    digest_context,
    digest_message,
)
from digests.models import (
    DigestDelivery,
    DigestFrequency,
    DigestKind,
    DigestPreference,
    DigestRun,
)
from digests.periods import period_end_for, period_start_for
from digests.selectors import (
    author_news,
    default_region_ids,
    digest_items,
    group_by_region,
    subscription_for,
)
from discussion.selectors import comment_notices_for
from discussion.services import comments_by_email
from learning.news import authored_items
from portal.emails import direct_connection
from portal.queueing import enqueue

logger = logging.getLogger(__name__)

Status = DigestDelivery.Status

# A claim older than this was left by a worker that died mid-send: the sweep puts it back.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# The sweep leaves alone what the planner has just queued.
SWEEP_GRACE = datetime.timedelta(minutes=2)
# A delivery that fails in an unexpected way (a bug, bad data: not the mail server) is tried
# this many times in all and then marked failed with the reason, shown on the runs page,
# instead of being released and tried again by every sweep for ever.
MOST_UNEXPECTED_FAILURES = 3
BATCH_SIZE = 500


# Preferences


def digest_preference_for(user):
    """The person's preference, created with the defaults the first time it is asked for.
    Its regions are left unchosen, so they follow the person's roles."""
    preference, _created = DigestPreference.objects.get_or_create(user=user)
    preference.user = user  # the same object, so the person's scope is read once a request
    return preference


def digest_preference_update(*, preference, regions, kinds, frequency, author_summary=None):
    """Save what the person chose. Regions that are exactly those of their roles today keep
    following their roles (saving only a new frequency must not freeze them); any other
    choice is theirs until they choose again."""
    chosen = {region.pk for region in regions}
    follows_roles = chosen == set(default_region_ids(preference.user))
    with transaction.atomic():
        preference.kinds = list(kinds)
        preference.frequency = frequency
        if author_summary is not None:
            preference.author_summary = author_summary
        if frequency != DigestFrequency.NEVER:
            preference.unsubscribed_at = None
        preference.regions_chosen_at = None if follows_roles else timezone.now()
        preference.save()
        preference.regions.set([] if follows_roles else regions)
    return preference


def digest_unsubscribe(*, user):
    """Stop the person's digests (undone by choosing a frequency in their preferences).
    Comments they chose to have in their digest are emailed to them at once instead."""
    preference = digest_preference_for(user)
    with transaction.atomic():
        preference.frequency = DigestFrequency.NEVER
        preference.unsubscribed_at = timezone.now()
        preference.save(update_fields=["frequency", "unsubscribed_at", "updated_at"])
        comments_by_email(user=user)
    return preference


def author_summary_off(*, user):
    """Stop the person's weekly summary of what happened to their learning (undone on their
    preferences page)."""
    preference = digest_preference_for(user)
    preference.author_summary = False
    preference.save(update_fields=["author_summary", "updated_at"])
    return preference


# Planning


def digest_run_plan(*, frequency, now=None, kind=DigestKind.LEARNING):
    """Record one pending delivery per recipient for the period ending at the latest send
    moment, and queue them. Planning a period again adds only new recipients.

    Authors' summaries (kind AUTHORS) are weekly, to everyone who wrote learning others can
    act on and has not turned them off; they are sent only in a week with news."""
    if frequency not in (DigestFrequency.WEEKLY, DigestFrequency.DAILY):
        raise ValueError(f"Digests are weekly or daily, not {frequency!r}.")
    if kind == DigestKind.AUTHORS and frequency != DigestFrequency.WEEKLY:
        raise ValueError("Authors' summaries are weekly.")
    period_end = period_end_for(frequency, now)
    period_start = period_start_for(frequency, period_end)
    with transaction.atomic():
        run, _created = DigestRun.objects.get_or_create(
            kind=kind,
            frequency=frequency,
            period_end=period_end,
            defaults={"period_start": period_start},
        )
        if kind == DigestKind.AUTHORS:
            wants = Q(digest_preference__author_summary=True) | Q(digest_preference__isnull=True)
            wants &= Exists(authored_items(OuterRef("pk")))
        else:
            wants = Q(digest_preference__frequency=frequency)
            if frequency == DigestFrequency.WEEKLY:
                wants |= Q(digest_preference__isnull=True)  # the default
        recipients = User.objects.filter(wants, is_active=True).values_list("pk", flat=True)
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(
                    run=run,
                    user_id=user_id,
                    kind=kind,
                    frequency=frequency,
                    period_start=run.period_start,
                    period_end=run.period_end,
                )
                for user_id in recipients.iterator()
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        pending = list(run.deliveries.pending().values_list("pk", flat=True))
        _queue_on_commit(pending)
    return run


# Every round of emails the schedule plans: the sweep plans any whose moment it missed.
ROUNDS = [
    (DigestKind.LEARNING, DigestFrequency.WEEKLY),
    (DigestKind.LEARNING, DigestFrequency.DAILY),
    (DigestKind.AUTHORS, DigestFrequency.WEEKLY),
]


def _queue_on_commit(delivery_ids):
    for start in range(0, len(delivery_ids), BATCH_SIZE):
        batch = delivery_ids[start : start + BATCH_SIZE]
        transaction.on_commit(lambda batch=batch: enqueue("digests.tasks.send_digest_batch", batch))


def digest_sends_queue(delivery_ids):
    """Queue one send task a delivery (from the batch task)."""
    for delivery_id in delivery_ids:
        enqueue("digests.tasks.send_digest", delivery_id)


def digests_sweep(*, now=None, claim_timeout=CLAIM_TIMEOUT, grace=SWEEP_GRACE):
    """Put back claims left by a worker that died mid-send, plan a period whose scheduled
    plan was missed, and queue every delivery still pending. Returns the number queued."""
    now = now or timezone.now()
    stale = list(
        DigestDelivery.objects.filter(
            status=Status.SENDING, claimed_at__lt=now - claim_timeout
        ).values_list("pk", flat=True)
    )
    released = DigestDelivery.objects.filter(pk__in=stale, status=Status.SENDING).update(
        status=Status.PENDING, claimed_at=None
    )
    if released:
        logger.warning("Released %s digest claims left by a worker that stopped", released)
    for kind, frequency in ROUNDS:
        if not DigestRun.objects.filter(
            kind=kind, frequency=frequency, period_end=period_end_for(frequency, now)
        ).exists():
            digest_run_plan(frequency=frequency, now=now, kind=kind)
    with transaction.atomic():
        pending = list(
            DigestDelivery.objects.pending()
            .filter(Q(created_at__lt=now - grace) | Q(pk__in=stale) | Q(attempts__gt=0))
            .values_list("pk", flat=True)
        )
        _queue_on_commit(pending)
    return len(pending)


# Sending


def digest_delivery_claim(delivery_id, now=None):
    """Move one pending delivery to sending; True only for the one caller that did."""
    return bool(
        DigestDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=now or timezone.now()
        )
    )


def _finish(delivery_id, status, **fields):
    return DigestDelivery.objects.filter(pk=delivery_id, status=Status.SENDING).update(
        status=status, **fields
    )


def digest_delivery_send(*, delivery_id, last_attempt=True):
    """Claim, check, render and send one delivery. Returns its final status, or None when
    another worker holds it or it is already done. An SMTP or connection error releases the
    claim and is raised for the task to retry, unless this was the last attempt. Any other
    error releases the claim with its reason, for the sweep to try again, and after
    MOST_UNEXPECTED_FAILURES attempts marks the delivery failed."""
    if not digest_delivery_claim(delivery_id):
        return None
    try:
        return _send_claimed(delivery_id, last_attempt=last_attempt)
    except (OSError, smtplib.SMTPException):
        raise
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"[:300]
        attempts = DigestDelivery.objects.get(pk=delivery_id).attempts + 1
        logger.exception(
            "Digest delivery %s failed unexpectedly (attempt %s)", delivery_id, attempts
        )
        if attempts >= MOST_UNEXPECTED_FAILURES:
            _finish(delivery_id, Status.FAILED, detail=detail, attempts=attempts)
            return Status.FAILED
        _finish(delivery_id, Status.PENDING, claimed_at=None, detail=detail, attempts=attempts)
        return Status.PENDING


def _send_claimed(delivery_id, *, last_attempt):
    delivery = (
        DigestDelivery.objects.select_related("user__digest_preference")
        .prefetch_related("user__digest_preference__regions")
        .get(pk=delivery_id)
    )
    user = delivery.user
    if not user.is_active:
        return _skip(delivery, "The account is deactivated.")
    if delivery.kind == DigestKind.AUTHORS:
        return _send_author_summary(delivery, last_attempt=last_attempt)
    subscription = subscription_for(user)
    if subscription.frequency != delivery.frequency:
        return _skip(delivery, "Unsubscribed, or changed to another frequency.")
    items = digest_items(
        region_ids=subscription.region_ids,
        kinds=subscription.kinds,
        start=delivery.period_start,
        end=delivery.period_end,
    )
    groups = group_by_region(items)
    comments = comment_notices_for(user=user, start=delivery.period_start, end=delivery.period_end)
    if not groups and not comments:
        return _skip(delivery, "Nothing new.")
    context = digest_context(
        user=user,
        groups=groups,
        start=delivery.period_start,
        end=delivery.period_end,
        frequency=delivery.frequency,
        comments=comments,
    )
    return _send(
        delivery,
        digest_message(context, connection=direct_connection()),
        context,
        last_attempt=last_attempt,
    )


def _send_author_summary(delivery, *, last_attempt):
    preference = getattr(delivery.user, "digest_preference", None)
    if preference is not None and not preference.author_summary:
        return _skip(delivery, "Turned off.")
    news = author_news(delivery.user, start=delivery.period_start, end=delivery.period_end)
    if not news:
        return _skip(delivery, "Nothing happened to their learning.")
    context = author_summary_context(
        user=delivery.user, news=news, start=delivery.period_start, end=delivery.period_end
    )
    message = author_summary_message(context, connection=direct_connection())
    return _send(delivery, message, context, last_attempt=last_attempt)


def _send(delivery, message, context, *, last_attempt):
    try:
        # Past the outbox: the delivery is this email's own record of being sent.
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        detail = f"{type(error).__name__}: {error}"[:300]
        if last_attempt:
            _finish(delivery.pk, Status.FAILED, detail=detail, attempts=delivery.attempts + 1)
            logger.error("Digest delivery %s failed: %s", delivery.pk, detail)
            return Status.FAILED
        _finish(
            delivery.pk, Status.PENDING, claimed_at=None, detail=detail,
            attempts=delivery.attempts + 1,
        )  # fmt: skip
        raise
    _finish(
        delivery.pk, Status.SENT, sent_at=timezone.now(), item_count=context["count"],
        attempts=delivery.attempts + 1, detail="",
    )  # fmt: skip
    return Status.SENT


def _skip(delivery, detail):
    _finish(delivery.pk, Status.SKIPPED, detail=detail)
    return Status.SKIPPED
