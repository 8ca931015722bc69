"""Who may do what with investigations and learning items, including each review step."""

import rules

from accounts.rules import (
    is_fellow,
    is_national_team,
    is_regional_lead,
    reads_published_only,
    reviews_region_of,
    works_in_region_of,
)


@rules.predicate
def is_author(user, item):
    return item is not None and any(author.pk == user.pk for author in item.authors.all())


@rules.predicate
def is_editable(user, item):
    return item is not None and item.is_editable


@rules.predicate
def is_submitted(user, item):
    return item is not None and item.status == item.Status.SUBMITTED


@rules.predicate
def is_published(user, item):
    return item is not None and item.status == item.Status.PUBLISHED


@rules.predicate
def can_be_withdrawn(user, item):
    return item is not None and item.status != item.Status.WITHDRAWN


rules.add_perm("learning.add_investigation", is_fellow | is_national_team)
rules.add_perm("learning.change_investigation", works_in_region_of | is_national_team)
rules.add_perm("learning.add_learningitem", is_fellow | is_national_team)
rules.add_perm("learning.change_learningitem", is_author & is_editable)
rules.add_perm("learning.submit_learningitem", is_author & is_editable)
# Nobody reviews their own work: a lead who co-wrote an item leaves it to another reviewer.
rules.add_perm("learning.review_learningitem", reviews_region_of & is_submitted & ~is_author)
# Showing published learning to the world is part of publishing it: the same people decide.
rules.add_perm("learning.publicise_learningitem", reviews_region_of & is_published & ~is_author)
rules.add_perm("learning.withdraw_learningitem", (is_author | reviews_region_of) & can_be_withdrawn)
# The queue is not about one item: any regional lead has one (for the regions they lead).
# Who may take each step at all, whatever the item's status (learning/steps.py).
rules.add_perm("learning.author_of_learningitem", is_author)
rules.add_perm("learning.reviewer_of_learningitem", reviews_region_of & ~is_author)
rules.add_perm("learning.withdrawer_of_learningitem", is_author | reviews_region_of)

rules.add_perm("learning.view_review_queue", is_regional_lead | is_national_team)

# Investigations are working records: everyone but a reader of published learning sees them.
rules.add_perm("learning.view_investigations", rules.is_authenticated & ~reads_published_only)
rules.add_perm("learning.view_learningitems", rules.is_authenticated)
