"""Regional digests: who gets one, for which period, what is in it, and sending it once.

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
from dataclasses import dataclass
from itertools import groupby
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.scope import user_scope
from learning.models import (
    DigestDelivery,
    DigestFrequency,
    DigestPreference,
    DigestRun,
    LearningItem,
    default_digest_kinds,
)
from portal.queueing import enqueue
from regions.models import Region

logger = logging.getLogger(__name__)

Status = DigestDelivery.Status

# Digests go out at 07:00 London time: every day, or on Mondays. The beat schedule in
# portal/celery_app.py fires at these moments; the periods here are cut at the same ones.
SEND_TIME = datetime.time(7, 0)
WEEKLY_ON = 0  # Monday
LONDON = ZoneInfo("Europe/London")

# A claim older than this was left by a worker that died mid-send: the sweep puts it back.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# The sweep leaves alone what the planner has just queued.
SWEEP_GRACE = datetime.timedelta(minutes=2)
BATCH_SIZE = 500

UNSUBSCRIBE_SALT = "learning.digests.unsubscribe"


# Periods


def period_end_for(frequency, now=None):
    """The latest send moment at or before `now`: 07:00 London time today or yesterday
    (daily), or on the latest Monday (weekly). Worked out on the London calendar, so a period
    across a clock change is 23 or 25 hours (a week, 167 or 169)."""
    local = timezone.localtime(now or timezone.now(), LONDON)
    day = local.date()
    if local.time() < SEND_TIME:
        day -= datetime.timedelta(days=1)
    if frequency == DigestFrequency.WEEKLY:
        day -= datetime.timedelta(days=(day.weekday() - WEEKLY_ON) % 7)
    return datetime.datetime.combine(day, SEND_TIME, tzinfo=LONDON)


def period_start_for(frequency, period_end):
    """The send moment before `period_end`. An item published exactly at a send moment
    belongs to the period that starts there (periods are [start, end))."""
    local = timezone.localtime(period_end, LONDON)
    days = 7 if frequency == DigestFrequency.WEEKLY else 1
    day = local.date() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, SEND_TIME, tzinfo=LONDON)


# Preferences


def default_region_ids(user):
    """The programme regions of the person's own roles: all of them for the national team."""
    return user_scope(user).region_ids


def digest_preference_for(user):
    """The person's preference, created with the defaults the first time it is asked for."""
    preference, created = DigestPreference.objects.get_or_create(user=user)
    if created:
        preference.regions.set(default_region_ids(user))
    return preference


def digest_preference_update(*, preference, regions, kinds, frequency):
    with transaction.atomic():
        preference.kinds = list(kinds)
        preference.frequency = frequency
        if frequency != DigestFrequency.NEVER:
            preference.unsubscribed_at = None
        preference.save()
        preference.regions.set(regions)
    return preference


def digest_unsubscribe(*, user):
    """Stop the person's digests (undone by choosing a frequency in their preferences)."""
    preference = digest_preference_for(user)
    preference.frequency = DigestFrequency.NEVER
    preference.unsubscribed_at = timezone.now()
    preference.save(update_fields=["frequency", "unsubscribed_at", "updated_at"])
    return preference


def unsubscribe_token(user):
    """A signed token naming one person: it cannot be guessed or changed to name another."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token):
    """The person the token was made for, or None for a tampered or unknown token."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_id).first()


def unsubscribe_url(user):
    return settings.SITE_URL + reverse(
        "learning:digest-unsubscribe", args=[unsubscribe_token(user)]
    )


# Planning


