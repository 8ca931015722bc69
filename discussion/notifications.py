"""Who hears of a new comment, and how.

A person mentioned is emailed at once. The item's authors and its earlier commenters hear as
each prefers: an email at once (the default), or a notice kept for their next digest. Both are
written in the comment's own transaction: the email to the outbox (portal/emails.py), the
notice to its table, so neither is lost with a broker or a worker.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from discussion.mentions import can_see
from discussion.models import Comment, CommentDelivery, CommentNotice
from portal.emails import email_send


def _context(comment, person):
    item = comment.item
    return {
        "person": person,
        "comment": comment,
        "item": item,
        "writer": comment.author.get_full_name(),
        "comment_url": settings.SITE_URL + comment.get_absolute_url(),
        "preferences_url": settings.SITE_URL + reverse("digests:preferences"),
    }


def followers_of(comment):
    """The item's authors and the writers of its earlier comments, active, but the writer."""
    earlier = (
        Comment.objects.filter(item_id=comment.item_id, created_at__lte=comment.created_at)
        .exclude(pk=comment.pk)
        .values("author_id")
    )
    authors = comment.item.authors.through.objects.filter(learningitem_id=comment.item_id).values(
        "user_id"
    )
    return (
        User.objects.filter(Q(pk__in=authors) | Q(pk__in=earlier), is_active=True)
        .exclude(pk=comment.author_id)
        .select_related("discussion_preference")
        .order_by("email")
    )


def comment_notify(comment, mentioned):
    """Tell the people mentioned at once, and the item's followers as each prefers. Returns
    (addresses emailed, addresses kept for a digest)."""
    item = comment.item
    emailed, kept = [], []
    for person in mentioned:
        email_send(
            to=person.email,
            subject=f"{comment.author.get_full_name()} mentioned you: {item.title}",
            template="emails/comment_mention",
            context=_context(comment, person),
        )
        emailed.append(person.email)
    told = {person.pk for person in mentioned}
    notices = []
    for person in followers_of(comment):
        if person.pk in told or not can_see(person, item):
            continue
        preference = getattr(person, "discussion_preference", None)
        if preference is not None and preference.comments == CommentDelivery.DIGEST:
            notices.append(CommentNotice(comment=comment, recipient=person))
            kept.append(person.email)
            continue
        email_send(
            to=person.email,
            subject=f"New comment on {item.title}",
            template="emails/comment_posted",
            context=_context(comment, person),
        )
        emailed.append(person.email)
    CommentNotice.objects.bulk_create(notices)
    return emailed, kept
