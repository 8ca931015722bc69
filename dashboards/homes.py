"""What each role's home shows: each block's rows, read in a fixed number of queries."""

import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.scope import user_scope
from fellows.models import Initiative, Milestone
from fellows.selectors import initiative_list
from learning.models import LearningItem
from learning.news import news_for_author
from learning.selectors import review_queue_for
from register.models import Adoption, AdoptionStage, Recommendation

SOON = datetime.timedelta(days=30)
STALE = datetime.timedelta(days=90)
SHOWN = 10  # rows a block shows; it says how many there are in all


def fellow_home(user):
    today = timezone.localdate()
    # Theirs as a fellow on it, or as its maker: two conditions an index answers each, not an
    # OR across the join to its fellows (which read every initiative, then DISTINCT).
    fellow_of = Initiative.fellows.through.objects.filter(user=user).values("initiative_id")
    mine = Initiative.objects.filter(Q(pk__in=fellow_of) | Q(created_by=user))
    news, news_count = news_for_author(user)
    return {
        "news": news,
        "news_count": news_count,
        "initiatives": list(initiative_list(user=user).filter(pk__in=mine.values("pk"))[:SHOWN]),
        "milestones": list(
            Milestone.objects.filter(
                initiative__in=mine.values("pk"),
                completed_on__isnull=True,
                due_on__lte=today + SOON,
            )
            .select_related("initiative")
            .order_by("due_on", "pk")[:SHOWN]
        ),
        "learning": list(
            LearningItem.objects.filter(
                authors=user,
                status__in=[LearningItem.Status.RETURNED, LearningItem.Status.SUBMITTED],
            ).order_by("status", "-updated_at")[:SHOWN]
        ),
        "recommendations": list(
            Recommendation.objects.for_user(user)
            .unanswered()
            .filter(owner=user, due_on__lte=today + SOON)
            .select_related("addressed_to")
            .order_by("due_on")[:SHOWN]
        ),
        "adoptions": list(
            Adoption.objects.for_user(user)
            .filter(Q(created_by=user) | Q(initiative__in=mine.values("pk")))
            .exclude(stage__in=[AdoptionStage.EMBEDDED, AdoptionStage.STOPPED])
            .filter(stage_on__lt=today - STALE)
            .select_related("organisation", "initiative", "learning_item")
            .order_by("stage_on")[:SHOWN]
        ),
        "today": today,
    }


def lead_home(user):
    queue = review_queue_for(user)
    overdue = (
        Recommendation.objects.for_user(user)
        .overdue()
        .filter(user_scope(user).reviewed_region_q("region"))
        .select_related("addressed_to", "region")
        .order_by("due_on")
    )
    oldest = queue.first()
    return {
        "queue_count": queue.count(),
        "oldest": oldest,
        "overdue": list(overdue[:SHOWN]),
        "overdue_count": overdue.count(),
    }


def chair_home(user, quarter):
    psc_ids = user_scope(user).chaired_psc_ids
    initiatives = initiative_list(user=user).filter(host_psc__in=psc_ids)
    fellows = User.objects.fellows_hosted_by(psc_ids)
    return {
        "initiatives": list(initiatives[:SHOWN]),
        "initiative_count": initiatives.count(),
        "changed": list(
            initiatives.filter(updated_at__gte=quarter.starts_at).order_by("-updated_at")[:SHOWN]
        ),
        "fellows": list(fellows.order_by("full_name")[:SHOWN]),
        "fellow_count": fellows.count(),
    }
