"""The digest email: its content for one person and period, with the one-click unsubscribe
headers (RFC 8058)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from digests.periods import LONDON
from digests.tokens import unsubscribe_url
from portal.emails import email_message


def digest_context(*, user, groups, start, end, frequency):
    entries = [item for group in groups for item in group.items]
    for item in entries:
        item.absolute_url = settings.SITE_URL + item.get_absolute_url()
        item.author_names = ", ".join(author.get_full_name() for author in item.authors.all())
    return {
        "person": user,
        "groups": groups,
        "count": len(entries),
        "period_start": timezone.localtime(start, LONDON),
        "period_end": timezone.localtime(end, LONDON),
        "frequency": frequency,
        "unsubscribe_url": unsubscribe_url(user),
        "preferences_url": settings.SITE_URL + reverse("digests:preferences"),
        "site_url": settings.SITE_URL,
    }


def digest_message(context, connection=None):
    count = context["count"]
    unsubscribe = context["unsubscribe_url"]
    return email_message(
        to=context["person"].email,
        subject=f"{count} new learning {'entry' if count == 1 else 'entries'} from your regions",
        template="emails/digest",
        context=context,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