def digest_run_plan(*, frequency, now=None):
    """Record one pending delivery per recipient for the period ending at the latest send
    moment, and queue them. Planning a period again adds only new recipients."""
    if frequency not in (DigestFrequency.WEEKLY, DigestFrequency.DAILY):
        raise ValueError(f"Digests are weekly or daily, not {frequency!r}.")
    period_end = period_end_for(frequency, now)
    period_start = period_start_for(frequency, period_end)
    with transaction.atomic():
        run, _created = DigestRun.objects.get_or_create(
            frequency=frequency,
            period_end=period_end,
            defaults={"period_start": period_start},
        )
        wants = Q(digest_preference__frequency=frequency)
        if frequency == DigestFrequency.WEEKLY:
            wants |= Q(digest_preference__isnull=True)  # the default
        recipients = User.objects.filter(wants, is_active=True).values_list("pk", flat=True)
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(
                    run=run,
                    user_id=user_id,
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


def _queue_on_commit(delivery_ids):
    for start in range(0, len(delivery_ids), BATCH_SIZE):
        batch = delivery_ids[start : start + BATCH_SIZE]
        transaction.on_commit(lambda batch=batch: _queue_batch(batch))


def _queue_batch(delivery_ids):
    from learning.tasks import send_digest_batch

    enqueue(send_digest_batch, delivery_ids)


def queue_digest_sends(delivery_ids):
    """Queue one send task a delivery (from the batch task)."""
    from learning.tasks import send_digest

    for delivery_id in delivery_ids:
        enqueue(send_digest, delivery_id)


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
    for frequency in (DigestFrequency.WEEKLY, DigestFrequency.DAILY):
        if not DigestRun.objects.filter(
            frequency=frequency, period_end=period_end_for(frequency, now)
        ).exists():
            digest_run_plan(frequency=frequency, now=now)
    with transaction.atomic():
        pending = list(
            DigestDelivery.objects.pending()
            .filter(Q(created_at__lt=now - grace) | Q(pk__in=stale) | Q(attempts__gt=0))
            .values_list("pk", flat=True)
        )
        _queue_on_commit(pending)
    return len(pending)


# Content


@dataclass(frozen=True)
class RegionEntries:
    region: Region
    items: list


def digest_items(*, region_ids, kinds, start, end):
    """Learning published now, first published in [start, end), in the regions and types,
    with its region and authors: three queries however many items."""
    return (
        LearningItem.objects.published()
        .filter(
            region__in=region_ids, kind__in=kinds, published_at__gte=start, published_at__lt=end
        )
        .select_related("region")
        .prefetch_related(Prefetch("authors", queryset=User.objects.order_by("full_name", "pk")))
        .order_by("region__name", "-published_at", "pk")
    )


def group_by_region(items):
    return [
        RegionEntries(region=region, items=list(entries))
        for region, entries in groupby(items, key=lambda item: item.region)
    ]


def digest_context(*, user, groups, start, end, frequency):
    entries = [item for group in groups for item in group.items]
    for item in entries:
        item.absolute_url = settings.SITE_URL + item.get_absolute_url()
        item.author_names = ", ".join(author.get_full_name() for author in item.authors.all())
    return {
        "person": user,
        "groups": groups,
        "count": len(entries),
        "period_start": timezone.localtime(start, LONDON),
        "period_end": timezone.localtime(end, LONDON),
        "frequency": frequency,
        "unsubscribe_url": unsubscribe_url(user),
        "preferences_url": settings.SITE_URL + reverse("learning:digest-preferences"),
        "site_url": settings.SITE_URL,
    }


def digest_message(context):
    """The email: plain text and HTML, with the one-click unsubscribe headers (RFC 8058)."""
    count = context["count"]
    subject = (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{count} new learning "
        f"{'entry' if count == 1 else 'entries'} from your regions"
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/digest.txt", context),
        to=[context["person"].email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("emails/digest.html", context), "text/html")
    return message


@dataclass(frozen=True)
class Settings:
    region_ids: frozenset
    kinds: tuple
    frequency: str


def settings_for(user):
    """What the person wants now: their saved preference, or the defaults."""
    preference = getattr(user, "digest_preference", None)
    if preference is None:
        return Settings(default_region_ids(user), tuple(default_digest_kinds()), "weekly")
    region_ids = frozenset(region.pk for region in preference.regions.all())
    return Settings(
        region_ids or default_region_ids(user), tuple(preference.kinds), preference.frequency
    )


def digest_preview(*, user, region_ids, now=None):
    """The entries of the next weekly digest for `region_ids`, as far as it is known now."""
    start = period_end_for(DigestFrequency.WEEKLY, now)
    end = start + datetime.timedelta(days=8)  # anything published before the next send
    items = digest_items(region_ids=region_ids, kinds=default_digest_kinds(), start=start, end=end)
    groups = group_by_region(items)
    return digest_context(
        user=user, groups=groups, start=start, end=end, frequency=DigestFrequency.WEEKLY
    )


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
    claim and is raised for the task to retry, unless this was the last attempt."""
    if not digest_delivery_claim(delivery_id):
        return None
    delivery = (
        DigestDelivery.objects.select_related("user__digest_preference")
        .prefetch_related("user__digest_preference__regions")
        .get(pk=delivery_id)
    )
    user = delivery.user
    wants = settings_for(user)
    if not user.is_active:
        return _skip(delivery, "The account is deactivated.")
    if wants.frequency != delivery.frequency:
        return _skip(delivery, "Unsubscribed, or changed to another frequency.")
    items = digest_items(
        region_ids=wants.region_ids,
        kinds=wants.kinds,
        start=delivery.period_start,
        end=delivery.period_end,
    )
    groups = group_by_region(items)
    if not groups:
        return _skip(delivery, "Nothing new.")
    context = digest_context(
        user=user,
        groups=groups,
        start=delivery.period_start,
        end=delivery.period_end,
        frequency=delivery.frequency,
    )
    try:
        digest_message(context).send()
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
