"""Writes for the discussion: writing, editing and hiding comments, and each person's choice
of how they hear of them. Each write is one transaction with what it tells people."""

from django.db import transaction
from django.utils import timezone

from discussion.mentions import resolve_mentions
from discussion.models import EDIT_WINDOW, Comment, CommentDelivery, DiscussionPreference
from discussion.notifications import comment_notify


class CommentNotEditable(Exception):
    """The comment can no longer be edited: its time is up, or it was hidden."""


def comment_create(*, item, by, body, parent=None):
    """Save a comment (a reply, when `parent` is given: a reply to a reply joins its thread)
    and tell who should hear of it. Returns (comment, addresses mentioned that told nobody)."""
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent
    mentioned, not_told = resolve_mentions(body, item=item, writer=by)
    with transaction.atomic():
        comment = Comment.objects.create(item=item, parent=parent, author=by, body=body)
        comment_notify(comment, mentioned)
    return comment, not_told


def comment_edit(*, comment, by, body, now=None):
    """Change the text of a comment its writer wrote less than EDIT_WINDOW ago, marking it
    edited. The row is locked and checked again, so an edit sent as the time runs out, or as
    a moderator hides the comment, is refused rather than saved over the hiding."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .filter(
                pk=comment.pk,
                author=by,
                hidden_at__isnull=True,
                created_at__gt=now - EDIT_WINDOW,
            )
            .first()
        )
        if locked is None:
            raise CommentNotEditable(
                "This comment can no longer be edited: comments can be edited for "
                f"{EDIT_WINDOW.seconds // 60} minutes after they are written."
            )
        locked.body = body
        locked.edited_at = now
        locked.save()
    return locked


def comment_hide(*, comment, by, reason):
    """Hide a comment from the item's page, with the reason; it stays, with its history.
    False when it was already hidden."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().filter(pk=comment.pk, hidden_at__isnull=True)
        locked = locked.first()
        if locked is None:
            return False
        locked.hidden_at = timezone.now()
        locked.hidden_by = by
        locked.hidden_reason = reason
        locked._change_reason = "Hidden by a moderator"
        locked.save()
    return True


def discussion_preference_for(user):
    preference, _created = DiscussionPreference.objects.get_or_create(user=user)
    return preference


def discussion_preference_update(*, user, comments):
    preference = discussion_preference_for(user)
    if preference.comments != comments:
        preference.comments = comments
        preference.save(update_fields=["comments", "updated_at"])
    return preference


def comments_by_email(*, user):
    """Have comments emailed at once (for someone who stops their digests)."""
    return discussion_preference_update(user=user, comments=CommentDelivery.IMMEDIATE)
