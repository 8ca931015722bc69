"""The portal's permissions about people, named once. Views ask `permission_required`,
templates `{% has_perm %}`; the roles behind them are only spelt out here and in scope.py."""

import rules

from accounts.roles import Role
from accounts.scope import assignment_region_id, user_scope

# Generic role predicates: who someone is, and which records' regions they reach. Every app's
# rules build on these; an app's own rules.py holds only predicates about its own records.


@rules.predicate
def is_fellow(user):
    return user_scope(user).has_role(Role.FELLOW)


@rules.predicate
def is_national_team(user):
    return user_scope(user).is_national


@rules.predicate
def is_regional_lead(user):
    return user_scope(user).has_role(Role.REGIONAL_LEAD)


@rules.predicate
def is_psc_chair(user):
    return user_scope(user).has_role(Role.PSC_CHAIR)


@rules.predicate
def reads_published_only(user):
    """A partner reader and nothing more: sees published learning, nothing in progress."""
    return user_scope(user).reads_published_only


@rules.predicate
def has_a_working_role(user):
    """Anyone with a role in the programme but a reader of published learning only."""
    scope = user_scope(user)
    return bool(scope.roles) and not scope.reads_published_only


@rules.predicate
def leads_region_of(user, record):
    """An HEE regional lead of the record's region."""
    return record is not None and record.region_id in user_scope(user).led_region_ids


@rules.predicate
def works_in_region_of(user, record):
    """A safety fellow or regional lead of the record's region."""
    return record is not None and record.region_id in user_scope(user).worked_region_ids


# Those who review a region's learning: its leads, and the national team for every region.
reviews_region_of = leads_region_of | is_national_team


# Predicates about people, invitations and roles.


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
def leads_region_of_fellow(user, person):
    """A regional lead of a region in which `person` is a safety fellow today."""
    if person is None:
        return False
    led = user_scope(user).led_region_ids
    return any(
        assignment.role == Role.FELLOW and assignment.region_id in led and assignment.is_active()
        for assignment in person.assignments.all()
    )


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
rules.add_perm("accounts.change_assignment_dates", manages_assignment & owns_other_assignment)
rules.add_perm("accounts.deactivate_user", is_someone_else & manages_every_role_of)
rules.add_perm("accounts.reactivate_user", is_someone_else & manages_every_role_of)
# Someone who lost their phone and their recovery codes: the national team resets anyone's
# second factor, a regional lead only a fellow of their own region (and nobody else that
# fellow also is), and nobody their own, which they manage on their account pages.
rules.add_perm(
    "accounts.reset_two_factor",
    is_someone_else & (is_national_team | (leads_region_of_fellow & manages_every_role_of)),
)
# Reference data has no rules.py of its own: the regions app sits below accounts (docs/adr/0011),
# so the one permission it asks for is named here, from the generic predicates.
rules.add_perm("regions.refresh_organisations", is_national_team)
