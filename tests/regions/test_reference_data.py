import io
import json

import pytest
from django.core.management import CommandError, call_command

from regions.models import (
    OdsRegionMapping,
    Organisation,
    OrganisationName,
    PatientSafetyCollaborative,
    Region,
    RegionScheme,
)
from regions.services import REFERENCE_DATA_FILE

pytestmark = pytest.mark.django_db

# DOMAIN.md: the 15 PSCs by their host networks' names since October 2023, in HEE regions.
PSCS_BY_HEE_REGION = {
    "north": {
        "Health Innovation North East and North Cumbria",
        "Health Innovation Yorkshire and Humber",
        "Health Innovation North West Coast",
        "Health Innovation Manchester",
    },
    "midlands-east": {
        "Health Innovation East Midlands",
        "Health Innovation West Midlands",
        "Health Innovation East",
    },
    "london-south-east": {
        "UCLPartners",
        "Imperial College Health Partners",
        "Health Innovation Network South London",
        "Health Innovation Kent Surrey Sussex",
    },
    "south": {
        "Health Innovation Oxford and Thames Valley",
        "Health Innovation Wessex",
        "Health Innovation West of England",
        "Health Innovation South West",
    },
}


def load(*args):
    out = io.StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue().strip()


def empty_reference_tables():
    OdsRegionMapping.objects.all().delete()
    PatientSafetyCollaborative.objects.all().delete()
    Organisation.objects.all().delete()
    Region.objects.all().delete()
    RegionScheme.objects.all().delete()


def test_the_reference_data_has_the_fifteen_pscs_in_their_hee_regions():
    found = {}
    for psc in PatientSafetyCollaborative.objects.select_related("host", "primary_region"):
        found.setdefault(psc.primary_region.slug, set()).add(psc.name)

    assert found == PSCS_BY_HEE_REGION


def test_the_reference_data_has_the_seven_nhs_england_regions():
    regions = Region.objects.filter(scheme__slug="nhse-2019").values_list("name", flat=True)

    assert list(regions) == [
        "North East and Yorkshire",
        "North West",
        "Midlands",
        "East of England",
        "London",
        "South East",
        "South West",
    ]


def test_every_psc_covers_at_least_one_nhs_england_region():
    uncovered = PatientSafetyCollaborative.objects.exclude(regions__scheme__slug="nhse-2019")

    assert not uncovered.exists()


def test_loading_into_an_empty_database_creates_everything_and_says_so():
    empty_reference_tables()

    summary = load()

    assert summary == (
        "Reference data: 68 created, 0 updated, 0 unchanged. Created: 2 schemes, 11 regions, "
        "18 organisations, 13 former names, 15 collaboratives, 9 ODS region mappings.\n"
        "NHS trusts from ODS: 274 added, 0 updated, 0 unchanged, 0 values kept as edited here."
    )
    assert PatientSafetyCollaborative.objects.count() == 15


def test_loading_twice_creates_nothing_the_second_time():
    empty_reference_tables()
    load()
    counts = [model.objects.count() for model in (RegionScheme, Region, Organisation)]

    summary = load()

    assert summary == (
        "Reference data: 0 created, 0 updated, 68 unchanged.\n"
        "NHS trusts from ODS: 0 added, 0 updated, 274 unchanged, 0 values kept as edited here."
    )
    assert [model.objects.count() for model in (RegionScheme, Region, Organisation)] == counts


def test_loading_creates_rows_that_have_gone_missing():
    PatientSafetyCollaborative.objects.filter(slug="wessex").delete()

    summary = load()

    assert summary.startswith("Reference data: 1 created,")
    wessex = PatientSafetyCollaborative.objects.get(slug="wessex")
    assert set(wessex.regions.values_list("slug", flat=True)) == {"south-east", "south-west"}


def test_loading_leaves_edits_made_in_the_admin_alone():
    Organisation.objects.filter(slug="uclpartners").update(name="UCLPartners (edited)")
    former = OrganisationName.objects.get(name="Innovation Agency")
    former.name = "The Innovation Agency"
    former.save()
    psc = PatientSafetyCollaborative.objects.get(slug="wessex")
    psc.regions.set(Region.objects.filter(slug="south-east"))

    load()

    assert Organisation.objects.get(slug="uclpartners").name == "UCLPartners (edited)"
    assert not OrganisationName.objects.filter(name="Innovation Agency").exists()
    assert list(psc.regions.values_list("slug", flat=True)) == ["south-east"]


def test_loading_keeps_a_programme_scheme_chosen_in_the_admin():
    RegionScheme.objects.filter(slug="hee-2014").update(is_programme_scheme=False)
    RegionScheme.objects.filter(slug="nhse-2019").update(is_programme_scheme=True)

    load()

    assert RegionScheme.objects.programme().slug == "nhse-2019"


def test_update_overwrites_the_rows_the_file_describes():
    Organisation.objects.filter(slug="uclpartners").update(name="UCLPartners (edited)")
    OrganisationName.objects.filter(name="Innovation Agency").update(name="The Innovation Agency")
    psc = PatientSafetyCollaborative.objects.get(slug="wessex")
    psc.regions.set(Region.objects.filter(slug="south-east"))

    summary = load("--update")

    assert summary.startswith("Reference data: 1 created, 2 updated,")
    assert Organisation.objects.get(slug="uclpartners").name == "UCLPartners"
    assert OrganisationName.objects.filter(name="Innovation Agency").exists()
    # A name the file does not describe is left for an administrator to tidy up.
    assert OrganisationName.objects.filter(name="The Innovation Agency").exists()
    assert set(psc.regions.values_list("slug", flat=True)) == {"south-east", "south-west"}


def test_update_makes_the_files_programme_scheme_the_programmes_again():
    RegionScheme.objects.filter(slug="hee-2014").update(is_programme_scheme=False)
    RegionScheme.objects.filter(slug="nhse-2019").update(is_programme_scheme=True)

    load("--update")

    assert RegionScheme.objects.programme().slug == "hee-2014"


def test_a_file_that_refers_to_a_missing_region_is_refused_with_a_clear_message(tmp_path):
    data = json.loads(REFERENCE_DATA_FILE.read_text())
    data["collaboratives"][0]["primary_region"] = "hee-2014/atlantis"
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError, match="nothing called 'hee-2014/atlantis'"):
        load("--file", str(path))


def test_a_file_with_an_unknown_organisation_kind_is_refused(tmp_path):
    data = json.loads(REFERENCE_DATA_FILE.read_text())
    data["organisations"][0]["kind"] = "quango"
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError, match="unknown kind 'quango'"):
        load("--file", str(path))


def test_a_file_that_uses_a_slug_twice_is_refused(tmp_path):
    data = json.loads(REFERENCE_DATA_FILE.read_text())
    data["collaboratives"].append(dict(data["collaboratives"][0]))
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError, match="the same slug is used twice: north-east-north-cumbria"):
        load("--file", str(path))
