"""Reads for the public pages: published learning its reviewer made public, and of it only
what the world may see. Nothing here reads feedback, history, drafts, emails or the names
of people who have not agreed to be named (docs/adr/0036)."""

from django.db.models import Prefetch

from accounts.models import User
from learning.models import Investigation, LearningItem
from regions.models import Region
from taxonomy.models import SyllabusTag

# An investigation is named on a public page only as a report anyone can already read.
_PUBLISHED_REPORTS = Investigation.objects.exclude(report_url="").filter(published_on__isnull=False)


def public_learning():
    """The public list, newest first, with what each row shows."""
    return (
        LearningItem.objects.public()
        .only("id", "kind", "title", "summary", "published_at", "region__name")
        .select_related("region")
        .order_by("-published_at", "-id")
    )


def public_item(pk):
    """One public item with everything its page shows, or None."""
    return (
        LearningItem.objects.public()
        .select_related("region")
        .prefetch_related(
            "themes",
            Prefetch("syllabus", queryset=SyllabusTag.objects.with_names()),
            Prefetch(
                "authors",
                queryset=User.objects.filter(named_on_public_pages=True)
                .only("id", "full_name")
                .order_by("full_name"),
                to_attr="named_authors",
            ),
            Prefetch(
                "investigations",
                queryset=_PUBLISHED_REPORTS.only(
                    "id", "title", "report_url", "published_on"
                ).order_by("-published_on", "title"),
                to_attr="public_reports",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def feed_items(region=None, *, limit=50):
    """The newest public items for a feed, with their themes and named authors."""
    items = LearningItem.objects.public().select_related("region")
    if region is not None:
        items = items.filter(region=region)
    return items.prefetch_related(
        "themes",
        Prefetch(
            "authors",
            queryset=User.objects.filter(named_on_public_pages=True)
            .only("id", "full_name")
            .order_by("full_name"),
            to_attr="named_authors",
        ),
    ).order_by("-published_at", "-id")[:limit]


def programme_regions():
    return Region.objects.in_programme_scheme()
