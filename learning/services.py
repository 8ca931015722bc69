"""Writes to investigations and learning items: creating and editing them, and the learning
item's review workflow with its notifications.

Views check who may act (learning/rules.py); the review functions check that the step is
valid from the item's current status (learning/steps.py), make the change with a conditional
UPDATE (so two reviewers acting at once cannot both move the same item), record the step,
and queue the email once the transaction has committed.
"""

from django.db import transaction
from django.utils import timezone

from learning.models import Investigation, LearningItem, LearningItemEvent
from learning.notifications import send_event_email
from learning.steps import STEPS
from portal.records import record_create, record_update

# Investigations


def investigation_create(*, by, **fields):
    return record_create(Investigation, created_by=by, **fields)


def investigation_update(*, investigation, expected_version, **fields):
    """Save an edit made from `expected_version`; EditConflict if someone saved since."""
    return record_update(investigation, expected_version=expected_version, **fields)


# Learning items


def learning_item_create(*, by, **fields):
    """A new draft; its author is the person writing it."""
    return record_create(LearningItem, created_by=by, authors=[by], **fields)


def learning_item_update(*, item, expected_version, **fields):
    """Save an edit made from `expected_version`; EditConflict if someone saved since."""
    return record_update(item, expected_version=expected_version, **fields)


# The review workflow


class StepNotAllowed(Exception):
    """The item is not in a status this step can start from (someone else acted first)."""


def _step(item, *, step, by, feedback="", **extra):
    step = STEPS[step]
    now = timezone.now()
    with transaction.atomic():
        moved = LearningItem.objects.filter(pk=item.pk, status__in=step.from_statuses).update(
            status=step.to_status, **extra
        )
        if not moved:
            item.refresh_from_db()
            raise StepNotAllowed(step.refusal(item, changed=True))
        from_status = item.status
        item.refresh_from_db()
        event = LearningItemEvent.objects.create(
            item=item, from_status=from_status, to_status=step.to_status, by=by, at=now,
            feedback=feedback,
        )  # fmt: skip
        # In the step's transaction, so the emails are in the outbox with the step.
        send_event_email(event)
    return event


def learning_item_submit(*, item, by):
    return _step(item, step="submit", by=by, submitted_at=timezone.now())


def learning_item_publish(*, item, by, public=False):
    """Publish for everyone signed in and, when `public`, for anyone on the public pages."""
    now = timezone.now()
    return _step(
        item,
        step="publish",
        by=by,
        published_at=now,
        days_to_publish=LearningItem.days_between(item.submitted_at, now),
        is_public=public,
        public_since=now if public else None,
    )


def learning_item_return(*, item, by, feedback):
    if not feedback.strip():
        raise ValueError("Feedback is required when returning an item.")
    return _step(item, step="return", by=by, feedback=feedback)


def learning_item_withdraw(*, item, by, reason=""):
    # Off the public pages with the same change: published again one day, it is asked anew.
    return _step(item, step="withdraw", by=by, feedback=reason, is_public=False, public_since=None)


def learning_item_set_public(*, item, by, public):
    """Show published learning on the public pages, or take it off them. Only a published
    item changes (the history records who and when); False if it was not published, or was
    already as asked."""
    changed = LearningItem.objects.filter(
        pk=item.pk, status=LearningItem.Status.PUBLISHED, is_public=not public
    ).update(is_public=public, public_since=timezone.now() if public else None)
    item.refresh_from_db()
    return bool(changed)


# A step's service, by the step's name.
STEP_SERVICES = {
    "submit": learning_item_submit,
    "publish": learning_item_publish,
    "return": learning_item_return,
    "withdraw": learning_item_withdraw,
}
