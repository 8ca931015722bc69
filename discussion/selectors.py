"""Reads for the discussion: a learning item's threads as one person sees them, and the
comments kept for a person's digest."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.scope import user_scope
from discussion.forms import CommentForm
from discussion.models import Comment, CommentDelivery, CommentNotice, DiscussionPreference
from portal.markdown import render_markdown
from portal.pagination import paginated


def _history_subject(entry):
    return "a reply" if entry.parent_id else ""


# The comments' changes merged into the item's history (portal/history.py), without their
# text, which a moderator may have hidden, or the reason for hiding, which only the moderators
# and the writer read.
HISTORY_PARTS = (("comments", "Comment", _history_subject, ("body", "hidden_reason")),)


@dataclass
class Discussion:
    """What an item's page shows of its discussion to one person."""

    page: object
    query: str
    page_param: str
    can_comment: bool
    can_moderate: bool
    form: object = None
    history_parts: tuple = field(default=HISTORY_PARTS)


def _with_people(comments):
    return comments.select_related("author", "hidden_by")


def _present(comment, user, now):
    """What the page needs of one comment, worked out once here rather than in the template."""
    comment.html = "" if comment.is_hidden else render_markdown(comment.body)
    comment.editable_by_viewer = comment.author_id == user.pk and comment.is_editable_at(now)


def discussion_of(item, request):
    """The item's threads, a page of them with every reply, in three queries however many
    there are; whether the person may comment and moderate; the form to comment."""
    user = request.user
    threads = _with_people(Comment.objects.filter(item=item).threads()).prefetch_related(
        Prefetch("replies", queryset=_with_people(Comment.objects.order_by("created_at", "pk")))
    )
    listed = paginated(request, threads, "comments")
    page = listed["page"]
    page.object_list = list(page.object_list)
    now = timezone.now()
    for comment in page.object_list:
        _present(comment, user, now)
        for reply in comment.replies.all():
            _present(reply, user, now)
    can_comment = user.has_perm("discussion.add_comment", item)
    return Discussion(
        page=page,
        query=listed["query"],
        page_param=listed["page_param"],
        can_comment=can_comment,
        can_moderate=item.region_id in user_scope(user).reviewed_region_ids,
        form=CommentForm(action=reverse("discussion:comment-add", args=[item.pk]))
        if can_comment
        else None,
    )


def comment_for_user(user):
    """Comments on the items the person may see, with what their pages show."""
    return Comment.objects.for_user(user).select_related("item__region", "author", "hidden_by")


def comment_notices_for(*, user, start, end):
    """The comments kept for the person's digest of [start, end), still shown on items they
    may still see, oldest first, with their items and writers: one query."""
    return list(
        CommentNotice.objects.filter(
            recipient=user,
            created_at__gte=start,
            created_at__lt=end,
            comment__hidden_at__isnull=True,
            comment__in=Comment.objects.for_user(user).values("pk"),
        )
        .select_related("comment__item", "comment__author")
        .order_by("created_at", "pk")
    )


def comment_delivery_of(user):
    """How the person hears of comments: their choice, or the default, without saving it."""
    chosen = DiscussionPreference.objects.filter(user=user).values_list("comments", flat=True)
    return chosen.first() or CommentDelivery.IMMEDIATE


def learning_commented_since(item_ids, since, user):
    """Comments written on these learning items after `since` by someone else and not hidden,
    as news for their authors (learning/news.py)."""
    from learning.news import Happening

    comments = (
        Comment.objects.filter(item_id__in=item_ids, created_at__gt=since, hidden_at__isnull=True)
        .exclude(author=user)
        .select_related("author")
    )
    return [
        Happening(
            comment.item_id,
            comment.created_at,
            "commented",
            "Commented on",
            f"by {comment.author}",
            comment.get_absolute_url(),
        )
        for comment in comments
    ]
