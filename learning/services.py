"""Writes that span models: the learning item's review workflow and its notifications.

Views check who may act (learning/rules.py); these functions check that the step is valid
from the item's current status, make the change with a conditional UPDATE (so two reviewers
acting at once cannot both move the same item), record the step, and queue the email once
the transaction has committed.
"""

from django.db import transaction
from django.utils import timezone

from learning.models import LearningItem, LearningItemEvent
from portal.queueing import enqueue

Status = LearningItem.Status

# The review workflow: for each step, the statuses it may start from and where it leads.
STEPS = {
    "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    "publish": ({Status.SUBMITTED}, Status.PUBLISHED),
    "return": ({Status.SUBMITTED}, Status.RETURNED),
    "withdraw": (
        {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED},
        Status.WITHDRAWN,
    ),
}


class StepNotAllowed(Exception):
    """The item is not in a status this step can start from (someone else acted first)."""


def _step(item, *, step, by, feedback="", **extra):
    allowed_from, to_status = STEPS[step]
    now = timezone.now()
    with transaction.atomic():
        moved = LearningItem.objects.filter(pk=item.pk, status__in=allowed_from).update(
            status=to_status, **extra
        )
        if not moved:
            item.refresh_from_db()
            raise StepNotAllowed(
                f"This item is now {item.get_status_display().lower()}, so it cannot be "
                f"{STEP_WORDS[step]}."
            )
        from_status = item.status
        item.refresh_from_db()
        event = LearningItemEvent.objects.create(
            item=item, from_status=from_status, to_status=to_status, by=by, at=now,
            feedback=feedback,
        )  # fmt: skip
        transaction.on_commit(lambda: _queue_notification(event.pk))
    return event


STEP_WORDS = {
    "submit": "submitted",
    "publish": "published",
    "return": "returned",
    "withdraw": "withdrawn",
}


def learning_item_submit(*, item, by):
    return _step(item, step="submit", by=by, submitted_at=timezone.now())


def learning_item_publish(*, item, by):
    return _step(item, step="publish", by=by, published_at=timezone.now())


def learning_item_return(*, item, by, feedback):
    if not feedback.strip():
        raise ValueError("Feedback is required when returning an item.")
    return _step(item, step="return", by=by, feedback=feedback)


def learning_item_withdraw(*, item, by, reason=""):
    return _step(item, step="withdraw", by=by, feedback=reason)


def _queue_notification(event_id):
    # Runs after the commit: the step has happened whether or not the broker answers.
    enqueue("learning.tasks.notify_learning_item_event", event_id)
