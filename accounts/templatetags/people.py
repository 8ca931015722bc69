"""Display helpers for people pages: status words and design-system tag colours."""

from django import template
from django.utils import timezone

register = template.Library()

ASSIGNMENT_TAGS = {"Active": "nhsuk-tag--green", "Ended": "nhsuk-tag--grey", "Starts later": ""}
INVITATION_TAGS = {
    "pending": "nhsuk-tag--blue",
    "accepted": "nhsuk-tag--green",
    "expired": "nhsuk-tag--grey",
    "revoked": "nhsuk-tag--red",
}


@register.filter
def assignment_status(assignment):
    today = timezone.localdate()
    if assignment.starts_on > today:
        return "Starts later"
    return "Active" if assignment.is_active(today) else "Ended"


@register.filter
def assignment_tag_class(assignment):
    return ASSIGNMENT_TAGS[assignment_status(assignment)]


@register.filter
def active_assignments(assignments):
    """The active ones of a prefetched list of assignments (no further query)."""
    today = timezone.localdate()
    return [assignment for assignment in assignments if assignment.is_active(today)]


@register.filter
def invitation_tag_class(invitation):
    return INVITATION_TAGS[invitation.status]
