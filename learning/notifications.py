"""Who hears about each review step, and the email they get."""

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from learning.models import LearningItem
from portal.emails import email_send

Status = LearningItem.Status


def recipients_for(event):
    """Submitting tells the item's regional leads; publishing and returning tell the authors.
    Nobody is told about their own action."""
    item = event.item
    if event.to_status == Status.SUBMITTED:
        people = User.objects.regional_leads_of(item.region_id)
    elif event.to_status in {Status.PUBLISHED, Status.RETURNED}:
        people = item.authors.filter(is_active=True)
    else:
        return []
    return [person for person in people.order_by("email") if person.pk != event.by_id]


SUBJECTS = {
    Status.SUBMITTED: "Learning submitted for your review: {title}",
    Status.PUBLISHED: "Your learning has been published: {title}",
    Status.RETURNED: "Your learning has been returned with feedback: {title}",
}


def send_event_email(event):
    """Send one email per recipient; returns the addresses written to."""
    people = recipients_for(event)
    if not people:
        return []
    item = event.item
    context = {
        "event": event,
        "item": item,
        "item_url": settings.SITE_URL + reverse("learning:item-detail", args=[item.pk]),
        "review_url": settings.SITE_URL + reverse("learning:review-queue"),
    }
    subject = SUBJECTS[event.to_status].format(title=item.title)
    sent = []
    for person in people:
        context["person"] = person
        email_send(
            to=person.email, subject=subject, template="emails/learning_event", context=context
        )
        sent.append(person.email)
    return sent
