import html
import re

import pytest
from django.urls import reverse

from regions.models import PatientSafetyCollaborative, RegionScheme
from tests.regions.factories import PatientSafetyCollaborativeFactory
from tests.regions.test_reference_data import PSCS_BY_HEE_REGION

pytestmark = pytest.mark.django_db

URL = reverse("regions:list")

# Session, user, the user's authenticator (two-factor check), programme scheme, its regions,
# their PSCs with hosts, the hosts' former names, the PSCs' coverage, the national
# organisations and their former names; for the menu, the person's role assignments. The
# session is written at most once a minute (docs/adr/0023), so not here.
QUERIES = 11

FORMER_NAMES = {
    "Health Innovation North East and North Cumbria": (
        "Academic Health Science Network for the North East and North Cumbria"
    ),
    "Health Innovation Yorkshire and Humber": "Yorkshire & Humber AHSN",
    "Health Innovation North West Coast": "Innovation Agency",
    "Health Innovation East Midlands": "East Midlands AHSN",
    "Health Innovation West Midlands": "West Midlands AHSN",
    "Health Innovation East": "Eastern AHSN",
    "Health Innovation Network South London": "Health Innovation Network",
    "Health Innovation Kent Surrey Sussex": "Kent Surrey Sussex AHSN",
    "Health Innovation Oxford and Thames Valley": "Oxford AHSN",
    "Health Innovation Wessex": "Wessex AHSN",
    "Health Innovation West of England": "West of England AHSN",
    "Health Innovation South West": "South West AHSN",
}
KEPT_THEIR_NAMES = [
    "Health Innovation Manchester",
    "UCLPartners",
    "Imperial College Health Partners",
]


def page_text(response):
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def psc_row(text, slug):
    """The HTML of one PSC's table row, found by its id."""
    match = re.search(rf'<tr class="nhsuk-table__row" id="psc-{slug}">(.*?)</tr>', text, re.S)
    assert match, f"no row for {slug}"
    return match.group(1)


def cells(row):
    """The visible text of a row's cells, without the small-screen headings."""
    row = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", row)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]


def region_section(text, slug):
    """The HTML from one region's heading to the next heading at the same level."""
    match = re.search(rf'<h2 id="region-{slug}">(.*?)(?=<h2 )', text, re.S)
    assert match, f"no section for {slug}"
    return match.group(1)


def test_it_requires_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


def test_it_lists_each_psc_under_its_programme_region(signed_in_client):
    text = page_text(signed_in_client.get(URL))

    for region_slug, names in PSCS_BY_HEE_REGION.items():
        section = region_section(text, region_slug)
        rows = re.findall(r'<tr class="nhsuk-table__row" id="psc-[^"]+">(.*?)</tr>', section, re.S)
        assert {cells(row)[0] for row in rows} == names


def test_it_lists_all_fifteen_pscs(signed_in_client):
    text = page_text(signed_in_client.get(URL))

    assert text.count('<tr class="nhsuk-table__row" id="psc-') == 15


@pytest.mark.parametrize(("current", "former"), FORMER_NAMES.items())
def test_it_shows_a_pscs_former_name_with_the_date_it_changed(signed_in_client, current, former):
    psc = PatientSafetyCollaborative.objects.get(host__name=current)
    text = page_text(signed_in_client.get(URL))

    assert cells(psc_row(text, psc.slug))[1] == f"{former}, until 30 September 2023"


@pytest.mark.parametrize("current", KEPT_THEIR_NAMES)
def test_it_shows_no_former_name_for_a_network_that_kept_its_name(signed_in_client, current):
    psc = PatientSafetyCollaborative.objects.get(host__name=current)
    text = page_text(signed_in_client.get(URL))

    assert cells(psc_row(text, psc.slug))[1] == "None"


def test_it_shows_the_nhs_england_regions_a_psc_covers(signed_in_client):
    text = page_text(signed_in_client.get(URL))

    assert cells(psc_row(text, "wessex"))[2] == "South East, South West (NHS England regions)"


def test_it_lists_the_national_organisations_with_their_history(signed_in_client):
    text = page_text(signed_in_client.get(URL))

    national = text[text.index('id="national-organisations"') :]
    assert "Health Services Safety Investigations Body" in national
    assert "Formerly Healthcare Safety Investigation Branch, until 30 September 2023" in national
    assert "Closed on 31 March 2023, succeeded by NHS England" in national
    assert "Health Innovation" not in national


def test_it_takes_the_same_number_of_queries_with_more_pscs(
    signed_in_client, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        signed_in_client.get(URL)

    PatientSafetyCollaborativeFactory.create_batch(10)

    with django_assert_num_queries(QUERIES):
        text = page_text(signed_in_client.get(URL))
    assert text.count('<tr class="nhsuk-table__row" id="psc-') == 25


def test_it_explains_when_no_scheme_is_the_programmes(signed_in_client):
    RegionScheme.objects.update(is_programme_scheme=False)

    text = page_text(signed_in_client.get(URL))

    assert "region scheme has not been set up yet" in text
    assert "National organisations" in text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/regions/regionscheme/",
        "/admin/regions/region/",
        "/admin/regions/organisation/",
        "/admin/regions/patientsafetycollaborative/",
        "/admin/regions/patientsafetycollaborative/add/",
    ],
)
def test_the_admin_pages_for_reference_data_work(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_the_admin_change_pages_for_reference_data_work(admin_client):
    psc = PatientSafetyCollaborative.objects.select_related("host", "primary_region").first()
    for obj in (psc, psc.host, psc.primary_region, psc.primary_region.scheme):
        url = reverse(f"admin:regions_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code == 200


def test_it_has_a_breadcrumb_back_to_home(signed_in_client):
    text = page_text(signed_in_client.get(URL))

    trail = re.search(
        r'<nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">(.*?)</nav>', text, re.S
    )
    assert re.findall(
        r'<a class="nhsuk-breadcrumb__link" href="([^"]+)">([^<]+)</a>', trail[1]
    ) == [("/", "Home")]
    assert '<a class="nhsuk-back-link" href="/">' in trail[1]
