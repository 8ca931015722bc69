"""Who may do what with initiatives. Views ask `permission_required`; the generic role
predicates come from accounts/rules.py, the ones about initiatives are here."""

import rules

from accounts.rules import has_a_working_role, is_fellow, is_national_team, leads_region_of
from accounts.scope import user_scope


@rules.predicate
def is_fellow_on(user, initiative):
    """One of the initiative's fellows, still a fellow in its region."""
    if initiative is None:
        return False
    scope = user_scope(user)
    return initiative.region_id in scope.fellow_region_ids and (
        initiative.created_by_id == user.pk
        or any(fellow.pk == user.pk for fellow in initiative.fellows.all())
    )


rules.add_perm("fellows.add_initiative", is_fellow | is_national_team)
rules.add_perm("fellows.change_initiative", is_fellow_on | leads_region_of | is_national_team)
# Initiatives are working records: a partner reader sees published learning only.
rules.add_perm("fellows.view_initiatives", has_a_working_role)
