"""The digest email: its content for one person and period, with the one-click unsubscribe
headers (RFC 8058)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from digests.models import DigestKind
from digests.periods import LONDON
from digests.tokens import unsubscribe_url
from portal.emails import email_message


def digest_context(*, user, groups, start, end, frequency, comments=()):
    """`comments` are the notices of the comments kept for this digest
    (discussion.selectors.comment_notices_for)."""
    entries = [item for group in groups for item in group.items]
    for item in entries:
        item.absolute_url = settings.SITE_URL + item.get_absolute_url()
        item.author_names = ", ".join(author.get_full_name() for author in item.authors.all())
    for notice in comments:
        notice.comment.absolute_url = settings.SITE_URL + notice.comment.get_absolute_url()
    return {
        "person": user,
        "groups": groups,
        "count": len(entries),
        "comments": [notice.comment for notice in comments],
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
    subject = f"{count} new learning {'entry' if count == 1 else 'entries'} from your regions"
    if not count:
        comments = len(context["comments"])
        subject = f"{comments} new {'comment' if comments == 1 else 'comments'} on learning"
    return email_message(
        to=context["person"].email,
        subject=subject,
        template="emails/digest",
        context=context,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )


def author_summary_context(*, user, news, start, end):
    for entry in news:
        entry.absolute_url = settings.SITE_URL + entry.item.get_absolute_url()
        for happening in entry.happenings:
            # A frozen record: its link made absolute beside it, for the email.
            object.__setattr__(
                happening,
                "absolute_url",
                settings.SITE_URL + happening.url if happening.url else "",
            )
    return {
        "person": user,
        "news": news,
        "count": len(news),
        "period_start": timezone.localtime(start, LONDON),
        "period_end": timezone.localtime(end, LONDON),
        "unsubscribe_url": unsubscribe_url(user, kind=DigestKind.AUTHORS),
        "preferences_url": settings.SITE_URL + reverse("digests:preferences"),
        "site_url": settings.SITE_URL,
    }


def author_summary_message(context, connection=None):
    count = context["count"]
    unsubscribe = context["unsubscribe_url"]
    return email_message(
        to=context["person"].email,
        subject=f"What happened to your learning this week: {count} "
        f"{'item' if count == 1 else 'items'}",
        template="emails/author_summary",
        context=context,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
