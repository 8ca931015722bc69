import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory

from accounts.models import Invitation, RoleAssignment, SecurityEvent, User
from accounts.roles import Role
from accounts.scope import user_scope
from accounts.shortcuts import get_object_for_user_or_404
from regions.models import Region
from tests.accounts.factories import UserFactory
from tests.roles import host_psc, person_with, region

pytestmark = pytest.mark.django_db


def test_the_national_team_acts_in_every_programme_region():
    scope = user_scope(person_with(Role.NATIONAL))

    assert scope.is_national
    assert scope.region_ids == set(
        Region.objects.in_programme_scheme().values_list("pk", flat=True)
    )


@pytest.mark.parametrize("role", [Role.FELLOW, Role.REGIONAL_LEAD, Role.PSC_CHAIR])
def test_a_fellow_lead_or_chair_acts_in_their_own_region_only(role):
    scope = user_scope(person_with(role, "south"))

    assert not scope.is_national
    assert scope.region_ids == {region("south").pk}


def test_a_partner_reader_acts_in_no_region_and_reads_published_learning_only():
    scope = user_scope(person_with(Role.PARTNER_READER))

    assert scope.region_ids == set()
    assert scope.reads_published_only
    assert len(scope.organisation_ids) == 1


def test_ended_and_future_assignments_grant_nothing():
    user = UserFactory()
    today = datetime.date.today()
    RoleAssignment.objects.create(
        user=user,
        role=Role.NATIONAL,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
    )
    RoleAssignment.objects.create(
        user=user, role=Role.NATIONAL, starts_on=today + datetime.timedelta(days=1)
    )

    assert user_scope(user).roles == set()
    assert not user.has_perm("accounts.view_people")


def test_one_person_may_hold_several_roles():
    user = person_with(Role.FELLOW, "north")
    RoleAssignment.objects.create(user=user, role=Role.REGIONAL_LEAD, region=region("south"))

    scope = user_scope(user)
    assert scope.roles == {Role.FELLOW, Role.REGIONAL_LEAD}
    assert scope.region_ids == {region("north").pk, region("south").pk}
    assert scope.led_region_ids == {region("south").pk}


def test_the_scope_takes_one_query_and_is_kept_for_the_request(django_assert_num_queries):
    user = User.objects.get(pk=person_with(Role.PSC_CHAIR).pk)

    with django_assert_num_queries(1):
        user_scope(user)
        user_scope(user).region_ids  # noqa: B018
        user_scope(user).psc_ids  # noqa: B018


def test_an_inactive_or_anonymous_user_has_no_scope():
    from django.contrib.auth.models import AnonymousUser

    user = person_with(Role.NATIONAL, is_active=False)
    assert user_scope(user).roles == set()
    assert user_scope(AnonymousUser()).roles == set()


def test_region_q_filters_to_the_users_regions():
    lead = person_with(Role.REGIONAL_LEAD, "north")
    national = person_with(Role.NATIONAL)
    regions = Region.objects.in_programme_scheme()

    assert list(regions.filter(user_scope(lead).region_q("pk"))) == [region("north")]
    assert regions.filter(user_scope(national).region_q("pk")).count() == 4
    assert not regions.filter(user_scope(UserFactory()).region_q("pk")).exists()


@pytest.mark.parametrize(
    ("inviter_role", "role", "region_slug", "allowed"),
    [
        (Role.NATIONAL, Role.NATIONAL, None, True),
        (Role.NATIONAL, Role.REGIONAL_LEAD, "south", True),
        (Role.NATIONAL, Role.PSC_CHAIR, "south", True),
        (Role.REGIONAL_LEAD, Role.FELLOW, "north", True),
        (Role.REGIONAL_LEAD, Role.PARTNER_READER, "north", True),
        (Role.REGIONAL_LEAD, Role.FELLOW, "south", False),
        (Role.REGIONAL_LEAD, Role.REGIONAL_LEAD, "north", False),
        (Role.REGIONAL_LEAD, Role.PSC_CHAIR, "north", False),
        (Role.REGIONAL_LEAD, Role.NATIONAL, None, False),
        (Role.FELLOW, Role.FELLOW, "north", False),
        (Role.PSC_CHAIR, Role.FELLOW, "north", False),
        (Role.PARTNER_READER, Role.PARTNER_READER, None, False),
    ],
)
def test_who_may_grant_which_role(inviter_role, role, region_slug, allowed):
    inviter = person_with(inviter_role, "north")
    invitation = Invitation(role=role, region=region(region_slug) if region_slug else None)

    assert inviter.has_perm("accounts.grant_role", invitation) is allowed


