"""Who may do what with the register. The generic role predicates come from
accounts/rules.py; the ones about recommendations and adoptions are here."""

import rules

from accounts.rules import has_a_working_role, is_fellow, is_national_team, is_regional_lead
from accounts.scope import user_scope


@rules.predicate
def follows_up(user, recommendation):
    """A fellow or lead of the recommendation's region, or its owner."""
    if recommendation is None:
        return False
    return (
        recommendation.region_id in user_scope(user).worked_region_ids
        or recommendation.owner_id == user.pk
    )


@rules.predicate
def works_on_adoption(user, adoption):
    """Whoever recorded it, and the fellows and leads of either end: the adopter's region and
    the region whose initiative or learning was taken up."""
    if adoption is None:
        return False
    worked = user_scope(user).worked_region_ids
    return (
        adoption.created_by_id == user.pk
        or adoption.region_id in worked
        or adoption.origin_region_id in worked
    )


records_work = is_fellow | is_regional_lead | is_national_team

# The register is a working record: partner readers see published learning only.
rules.add_perm("register.view_recommendations", has_a_working_role)
rules.add_perm("register.add_recommendation", records_work)
rules.add_perm("register.change_recommendation", follows_up | is_national_team)
rules.add_perm("register.view_spread", has_a_working_role)
rules.add_perm("register.add_adoption", records_work)
rules.add_perm("register.change_adoption", works_on_adoption | is_national_team)
