"""Who may comment on a learning item, edit a comment and hide one."""

import rules
from django.utils import timezone

from accounts.rules import reads_published_only, reviews_region_of
from accounts.scope import user_scope
from learning.rules import is_author, is_published, is_submitted


@rules.predicate
def wrote_comment(user, comment):
    return comment is not None and comment.author_id == user.pk


@rules.predicate
def comment_still_editable(user, comment):
    return comment is not None and comment.is_editable_at(timezone.now())


@rules.predicate
def comment_shown(user, comment):
    return comment is not None and not comment.is_hidden


@rules.predicate
def moderates_item_of(user, comment):
    """The region's lead, or the national team, of the item the comment is on."""
    return comment is not None and comment.item.region_id in user_scope(user).reviewed_region_ids


# Published learning is discussed by everyone who works in the programme; a partner reader
# reads it only. Learning under review is discussed by its authors and reviewers alone.
rules.add_perm(
    "discussion.add_comment",
    (is_published & ~reads_published_only) | (is_submitted & (is_author | reviews_region_of)),
)
rules.add_perm("discussion.change_comment", wrote_comment & comment_still_editable)
rules.add_perm("discussion.hide_comment", moderates_item_of & comment_shown)
