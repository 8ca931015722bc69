"""What happened to an author's learning since they last looked (docs/adr/0037).

An author hears what others did with their learning: it was published, returned, withdrawn,
shown on the public pages, adopted somewhere, cited by a curriculum entry, commented on. Each
is read from the record that already says it (the review steps, the item's own public date,
the register, the curriculum's history, the discussion), so nothing has to remember to write
news, and a fixed number of queries answers any number of items. The apps above learning
answer their part through backlinks (portal/backlinks.py).

"Since they last looked" is the time the author last opened the item's page when it showed
news (LearningItemSeen), or else when the item was created; never further back than
NEWS_WINDOW, so a person's first view after a long absence is a summary, not an archive.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from learning import backlinks
from learning.models import LearningItem, LearningItemEvent, LearningItemSeen

NEWS_WINDOW = datetime.timedelta(days=90)
SHOWN = 10

Status = LearningItem.Status

# What each review step is called in the news, by the status it moved the item to.
STEP_NEWS = {
    Status.PUBLISHED: ("published", "Published"),
    Status.RETURNED: ("returned", "Returned with feedback"),
    Status.WITHDRAWN: ("withdrawn", "Withdrawn"),
}


@dataclass(frozen=True)
class Happening:
    """One thing that happened to a learning item: `what` in a few words, `detail` saying by
    whom or where, and a link when the reader may follow it."""

    item_id: int
    at: datetime.datetime
    kind: str
    what: str
    detail: str = ""
    url: str = ""


def authored_items(user):
    """The person's own learning that others can act on (everything but drafts)."""
    return LearningItem.objects.filter(authors=user).exclude(status=Status.DRAFT)


def seen_marks(user, item_ids):
    return dict(
        LearningItemSeen.objects.filter(user=user, item_id__in=item_ids).values_list(
            "item_id", "seen_at"
        )
    )


def since_for(items, marks, now=None):
    """Each item's "last looked": its seen mark, or its creation, within the window."""
    floor = (now or timezone.now()) - NEWS_WINDOW
    return {item.pk: max(marks.get(item.pk) or item.created_at, floor) for item in items}


def happenings(items, *, user, since, until=None):
    """What others did with `items` after `since` (a moment for each item id) and before
    `until`, newest first. A fixed number of queries, whatever the number of items."""
    items = list(items)
    if not items:
        return []
    found = _done_by_others([item.pk for item in items], min(since.values()), user)
    found += _made_public(items)
    return _in_order(found, since, until)


def _done_by_others(item_ids, earliest, user):
    """What others did with the items `item_ids` (ids, or a query of them) after `earliest`:
    the review steps, and the apps above learning's news through backlinks."""
    found = []
    events = (
        LearningItemEvent.objects.filter(
            item_id__in=item_ids, at__gt=earliest, to_status__in=list(STEP_NEWS)
        )
        .exclude(by=user)
        .select_related("by")
    )
    for event in events:
        kind, what = STEP_NEWS[event.to_status]
        found.append(Happening(event.item_id, event.at, kind, what, f"by {event.by}"))
    found += backlinks.adopted_since(item_ids, earliest, user)
    found += backlinks.cited_since(item_ids, earliest, user)
    found += backlinks.commented_since(item_ids, earliest, user)
    return found


def _made_public(items):
    return [
        Happening(item.pk, item.public_since, "public", "Shown on the public pages")
        for item in items
        if item.is_public and item.public_since
    ]


def _in_order(found, since, until=None):
    return sorted(
        (
            happening
            for happening in found
            if happening.item_id in since
            and happening.at > since[happening.item_id]
            and (until is None or happening.at < until)
        ),
        key=lambda happening: (happening.at, happening.kind),
        reverse=True,
    )


@dataclass
class ItemNews:
    item: LearningItem
    happenings: list


def news_for_author(user, now=None):
    """The author's items with news since they last looked, the latest news first: at most
    SHOWN items, and how many items have news in all.

    It starts from what happened within the window to any of their items, not from the
    items: an author may have hundreds, and only those with news are read."""
    floor = (now or timezone.now()) - NEWS_WINDOW
    authored = authored_items(user)
    if not authored.exists():
        return [], 0
    # The items as a subquery, not a list: an author may have hundreds, and a list of their ids
    # would be sent, and converted, once for each of the queries below.
    ids = authored.values("pk")
    found = _done_by_others(ids, floor, user)
    items = list(items_with_news(user, ids, {happening.item_id for happening in found}, floor))
    found += _made_public(items)
    marks = {item.pk: item.seen_at for item in items}
    news = _in_order(found, since_for(items, marks, now))
    by_item = {}
    for happening in news:
        by_item.setdefault(happening.item_id, []).append(happening)
    titles = {item.pk: item for item in items}
    grouped = [ItemNews(titles[item_id], found) for item_id, found in by_item.items()]
    return grouped[:SHOWN], len(grouped)


def items_with_news(user, ids, done_to, floor):
    """Of the items `ids`, those others did something to (`done_to`) or made public since
    `floor`, each with the moment the person last looked (`seen_at`)."""
    seen = LearningItemSeen.objects.filter(user=user, item=OuterRef("pk")).values("seen_at")
    return (
        LearningItem.objects.filter(pk__in=ids)
        .filter(Q(pk__in=done_to) | Q(is_public=True, public_since__gt=floor))
        .only("pk", "title", "created_at", "is_public", "public_since")
        .annotate(seen_at=Subquery(seen))
    )


def news_for_item(item, user, now=None):
    """What happened to one item since its author last looked; [] for anyone else."""
    if not item.authors.filter(pk=user.pk).exists():
        return []
    marks = seen_marks(user, [item.pk])
    return happenings([item], user=user, since=since_for([item], marks, now))


def mark_seen(user, items, now=None):
    """Record that the person has seen what happened to these items up to now."""
    now = now or timezone.now()
    LearningItemSeen.objects.bulk_create(
        [LearningItemSeen(user=user, item=item, seen_at=now) for item in items],
        update_conflicts=True,
        unique_fields=["user", "item"],
        update_fields=["seen_at"],
    )


def mark_all_seen(user, now=None):
    mark_seen(user, list(authored_items(user)), now)
