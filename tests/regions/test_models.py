import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regions.models import (
    Organisation,
    OrganisationName,
    PatientSafetyCollaborative,
    Region,
    RegionScheme,
)
from tests.regions.factories import OrganisationFactory, PatientSafetyCollaborativeFactory

pytestmark = pytest.mark.django_db


def make_scheme(slug, *, programme=False):
    return RegionScheme.objects.create(
        slug=slug,
        name=slug,
        valid_from=datetime.date(2024, 4, 1),
        is_programme_scheme=programme,
    )


def test_the_programme_scheme_is_found_by_its_flag_not_its_name():
    scheme = RegionScheme.objects.programme()

    assert scheme.slug == "hee-2014"
    assert list(scheme.regions.values_list("slug", flat=True)) == [
        "north",
        "midlands-east",
        "london-south-east",
        "south",
    ]


def test_only_one_scheme_can_be_the_programme_scheme():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_scheme("another", programme=True)


def test_the_admin_explains_why_a_second_programme_scheme_is_refused():
    scheme = RegionScheme(slug="another", name="Another", valid_from=datetime.date(2024, 4, 1))
    scheme.is_programme_scheme = True

    with pytest.raises(ValidationError, match="already the programme's scheme"):
        scheme.full_clean()


def test_any_number_of_schemes_can_be_outside_the_programme():
    make_scheme("first")
    make_scheme("second")

    assert RegionScheme.objects.filter(is_programme_scheme=False).count() == 3


def test_the_programme_scheme_can_be_moved_to_another_scheme():
    RegionScheme.objects.filter(is_programme_scheme=True).update(is_programme_scheme=False)
    make_scheme("icb-2026", programme=True)

    assert RegionScheme.objects.programme().slug == "icb-2026"


def test_a_scheme_cannot_end_before_it_starts():
    scheme = RegionScheme(
        slug="backwards",
        name="Backwards",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2019, 1, 1),
    )

    with pytest.raises(ValidationError, match="cannot end before it starts"):
        scheme.full_clean()


def test_a_region_slug_is_unique_within_its_scheme_only():
    scheme = make_scheme("other")
    Region.objects.create(scheme=scheme, slug="north", name="North")

    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(scheme=scheme, slug="north", name="North again")


def test_an_ods_code_is_unique_when_given():
    OrganisationFactory(ods_code="ZZ91")

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(ods_code="ZZ91")


def test_many_organisations_can_have_no_ods_code():
    OrganisationFactory(ods_code="")
    OrganisationFactory(ods_code="")

    assert Organisation.objects.filter(ods_code="").count() >= 2


def test_a_psc_is_known_by_its_host_networks_current_name():
    psc = PatientSafetyCollaborative.objects.get(slug="north-west-coast")

    assert psc.name == "Health Innovation North West Coast"
    assert str(psc) == "Health Innovation North West Coast"


def test_a_former_name_reads_with_the_date_it_was_last_used():
    former = OrganisationName.objects.get(name="Innovation Agency")

    assert str(former) == "Innovation Agency, until 30 September 2023"


def test_a_former_name_with_a_start_date_reads_as_a_period():
    former = OrganisationName(
        name="Old name",
        used_from=datetime.date(2017, 4, 1),
        used_until=datetime.date(2023, 9, 30),
    )

    assert former.period == "1 April 2017 to 30 September 2023"


def test_health_education_england_is_closed_and_succeeded_by_nhs_england():
    hee = Organisation.objects.get(slug="health-education-england")

    assert hee.closed_on == datetime.date(2023, 3, 31)
    assert hee.is_closed()
    assert not hee.is_closed(on=datetime.date(2023, 3, 1))
    assert hee.successor.name == "NHS England"


def test_a_psc_must_be_hosted_by_a_health_innovation_network():
    psc = PatientSafetyCollaborative.objects.get(slug="wessex")
    psc.host = Organisation.objects.get(slug="nhs-england")

    with pytest.raises(ValidationError) as error:
        psc.clean()

    assert "host" in error.value.message_dict


def test_a_psc_primary_region_must_be_in_the_programme_scheme():
    psc = PatientSafetyCollaborative.objects.get(slug="wessex")
    psc.primary_region = Region.objects.get(scheme__slug="nhse-2019", slug="south-east")

    with pytest.raises(ValidationError) as error:
        psc.clean()

    assert "primary_region" in error.value.message_dict


def test_coverage_is_grouped_by_scheme_in_display_order():
    psc = PatientSafetyCollaborativeFactory(
        regions=Region.objects.filter(slug__in=["south-west", "south", "south-east"])
    )

    groups = [
        (scheme.slug, [region.slug for region in regions])
        for scheme, regions in psc.coverage_by_scheme()
    ]

    assert groups == [("hee-2014", ["south"]), ("nhse-2019", ["south-east", "south-west"])]