def test_a_lead_may_end_a_fellows_role_in_their_region_but_not_a_chairs():
    lead = person_with(Role.REGIONAL_LEAD, "north")
    fellow = person_with(Role.FELLOW, "north").assignments.get()
    chair = person_with(Role.PSC_CHAIR, "north").assignments.get()
    southern = person_with(Role.FELLOW, "south").assignments.get()

    assert lead.has_perm("accounts.end_assignment", fellow)
    assert not lead.has_perm("accounts.end_assignment", chair)
    assert not lead.has_perm("accounts.end_assignment", southern)


def test_nobody_ends_their_own_role_or_deactivates_themselves():
    national = person_with(Role.NATIONAL)

    assert not national.has_perm("accounts.end_assignment", national.assignments.get())
    assert not national.has_perm("accounts.deactivate_user", national)


def test_a_lead_cannot_deactivate_someone_who_also_holds_a_role_they_could_not_grant():
    lead = person_with(Role.REGIONAL_LEAD, "north")
    fellow = person_with(Role.FELLOW, "north")
    both = person_with(Role.FELLOW, "north")
    RoleAssignment.objects.create(user=both, role=Role.NATIONAL)

    assert lead.has_perm("accounts.deactivate_user", fellow)
    assert not lead.has_perm("accounts.deactivate_user", both)
    assert person_with(Role.NATIONAL).has_perm("accounts.deactivate_user", both)


@pytest.mark.parametrize("role", [Role.FELLOW, Role.PSC_CHAIR, Role.PARTNER_READER])
def test_only_the_national_team_and_leads_see_people(role):
    assert not person_with(role).has_perm("accounts.view_people")
    assert person_with(Role.REGIONAL_LEAD).has_perm("accounts.view_people")
    assert person_with(Role.NATIONAL).has_perm("accounts.view_people")


def test_a_lead_sees_people_with_a_role_in_their_region_and_partner_readers_invited_there():
    lead = person_with(Role.REGIONAL_LEAD, "north")
    fellow = person_with(Role.FELLOW, "north")
    chair = person_with(Role.PSC_CHAIR, "north")
    reader = person_with(Role.PARTNER_READER)
    Invitation.objects.create(
        email=reader.email,
        full_name="Reader",
        role=Role.PARTNER_READER,
        region=region("north"),
        user=reader,
        expires_at=datetime.datetime.now(datetime.UTC),
    )
    person_with(Role.FELLOW, "south")
    person_with(Role.PARTNER_READER)

    assert set(User.objects.for_user(lead)) == {lead, fellow, chair, reader}


def test_an_out_of_scope_record_is_a_404_and_is_logged():
    lead = person_with(Role.REGIONAL_LEAD, "north")
    southern = person_with(Role.FELLOW, "south")
    request = RequestFactory().get("/people/")
    request.user = lead

    with pytest.raises(Http404):
        get_object_for_user_or_404(User.objects.for_user(lead), request=request, pk=southern.pk)
    with pytest.raises(Http404):
        get_object_for_user_or_404(User.objects.for_user(lead), request=request, pk=999999)

    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEvent.Kind.ACCESS_DENIED
    assert event.user == lead
    assert event.detail == {"model": "accounts.User", "lookup": {"pk": str(southern.pk)}}


def test_a_fellows_host_psc_is_in_their_region():
    assert host_psc("north").primary_region == region("north")
