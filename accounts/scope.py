"""What a signed-in person can reach: the regions, PSCs and organisations their active role
assignments give them, worked out once a request.

Other apps scope their records with a `for_user(user)` QuerySet method built on this, for
example::

    def for_user(self, user):
        return self.filter(user_scope(user).region_q("region"))

and views fetch single records with `accounts.shortcuts.get_object_for_user_or_404`, so a
record outside the person's scope is a 404 whether or not it exists.

The scope is read through the user's own `assignments` relation, so this module needs none of
the accounts models and every `for_user` can import it at the top.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q

from accounts.roles import Role
from regions.models import Region

# What a regional lead may grant, in their own region; the national team may grant any role.
LEAD_GRANTS = (Role.FELLOW, Role.PARTNER_READER)

_CACHE_ATTRIBUTE = "_portal_scope"


@dataclass(frozen=True)
class UserScope:
    """The active assignments of one person and what they reach."""

    assignments: tuple = ()
    user_id: int | None = None

    @cached_property
    def roles(self):
        return frozenset(Role(assignment.role) for assignment in self.assignments)

    def has_role(self, *roles):
        return not self.roles.isdisjoint(roles)

    @property
    def is_national(self):
        return Role.NATIONAL in self.roles

    @property
    def reads_published_only(self):
        """A partner reader and nothing more: sees published learning, nothing in progress."""
        return self.roles == {Role.PARTNER_READER}

    # What each role reaches. Every rule, form and query about "the regions I lead" or "the
    # regions I review" asks one of these, so a change to who may do what is made here.

    @cached_property
    def region_ids(self):
        """Programme regions the person acts in: all of them for the national team, the
        region of a lead or fellow, the primary region of a chair's PSC."""
        if self.is_national:
            return frozenset(Region.objects.in_programme_scheme().values_list("pk", flat=True))
        return self._region_ids_of(Role.FELLOW, Role.REGIONAL_LEAD, Role.PSC_CHAIR)

    @property
    def regions(self):
        """The programme regions the person acts in, as a queryset (for a form's choices)."""
        regions = Region.objects.in_programme_scheme()
        return regions if self.is_national else regions.filter(pk__in=self.region_ids)

    @cached_property
    def led_region_ids(self):
        """Regions the person is an HEE regional lead of."""
        return self._region_ids_of(Role.REGIONAL_LEAD)

    @property
    def reviewed_region_ids(self):
        """Regions whose learning the person reviews: every region for the national team,
        the regions they lead for a regional lead, none for anyone else."""
        return self.region_ids if self.is_national else self.led_region_ids

    @cached_property
    def fellow_region_ids(self):
        """Regions the person is a safety fellow in."""
        return self._region_ids_of(Role.FELLOW)

    @cached_property
    def worked_region_ids(self):
        """Regions the person works in as a safety fellow or a regional lead (not national
        reach): those whose working records (investigations) they keep up to date."""
        return self._region_ids_of(Role.FELLOW, Role.REGIONAL_LEAD)

    @property
    def fellow_assignment(self):
        """The person's safety fellow assignment (its region and host PSC), or None."""
        return next((a for a in self.assignments if a.role == Role.FELLOW), None)

    @cached_property
    def fellow_psc_ids(self):
        """The host PSCs of the person's fellow assignments."""
        return frozenset(a.psc_id for a in self.assignments if a.role == Role.FELLOW and a.psc_id)

    @cached_property
    def chaired_psc_ids(self):
        """The PSCs the person chairs."""
        return frozenset(
            a.psc_id for a in self.assignments if a.role == Role.PSC_CHAIR and a.psc_id
        )

    @property
    def default_region_id(self):
        """The region a new record of theirs is in unless they choose: their fellow region,
        or their only region; None when that is not one region."""
        if len(self.fellow_region_ids) == 1:
            return next(iter(self.fellow_region_ids))
        if not self.is_national and len(self.region_ids) == 1:
            return next(iter(self.region_ids))
        return None

    def _region_ids_of(self, *roles):
        ids = set()
        for assignment in self.assignments:
            if assignment.role in roles:
                if assignment.region_id:
                    ids.add(assignment.region_id)
                elif assignment.psc_id:
                    ids.add(assignment.psc.primary_region_id)
        return frozenset(ids)

    @cached_property
    def psc_ids(self):
        return frozenset(a.psc_id for a in self.assignments if a.psc_id)

    @cached_property
    def organisation_ids(self):
        return frozenset(a.organisation_id for a in self.assignments if a.organisation_id)

    def region_q(self, field_name="region"):
        """A filter for records with a programme region: everything for the national team,
        the person's regions for anyone else, and nothing for someone with none."""
        if self.is_national:
            return Q()
        return Q(**{f"{field_name}__in": self.region_ids})

    def reviewed_region_q(self, field_name="region"):
        """A filter for records in the regions the person reviews (everything for the
        national team)."""
        if self.is_national:
            return Q()
        return Q(**{f"{field_name}__in": self.led_region_ids})

    def grantable_roles(self):
        if self.is_national:
            return tuple(Role)
        if self.has_role(Role.REGIONAL_LEAD):
            return LEAD_GRANTS
        return ()

    def grantable_region_ids(self):
        """Regions the person may invite into; None means any region."""
        if self.is_national:
            return None
        return self.led_region_ids

    def can_grant(self, role, region_id):
        """May this person give `role` in `region_id` (the invitation's region)?"""
        if self.is_national:
            return role in Role.values
        return role in LEAD_GRANTS and region_id in self.led_region_ids


EMPTY_SCOPE = UserScope()


def assignment_region_id(assignment):
    """The programme region an assignment belongs to, for deciding who may manage it: its own
    region, its PSC's primary region, or the region its invitation was for."""
    if assignment.region_id:
        return assignment.region_id
    if assignment.psc_id:
        return assignment.psc.primary_region_id
    invitation = getattr(assignment, "invitation", None)
    return invitation.region_id if invitation else None


def user_scope(user):
    """The scope of `user`, read with one query and kept on the user object, which Django
    builds afresh for each request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        assignments = tuple(user.assignments.active().select_related("psc"))
        cached = UserScope(assignments=assignments, user_id=user.pk)
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def user_scope_forget(user):
    """Drop the remembered scope, after changing the person's own assignments."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
