"""Reads for digests: what a person is subscribed to, what a digest holds, and the runs."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Prefetch, Q

from accounts.models import User
from accounts.scope import user_scope
from digests.emails import digest_context
from digests.models import (
    DigestDelivery,
    DigestFrequency,
    DigestPreference,
    DigestRun,
    default_digest_kinds,
)
from digests.periods import period_end_for
from learning.models import LearningItem
from learning.news import ItemNews, authored_items, happenings
from regions.models import Region


def default_region_ids(user):
    """The programme regions of the person's own roles: all of them for the national team."""
    return user_scope(user).region_ids


@dataclass(frozen=True)
class Subscription:
    """What a person is subscribed to now: their saved preference, or the defaults."""

    region_ids: frozenset
    kinds: tuple
    frequency: str


def subscription_for(user):
    preference = getattr(user, "digest_preference", None)
    if preference is None:
        return Subscription(
            default_region_ids(user), tuple(default_digest_kinds()), DigestFrequency.WEEKLY
        )
    return Subscription(
        preference_region_ids(preference), tuple(preference.kinds), preference.frequency
    )


def preference_region_ids(preference):
    """The regions a preference subscribes to today: the person's own choice once they have
    made one, and until then the regions of their roles as they are now."""
    if preference.regions_chosen_at is not None:
        chosen = frozenset(region.pk for region in preference.regions.all())
        if chosen:
            return chosen
    return default_region_ids(preference.user)


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


def digest_runs_with_counts():
    """Digest runs, newest first, each with its deliveries counted by status in one query."""
    Status = DigestDelivery.Status
    counts = {
        f"{status}_count": Count("deliveries", filter=Q(deliveries__status=status))
        for status in (Status.SENT, Status.SKIPPED, Status.FAILED, Status.PENDING, Status.SENDING)
    }
    return DigestRun.objects.annotate(planned_count=Count("deliveries"), **counts).order_by(
        "-period_end", "frequency"
    )


def digest_failures_by_run(runs):
    """{run id: failed deliveries with their person} for a page of runs, in one query."""
    failures = {}
    for delivery in DigestDelivery.objects.filter(
        run__in=[run.pk for run in runs], status=DigestDelivery.Status.FAILED
    ).select_related("user"):
        failures.setdefault(delivery.run_id, []).append(delivery)
    return failures


def digest_preview(*, user, region_ids, now=None):
    """The entries of the next weekly digest for `region_ids`, as far as it is known now, of
    the types of learning the person's own digest lists (`kinds`, their labels)."""
    start = period_end_for(DigestFrequency.WEEKLY, now)
    end = start + datetime.timedelta(days=8)  # anything published before the next send
    saved = DigestPreference.objects.filter(user=user).values_list("kinds", flat=True).first()
    kinds = tuple(saved if saved is not None else default_digest_kinds())
    items = digest_items(region_ids=region_ids, kinds=kinds, start=start, end=end)
    context = digest_context(
        user=user,
        groups=group_by_region(items),
        start=start,
        end=end,
        frequency=DigestFrequency.WEEKLY,
    )
    labels = dict(LearningItem.Kind.choices)
    context["kind_labels"] = [labels[kind] for kind in LearningItem.Kind.values if kind in kinds]
    context["every_kind"] = set(kinds) >= set(LearningItem.Kind.values)
    return context


def author_news(user, *, start, end):
    """What happened to the person's learning in [start, end), grouped by item, the item
    with the latest news first: the weekly summary's content (learning/news.py)."""
    items = list(authored_items(user).only("pk", "title", "is_public", "public_since"))
    found = happenings(items, user=user, since={item.pk: start for item in items}, until=end)
    by_item = {}
    for happening in found:
        by_item.setdefault(happening.item_id, []).append(happening)
    titles = {item.pk: item for item in items}
    return [ItemNews(titles[item_id], entries) for item_id, entries in by_item.items()]
