"""The portal's permissions about people, named once. Views ask `permission_required`,
templates `{% has_perm %}`; the roles behind them are only spelt out here and in scope.py."""

import rules

from accounts.roles import Role
from accounts.scope import assignment_region_id, user_scope


@rules.predicate
def is_national_team(user):
    return user_scope(user).is_national


@rules.predicate
def is_regional_lead(user):
    return user_scope(user).has_role(Role.REGIONAL_LEAD)


@rules.predicate
def is_someone_else(user, person):
    return person is not None and person.pk != user.pk


@rules.predicate
def may_grant(user, invitation):
    """`invitation` is anything with a role and a region_id: an Invitation, saved or not."""
    return invitation is not None and user_scope(user).can_grant(
        invitation.role, invitation.region_id
    )


@rules.predicate
def manages_assignment(user, assignment):
    """The national team manages any assignment; a regional lead the ones they could grant,
    in their own region."""
    if assignment is None:
        return False
    return user_scope(user).can_grant(assignment.role, assignment_region_id(assignment))


@rules.predicate
def manages_every_role_of(user, person):
    """A regional lead may deactivate a person only if every role the person still holds is
    one the lead could have granted, so a lead cannot lock out a national team member."""
    if person is None:
        return False
    scope = user_scope(user)
    if scope.is_national:
        return True
    held = [assignment for assignment in person.assignments.all() if assignment.is_active()]
    return bool(held) and all(manages_assignment(user, assignment) for assignment in held)


@rules.predicate
def owns_other_assignment(user, assignment):
    return assignment is not None and assignment.user_id != user.pk


manages_people = is_national_team | is_regional_lead

rules.add_perm("accounts.view_people", manages_people)
rules.add_perm("accounts.view_person", manages_people)
rules.add_perm("accounts.invite_person", manages_people)
rules.add_perm("accounts.view_invitations", manages_people)
rules.add_perm("accounts.grant_role", may_grant)
rules.add_perm("accounts.manage_invitation", may_grant)
rules.add_perm("accounts.end_assignment", manages_assignment & owns_other_assignment)
rules.add_perm("accounts.deactivate_user", is_someone_else & manages_every_role_of)
