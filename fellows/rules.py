"""Who may do what with initiatives. Views ask `permission_required`; roles only appear here."""

import rules

from accounts.roles import Role
from accounts.scope import user_scope


@rules.predicate
def is_fellow(user):
    return user_scope(user).has_role(Role.FELLOW)


@rules.predicate
def is_national_team(user):
    return user_scope(user).is_national


@rules.predicate
def leads_region_of(user, record):
    return record is not None and record.region_id in user_scope(user).led_region_ids


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


@rules.predicate
def works_on_initiatives(user):
    """Anyone with a role in the programme; a partner reader sees published learning only."""
    scope = user_scope(user)
    return bool(scope.roles) and not scope.reads_published_only


rules.add_perm("fellows.view_initiatives", works_on_initiatives)
