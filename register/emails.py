"""The email an owner gets on the day a recommendation they follow up becomes overdue."""

from django.conf import settings

from portal.emails import email_send
from register.models import Recommendation


def overdue_reminder_send(*, recommendation_id):
    """Send the reminder claimed for this recommendation, unless it was answered since."""
    recommendation = (
        Recommendation.objects.select_related("owner", "addressed_to", "investigation")
        .filter(pk=recommendation_id)
        .first()
    )
    if recommendation is None or recommendation.is_answered or recommendation.owner is None:
        return None
    owner = recommendation.owner
    email_send(
        to=owner.email,
        subject=f"A recommendation you follow up is overdue: {recommendation.title}",
        template="emails/recommendation_overdue",
        context={
            "person": owner,
            "recommendation": recommendation,
            "url": settings.SITE_URL + recommendation.get_absolute_url(),
        },
    )
    return owner.email
