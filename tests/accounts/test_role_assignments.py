import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import RoleAssignment
from accounts.roles import Role
from regions.models import PatientSafetyCollaborative, Region
from tests.accounts.factories import UserFactory


@pytest.fixture
def north(db):
    return Region.objects.in_programme_scheme().get(slug="north")


@pytest.fixture
def psc(db):
    return PatientSafetyCollaborative.objects.get(slug="manchester")


def test_an_ended_assignment_is_not_active(north):
    today = datetime.date(2026, 11, 25)
    assignment = RoleAssignment.objects.create(
        user=UserFactory(),
        role=Role.REGIONAL_LEAD,
        region=north,
        starts_on=datetime.date(2025, 11, 1),
        ends_on=datetime.date(2026, 10, 31),
    )
    assert not assignment.is_active(on=today)
    assert not RoleAssignment.objects.active(on=today).exists()
    assert RoleAssignment.objects.active(on=datetime.date(2026, 10, 31)).get() == assignment


def test_an_assignment_that_has_not_started_is_not_active(north):
    RoleAssignment.objects.create(
        user=UserFactory(),
        role=Role.REGIONAL_LEAD,
        region=north,
        starts_on=datetime.date(2027, 1, 1),
    )
    assert not RoleAssignment.objects.active(on=datetime.date(2026, 12, 31)).exists()


def test_a_fellow_needs_a_region_and_a_host_psc(north):
    assignment = RoleAssignment(user=UserFactory(), role=Role.FELLOW, region=north)
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert "psc" in error.value.message_dict


def test_the_database_refuses_a_lead_scoped_to_a_psc(north, psc):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=UserFactory(), role=Role.REGIONAL_LEAD, region=north, psc=psc
        )


def test_the_database_refuses_an_assignment_that_ends_before_it_starts(north):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=UserFactory(),
            role=Role.REGIONAL_LEAD,
            region=north,
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 30),
        )
