"""Changing the first and last day of a role after the invitation: whoever may grant the role
(as when inviting), after re-authenticating, with the change in the security log."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment, SecurityEvent
from accounts.roles import Role
from accounts.services import AssignmentChanged, assignment_dates_change
from tests.roles import person_with
from tests.roles import sign_in as sign_in_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

TODAY = timezone.localdate


def dates_url(assignment):
    return reverse("accounts:assignment-dates", args=[assignment.pk])


def typed(name, date):
    if date is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {f"{name}-day": date.day, f"{name}-month": date.month, f"{name}-year": date.year}


def dates(starts_on, ends_on=None):
    return {**typed("starts_on", starts_on), **typed("ends_on", ends_on)}


@pytest.fixture
def fellow_role(db):
    person = person_with(Role.FELLOW, "north", full_name="Finn North")
    RoleAssignment.objects.filter(user=person).update(
        starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2027, 1, 4)
    )
    return person.assignments.get()


def test_a_lead_extends_a_fellows_role_and_it_is_logged(client, lead, fellow_role):
    sign_in_as(client, lead)
    page = client.get(dates_url(fellow_role))
    assert page.status_code == 200
    assert 'value="2027"' in page.text

    response = client.post(
        dates_url(fellow_role), dates(datetime.date(2026, 1, 5), datetime.date(2027, 7, 4))
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:person", args=[fellow_role.user_id])
    fellow_role.refresh_from_db()
    assert fellow_role.ends_on == datetime.date(2027, 7, 4)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_DATES_CHANGED)
    assert event.user == lead
    assert event.detail["ends_on_before"] == "2027-01-04"
    assert event.detail["ends_on"] == "2027-07-04"
    assert event.detail["person"] == fellow_role.user_id


def test_the_person_page_links_to_change_the_dates(client, lead, fellow_role):
    sign_in_as(client, lead)

    text = client.get(reverse("accounts:person", args=[fellow_role.user_id])).text

    assert dates_url(fellow_role) in text


def test_an_end_before_the_start_is_refused_next_to_the_field(client, lead, fellow_role):
    sign_in_as(client, lead)

    response = client.post(
        dates_url(fellow_role), dates(datetime.date(2026, 3, 1), datetime.date(2026, 2, 1))
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["ends_on"] == [
        "The last day of the role must be on or after its first day, 1 March 2026"
    ]
    assert 'id="id_ends_on-error"' in response.text
    fellow_role.refresh_from_db()
    assert fellow_role.ends_on == datetime.date(2027, 1, 4)
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_DATES_CHANGED).exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (datetime.date(2013, 12, 31), None, "starts_on"),
        (TODAY() + datetime.timedelta(days=400), None, "starts_on"),
        (datetime.date(2026, 1, 5), datetime.date(TODAY().year + 6, 1, 1), "ends_on"),
        (None, None, "starts_on"),
    ],
)
def test_dates_out_of_a_sensible_range_are_refused(
    client, lead, fellow_role, starts_on, ends_on, field
):
    sign_in_as(client, lead)

    response = client.post(dates_url(fellow_role), dates(starts_on, ends_on))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    fellow_role.refresh_from_db()
    assert fellow_role.starts_on == datetime.date(2026, 1, 5)


def test_clearing_the_last_day_leaves_the_role_open_ended(client, national, fellow_role):
    sign_in_as(client, national)

    client.post(dates_url(fellow_role), dates(datetime.date(2026, 1, 5)))

    fellow_role.refresh_from_db()
    assert fellow_role.ends_on is None


def test_changing_the_dates_asks_for_a_fresh_reauthentication(client, lead, fellow_role):
    sign_in_as(client, lead, reauthenticated=False)

    for method in (client.get, client.post):
        response = method(dates_url(fellow_role))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))


def test_a_lead_cannot_change_a_chairs_role_nor_another_regions(client, lead):
    chair = person_with(Role.PSC_CHAIR, "north").assignments.get()
    southern = person_with(Role.FELLOW, "south").assignments.get()
    sign_in_as(client, lead)

    assert client.get(dates_url(chair)).status_code == 403
    assert client.post(dates_url(southern), dates(datetime.date(2026, 1, 1))).status_code == 404


def test_nobody_changes_the_dates_of_their_own_role(client, national):
    sign_in_as(client, national)

    response = client.post(dates_url(national.assignments.get()), dates(datetime.date(2020, 1, 1)))

    assert response.status_code == 403


def test_changing_the_dates_needs_the_csrf_token(lead, fellow_role):
    client = sign_in_as(Client(enforce_csrf_checks=True), lead)

    response = client.post(dates_url(fellow_role), dates(datetime.date(2026, 2, 1)))

    assert response.status_code == 403


def test_dates_changed_by_someone_else_meanwhile_are_not_overwritten(lead, fellow_role):
    stale = RoleAssignment.objects.get(pk=fellow_role.pk)
    RoleAssignment.objects.filter(pk=fellow_role.pk).update(ends_on=datetime.date(2027, 3, 1))

    with pytest.raises(AssignmentChanged):
        assignment_dates_change(assignment=stale, starts_on=stale.starts_on, ends_on=None, by=lead)

    fellow_role.refresh_from_db()
    assert fellow_role.ends_on == datetime.date(2027, 3, 1)
