"""The lenient organisation matcher of the imports: ODS code, name, former name, "NHS FT",
any case and punctuation, and a clear error for nothing or several."""

import datetime

import pytest

from regions.matching import NoMatch, OrganisationMatcher
from regions.models import Organisation, OrganisationName
from tests.regions.factories import trust


@pytest.fixture
def matcher(db):
    york = trust("RCB", "York and Scarborough Teaching Hospitals NHS Foundation Trust", slug="york")
    OrganisationName.objects.create(
        organisation=york,
        name="York Teaching Hospital NHS Foundation Trust",
        used_until=datetime.date(2021, 7, 31),
    )
    for slug, code in (("a", "RA1"), ("b", "RB2")):
        Organisation.objects.create(
            slug=f"twin-{slug}", kind="other", name="St Mary's Hospital", ods_code=code
        )
    return OrganisationMatcher()


@pytest.mark.parametrize(
    ("written", "how"),
    [
        ("RCB", "ODS code"),
        (" rcb ", "ODS code"),
        ("York and Scarborough Teaching Hospitals NHS Foundation Trust", "name"),
        ("york & scarborough teaching hospitals nhs ft", "name"),
        ("York and Scarborough Teaching Hospitals N.H.S. Foundation Trust.", "name"),
        ("York Teaching Hospital NHS FT", "former name"),
    ],
)
def test_it_finds_a_trust_however_it_is_written(matcher, written, how):
    match = matcher.match(written)
    assert match.organisation.ods_code == "RCB"
    assert match.how == how


def test_a_name_that_matches_nothing_says_so(matcher):
    with pytest.raises(NoMatch, match="“Nowhere” matches no organisation"):
        matcher.match("Nowhere")


def test_a_name_that_matches_several_names_them(matcher):
    with pytest.raises(NoMatch) as refusal:
        matcher.match("st marys hospital")
    assert str(refusal.value) == (
        "“st marys hospital” matches several organisations: St Mary's Hospital (RA1), "
        "St Mary's Hospital (RB2). Use the ODS code"
    )
