"""The header menu names what each role came for, and marks the section the person is in."""

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.roles import Role
from tests.roles import host_psc, person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

EVERY_ROLES_MENU = {
    Role.FELLOW: [
        "Dashboard",
        "Initiatives",
        "Learning",
        "Investigations",
        "Recommendations",
        "Spread",
        "Curriculum",
        "Search",
        "Import",
    ],
    Role.REGIONAL_LEAD: [
        "Dashboard",
        "Review",
        "Reports",
        "Initiatives",
        "Learning",
        "Investigations",
        "Recommendations",
        "Spread",
        "Curriculum",
        "Search",
        "Import",
        "People",
    ],
    Role.PSC_CHAIR: [
        "Dashboard",
        "Reports",
        "Initiatives",
        "Learning",
        "Investigations",
        "Recommendations",
        "Spread",
        "Curriculum",
        "Search",
    ],
    Role.NATIONAL: [
        "Dashboard",
        "Review",
        "Reports",
        "Initiatives",
        "Learning",
        "Investigations",
        "Recommendations",
        "Spread",
        "Curriculum",
        "Search",
        "Import",
        "People",
        "Digest runs",
    ],
    Role.PARTNER_READER: [
        "Learning",
        "Search",
    ],
}


def menu(client, url="/"):
    return client.get(url).context["nav_items"]


@pytest.mark.parametrize("role", list(EVERY_ROLES_MENU))
def test_each_roles_menu_names_what_that_role_came_for(client, role):
    sign_in(client, person_with(role, "north"))
    assert [item["label"] for item in menu(client)] == EVERY_ROLES_MENU[role]


def test_the_home_page_marks_no_section(client):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    assert [item["label"] for item in menu(client) if item["current"]] == []


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/dashboards/north/", "Dashboard"),
        ("/reports/", "Reports"),
        ("/review/", "Review"),
        ("/learning/", "Learning"),
    ],
)
def test_the_section_one_is_in_is_marked_current_and_no_other(client, url, section):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    current = [item for item in menu(client, url) if item["current"]]
    assert [item["label"] for item in current] == [section]


def test_the_current_section_is_marked_in_the_page_for_those_without_styles(client):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    page = client.get("/dashboards/north/").content.decode()
    link = '<a class="nhsuk-header__navigation-link" href="/dashboards/" aria-current="true">'
    assert (
        '<li class="nhsuk-header__navigation-item nhsuk-header__navigation-item--current">\n'
        f"          {link}"
    ) in page
    assert '<strong class="nhsuk-header__navigation-item-current-fallback">Dashboard</strong>' in (
        page
    )


def test_dashboard_takes_a_lead_to_their_regions_dashboard(client):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "south"))
    response = client.get(reverse("dashboard-own"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard", args=["south"])


def test_dashboard_takes_a_chair_to_their_pscs_region(client):
    sign_in(client, person_with(Role.PSC_CHAIR, "north"))
    assert client.get(reverse("dashboard-own")).url == reverse("dashboard", args=["north"])


def test_dashboard_takes_the_national_team_to_englands(client):
    sign_in(client, person_with(Role.NATIONAL))
    assert client.get(reverse("dashboard-own")).url == reverse("dashboard-national")


def test_someone_working_in_two_regions_chooses_between_their_dashboards(client):
    lead = person_with(Role.REGIONAL_LEAD, "north")
    RoleAssignment.objects.create(user=lead, role=Role.PSC_CHAIR, psc=host_psc("south"))
    sign_in(client, lead)

    response = client.get(reverse("dashboard-own"))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("dashboard", args=["north"])}"' in page
    assert f'href="{reverse("dashboard", args=["south"])}"' in page
    assert region("north").name in page


def test_a_partner_reader_has_no_dashboard(client):
    sign_in(client, person_with(Role.PARTNER_READER))
    assert client.get(reverse("dashboard-own")).status_code == 403
