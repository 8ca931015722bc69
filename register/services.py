"""Writes to the register: recommendations (with a gap, and with an organisation added on the
way), their responses, what answers them, the overdue reminders, and adoptions with their
stage changes. Each write is one transaction with one history entry."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from learning.models import LearningItem
from learning.services import learning_item_create
from portal.concurrency import EditConflict
from portal.history import one_history_entry
from portal.records import record_create, record_update
from regions.services import organisation_add
from register import emails
from register.models import (
    Adoption,
    AdoptionStageChange,
    Recommendation,
    RecommendationKind,
    RecommendationResponse,
    ResponseStatus,
    default_due_on,
)

logger = logging.getLogger(__name__)


# Recommendations


def _addressed_to(fields, new_organisation):
    if new_organisation:
        fields["addressed_to"] = organisation_add(**new_organisation)
    return fields


def recommendation_create(*, by, new_organisation=None, **fields):
    """A new recommendation; with no due date given, the usual one for its kind.
    `new_organisation` ({"name", "kind"}) adds the organisation it is addressed to."""
    with transaction.atomic():
        fields = _addressed_to(fields, new_organisation)
        if fields.get("due_on") is None:
            fields["due_on"] = default_due_on(fields.get("kind"), fields.get("issued_on"))
        return record_create(Recommendation, created_by=by, **fields)


def recommendation_update(*, recommendation, expected_version, new_organisation=None, **fields):
    with transaction.atomic():
        fields = _addressed_to(fields, new_organisation)
        return record_update(recommendation, expected_version=expected_version, **fields)


def gap_record(*, by, gap_title, gap_summary, region, themes=(), **recommendation):
    """A gap a fellow found (a learning item of type gap, a draft of theirs) and their own
    recommendation that answers it, linked both ways, in one go."""
    with transaction.atomic():
        gap = learning_item_create(
            by=by,
            kind=LearningItem.Kind.GAP,
            title=gap_title,
            summary=gap_summary,
            region=region,
            themes=themes,
        )
        recommendation = recommendation_create(
            by=by,
            kind=RecommendationKind.FELLOW,
            gap=gap,
            region=region,
            themes=themes,
            **recommendation,
        )
    return gap, recommendation


class StaleResponse(EditConflict):
    """A response was recorded after the page this one was typed on was shown: `newer`
    holds those recorded since, oldest first, and `current` the latest of them."""

    def __init__(self, newer):
        super().__init__(current=newer[-1])
        self.newer = newer


def response_record(
    *, recommendation, by, status, responded_on, text="", url="", last_response_seen=None
):
    """Add a dated response entry, and keep the recommendation's status (the latest entry's),
    the date it was first answered and how many days that took.

    `last_response_seen` is the id of the latest response when the person's page was shown
    (0 for none; see Recommendation.last_response_id). If another was recorded since, this
    one was written without it in view and may say the opposite: nothing is saved, and
    StaleResponse holds what was recorded. Left out where no page was shown (the demo)."""
    with transaction.atomic():
        # Locked first, so of two responses recorded at once the second waits here until the
        # first is committed, and then reads it below.
        list(
            Recommendation._base_manager.select_for_update()
            .filter(pk=recommendation.pk)
            .values_list("pk", flat=True)
        )
        if last_response_seen is not None:
            # Compared here rather than in SQL: a recommendation has a handful of responses,
            # and the id comes from the page, where it could be any number at all.
            newer = [
                entry
                for entry in recommendation.responses.select_related("recorded_by").order_by("pk")
                if entry.pk > last_response_seen
            ]
            if newer:
                raise StaleResponse(newer)
        response = RecommendationResponse.objects.create(
            recommendation=recommendation,
            status=status,
            responded_on=responded_on,
            text=text,
            url=url,
            recorded_by=by,
        )
        entries = list(recommendation.responses.order_by("responded_on", "recorded_at", "pk"))
        answers = [e.responded_on for e in entries if e.status != ResponseStatus.AWAITING]
        answered_on = min(answers) if answers else None
        recommendation.status = entries[-1].status
        recommendation.answered_on = answered_on
        recommendation.days_to_respond = (
            (answered_on - recommendation.issued_on).days if answered_on else None
        )
        # Not a change to what someone is editing, so an open edit form is not refused.
        with one_history_entry(recommendation, created=False):
            Recommendation._base_manager.filter(pk=recommendation.pk).update(
                status=recommendation.status,
                answered_on=recommendation.answered_on,
                days_to_respond=recommendation.days_to_respond,
            )
    return response


def answer_link(*, recommendation, learning_item=None, initiative=None):
    """Record that a learning item or an initiative answers the recommendation."""
    with transaction.atomic(), one_history_entry(recommendation, created=False):
        if learning_item is not None:
            recommendation.answered_by_learning.add(learning_item)
        if initiative is not None:
            recommendation.answered_by_initiatives.add(initiative)


def answer_unlink(*, recommendation, learning_item=None, initiative=None):
    with transaction.atomic(), one_history_entry(recommendation, created=False):
        if learning_item is not None:
            recommendation.answered_by_learning.remove(learning_item)
        if initiative is not None:
            recommendation.answered_by_initiatives.remove(initiative)


# Overdue reminders


def overdue_reminders_queue(*, today=None):
    """Claim every recommendation that is overdue and whose owner has not been reminded about
    this due date, and write one reminder email each. The claim is a conditional UPDATE, so the
    task running twice, or on two workers at once, reminds nobody twice; a due date moved
    later makes a new reminder possible once that date has passed too."""
    today = today or timezone.localdate()
    candidates = list(
        Recommendation.objects.overdue(today)
        .filter(owner__isnull=False, owner__is_active=True)
        .exclude(reminded_for_due_on=F("due_on"))
        .values_list("pk", flat=True)
    )
    claimed = []
    for pk in candidates:
        # The claim and its email are written in one transaction: neither without the other,
        # so a broker outage loses no reminder (portal/emails.py sends it from the outbox).
        with transaction.atomic():
            # The plain manager: the claim is bookkeeping, not a change anyone made.
            if (
                Recommendation._base_manager.filter(pk=pk)
                .exclude(reminded_for_due_on=F("due_on"))
                .update(reminded_for_due_on=F("due_on"))
            ):
                emails.overdue_reminder_send(recommendation_id=pk)
                claimed.append(pk)
    return claimed


# Adoption and spread


def adoption_create(*, by, new_organisation=None, **fields):
    """Record that an organisation took up an initiative or published learning, with its
    first stage."""
    with transaction.atomic():
        if new_organisation:
            fields["organisation"] = organisation_add(**new_organisation)
        adoption = record_create(Adoption, created_by=by, **fields)
        AdoptionStageChange.objects.create(
            adoption=adoption, to_stage=adoption.stage, on=adoption.stage_on, by=by
        )
    return adoption


def adoption_update(*, adoption, expected_version, new_organisation=None, **fields):
    with transaction.atomic():
        if new_organisation:
            fields["organisation"] = organisation_add(**new_organisation)
        return record_update(adoption, expected_version=expected_version, **fields)


def adoption_stage_change(*, adoption, expected_version, by, stage, on, note=""):
    """Move the adoption to `stage` on `on`, keeping the change (with its note) in the stage
    history. EditConflict if someone changed the adoption since `expected_version`."""
    with transaction.atomic():
        from_stage = adoption.stage
        record_update(adoption, expected_version=expected_version, stage=stage, stage_on=on)
        return AdoptionStageChange.objects.create(
            adoption=adoption, from_stage=from_stage, to_stage=stage, on=on, note=note, by=by
        )
