"""What needs someone today, in a region or everywhere the person works: the learning waiting
longest for review, recommendations overdue or due soon, initiatives with an overdue
milestone. Each block is its first few rows and how many there are, in two queries, however
many there are; each row is one the person may open."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from fellows.selectors import initiative_list
from learning.models import LearningItem
from register.models import Recommendation

DUE_SOON = datetime.timedelta(days=14)
SHOWN = 3  # rows a block shows; it says how many there are and links to them all


@dataclass
class Block:
    rows: list
    count: int

    @property
    def more(self):
        return self.count - len(self.rows)


def _block(rows):
    return Block(list(rows[:SHOWN]), rows.count())


def needs_attention(user, region=None):
    """The three blocks for `region`, or for everywhere the person works when it is None."""
    today = timezone.localdate()
    waiting = LearningItem.objects.for_user(user).awaiting_review().order_by("submitted_at", "pk")
    recommendations = (
        Recommendation.objects.for_user(user)
        .unanswered()
        .filter(due_on__lte=today + DUE_SOON)
        .select_related("addressed_to")
        .order_by("due_on", "pk")
    )
    initiatives = (
        initiative_list(user=user, today=today)
        .filter(next_milestone_overdue=True)
        .order_by("next_milestone_due", "pk")
    )
    if region is not None:
        waiting = waiting.filter(region=region)
        recommendations = recommendations.filter(region=region)
        initiatives = initiatives.filter(region=region)
    return {
        "today": today,
        "waiting": _block(waiting),
        "recommendations": _block(recommendations),
        "initiatives": _block(initiatives),
    }
