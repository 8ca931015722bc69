"""Reads for the learning pages: each list fetches its related rows up front, so the number
of queries does not grow with the number of rows."""

from django.db.models import Prefetch, Q

from accounts.models import User
from accounts.scope import user_scope
from fellows.models import Initiative
from learning.models import (
    Investigation,
    LearningItem,
    LearningItemEvent,
)
from taxonomy.models import SyllabusTag

_AUTHORS = Prefetch("authors", queryset=User.objects.order_by("full_name", "email"))


def investigations_for(user):
    return Investigation.objects.for_user(user).select_related("region", "organisation")


def investigation_detail_for(user):
    return investigations_for(user).select_related("created_by").prefetch_related("themes")


def learning_items_for(user):
    return (
        LearningItem.objects.for_user(user)
        .select_related("region")
        .prefetch_related(_AUTHORS, "themes")
    )


def published_learning_for(user):
    """The learning list: published items, with what each row shows (its type, region, date
    and summary: not its authors or themes, which only its own page shows)."""
    return (
        LearningItem.objects.published_for(user)
        .defer("body", "search_vector")
        .select_related("region")
    )


def learning_item_detail_for(user):
    return learning_items_for(user).prefetch_related(
        Prefetch("syllabus", queryset=SyllabusTag.objects.with_names()),
        Prefetch("events", queryset=LearningItemEvent.objects.select_related("by")),
    )


def linked_investigations(item, user):
    return (
        Investigation.objects.for_user(user)
        .filter(learning_items=item)
        .select_related("organisation")
        .order_by("title")
    )


def linked_initiatives(item, user):
    return Initiative.objects.for_user(user).filter(learning_items=item).order_by("title")


def learning_for_investigation(investigation, user):
    return (
        LearningItem.objects.for_user(user)
        .filter(investigations=investigation)
        .select_related("region")
        .order_by("title")
    )


def learning_for_initiative(initiative, user):
    """The learning items linked to the initiative that the person may see."""
    return (
        LearningItem.objects.for_user(user)
        .filter(initiatives=initiative)
        .order_by("-published_at", "-created_at")
    )


def own_learning_in_progress(user):
    return (
        LearningItem.objects.authored_by(user)
        .exclude(status__in=[LearningItem.Status.PUBLISHED, LearningItem.Status.WITHDRAWN])
        .select_related("region")
        .order_by("-created_at")
    )


def review_queue_for(user):
    """Items awaiting review in the regions the person leads (every region for the national
    team), oldest submission first."""
    items = learning_items_for(user).awaiting_review()
    return items.filter(user_scope(user).reviewed_region_q("region")).order_by("submitted_at", "pk")


def in_progress_matching(user, text, limit=10):
    """What the person may see of the learning not yet published whose title or summary says
    every word of `text`: their own drafts, submissions and returned items, and what waits for
    their review. Search's ranked results are published learning only (docs/adr/0033); these
    are few, so a plain match is enough. Each list is cut at `limit`."""
    words = text.split()
    if not words:
        return [], []
    matching = Q()
    for word in words:
        matching &= Q(title__icontains=word) | Q(summary__icontains=word)
    # Only what the list shows: never the body or the search vector, which can be large.
    shown = ("pk", "title", "status", "region__name", "created_at", "submitted_at")
    own = list(own_learning_in_progress(user).filter(matching).only(*shown)[:limit])
    waiting = []
    if user_scope(user).reviewed_region_ids:
        waiting = list(
            review_queue_for(user)
            .filter(matching)
            .exclude(pk__in=[item.pk for item in own])
            .select_related("region")
            .only(*shown)[:limit]
        )
    return own, waiting
