"""Reads of initiatives that need care: the list's latest score and next milestone in the same
query, and the detail page's related records in a fixed number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils import timezone

from fellows.models import Initiative, Milestone, ProgressUpdate
from taxonomy.models import SyllabusTag


def initiative_list(*, user, today=None):
    """The initiatives in the person's scope, each with `latest_score`, `next_milestone_title`,
    `next_milestone_due` and `next_milestone_overdue` (an open milestone was due before
    `today`): one query, however many rows."""
    today = today or timezone.localdate()
    latest = ProgressUpdate.objects.filter(initiative=OuterRef("pk")).order_by(
        "-written_on", "-created_at"
    )
    upcoming = Milestone.objects.filter(
        initiative=OuterRef("pk"), completed_on__isnull=True
    ).order_by("due_on", "pk")
    return (
        Initiative.objects.for_user(user)
        .select_related("region", "host_psc__host")
        .annotate(
            latest_score=Subquery(latest.values("ihi_score")[:1]),
            next_milestone_title=Subquery(upcoming.values("title")[:1]),
            next_milestone_due=Subquery(upcoming.values("due_on")[:1]),
            # Milestones come due in order, so the next one is overdue when any open one is.
            next_milestone_overdue=Exists(upcoming.filter(due_on__lt=today)),
        )
        .order_by("-updated_at", "pk")
    )


def initiative_for_detail(user):
    """The queryset the detail page reads one initiative from, with everything it shows."""
    return (
        Initiative.objects.for_user(user)
        .select_related("region", "host_psc__host", "created_by")
        .prefetch_related(
            "partners",
            "themes",
            Prefetch("syllabus", queryset=SyllabusTag.objects.with_names()),
            "fellows",
            "milestones",
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("by").order_by(
                    "written_on", "created_at"
                ),
            ),
        )
    )
