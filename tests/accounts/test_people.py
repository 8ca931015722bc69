import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, RoleAssignment, SecurityEvent, User
from accounts.roles import Role
from accounts.services import invitation_create
from tests.roles import host_psc, invite_fellow, partner_organisation, person_with, region
from tests.roles import sign_in as sign_in_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

PEOPLE = reverse("accounts:people")
TODAY = timezone.localdate


@pytest.fixture
def lead(db):
    return person_with(Role.REGIONAL_LEAD, "north", full_name="Nora North")


@pytest.fixture
def northern_fellow(db):
    return person_with(Role.FELLOW, "north", full_name="Finn North")


@pytest.fixture
def southern_fellow(db):
    return person_with(Role.FELLOW, "south", full_name="Sol South")


@pytest.fixture
def southern_invitation(db):
    return invite_fellow(
        person_with(Role.REGIONAL_LEAD, "south"),
        "south",
        email="invitee.south@example.org",
        full_name="Ivy South",
    )


def started_long_ago(user):
    RoleAssignment.objects.filter(user=user).update(starts_on=datetime.date(2025, 1, 1))
    return user.assignments.get()


def test_the_people_list_needs_the_permission(client, northern_fellow):
    sign_in_as(client, northern_fellow)

    assert client.get(PEOPLE).status_code == 403


def test_a_lead_sees_the_people_of_their_region_only(
    client, lead, northern_fellow, southern_fellow, southern_invitation
):
    sign_in_as(client, lead)

    text = client.get(PEOPLE).content.decode()

    assert "Finn North" in text
    assert "Sol South" not in text
    assert "Ivy South" not in text


def test_the_national_team_sees_everybody(client, northern_fellow, southern_fellow):
    sign_in_as(client, person_with(Role.NATIONAL))

    text = client.get(PEOPLE).content.decode()

    assert "Finn North" in text
    assert "Sol South" in text


def test_the_people_list_shows_current_roles_and_waiting_invitations(client, lead):
    fellow = person_with(Role.FELLOW, "north", full_name="Finn North")
    ended = started_long_ago(fellow)
    ended.ends_on = TODAY() - datetime.timedelta(days=2)
    ended.save()
    invitation_create(
        by=lead,
        email="reader@example.org",
        full_name="Rhea Reader",
        role=Role.PARTNER_READER,
        region=region("north"),
        organisation=partner_organisation(),
    )
    sign_in_as(client, lead)

    text = client.get(PEOPLE).content.decode()

    assert "No current role" in text
    assert "Rhea Reader" in text
    assert ">Pending</strong>" in text


def test_the_people_list_takes_the_same_number_of_queries_with_more_rows(
    client, lead, northern_fellow, django_assert_num_queries
):
    sign_in_as(client, lead)
    # Session, user, the user's scope, the people counted for the pages, a page of them, their
    # assignments, waiting invitations.
    with django_assert_num_queries(7):
        client.get(PEOPLE)

    for number in range(10):
        fellow = person_with(Role.FELLOW, "north")
        RoleAssignment.objects.create(
            user=fellow, role=Role.PARTNER_READER, organisation=partner_organisation()
        )
        invite_fellow(lead, email=f"invitee{number}@example.org", full_name=f"Invitee {number}")

    with django_assert_num_queries(7):
        response = client.get(PEOPLE)
    assert len(response.context["people"]) == 12
    assert len(response.context["waiting"]) == 10


def test_the_people_list_is_paged_keeping_its_query_and_the_same_queries_on_every_page(
    client, lead, django_assert_num_queries
):
    for _ in range(4):
        person_with(Role.FELLOW, "north")
    sign_in_as(client, lead)
    with django_assert_num_queries(7):
        few = client.get(PEOPLE)
    assert len(few.context["people"]) == 5
    assert 'class="nhsuk-pagination' not in few.text

    for _ in range(45):
        person_with(Role.FELLOW, "north")
    with django_assert_num_queries(7):
        first = client.get(PEOPLE, {"sort": "name"})
    with django_assert_num_queries(7):
        last = client.get(PEOPLE, {"sort": "name", "page": 3})

    assert first.context["page"].paginator.count == 50
    assert len(first.context["people"]) == 20
    assert len(last.context["people"]) == 10
    assert "?sort=name&amp;page=2" in first.text
    assert "?sort=name&amp;page=2" in last.text
    on_pages = {person.pk for page in (first, last) for person in page.context["people"]}
    assert len(on_pages) == 30  # no one on two pages


def test_a_person_page_shows_active_and_ended_roles_with_dates(client, lead, northern_fellow):
    old = started_long_ago(northern_fellow)
    old.ends_on = datetime.date(2025, 12, 31)
    old.save()
    RoleAssignment.objects.create(
        user=northern_fellow, role=Role.FELLOW, region=region("north"), psc=host_psc("north")
    )
    sign_in_as(client, lead)

    text = client.get(reverse("accounts:person", args=[northern_fellow.pk])).content.decode()

    assert "1 January 2025" in text
    assert "31 December 2025" in text
    assert ">Ended</strong>" in text
    assert ">Active</strong>" in text


def test_ending_a_role_takes_effect_at_once_and_is_logged(client, lead, northern_fellow):
    assignment = started_long_ago(northern_fellow)
    url = reverse("accounts:assignment-end", args=[assignment.pk])
    sign_in_as(client, lead)

    page = client.get(url)
    response = client.post(url)

    assert page.status_code == 200
    assert "nhsuk-button--warning" in page.content.decode()
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY() - datetime.timedelta(days=1)
    assert assignment.ended_by == lead
    assert not RoleAssignment.objects.active().filter(user=northern_fellow).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_ENDED)
    assert event.user == lead
    assert event.detail["person"] == northern_fellow.pk


def test_ending_a_role_that_began_today_removes_it(client, lead, northern_fellow):
    assignment = northern_fellow.assignments.get()
    sign_in_as(client, lead)

    client.post(reverse("accounts:assignment-end", args=[assignment.pk]))

    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_ENDED).detail["outcome"] == (
        "removed"
    )


def test_a_lead_cannot_end_a_chairs_role_in_their_region(client, lead):
    chair = person_with(Role.PSC_CHAIR, "north")
    sign_in_as(client, lead)

    response = client.post(reverse("accounts:assignment-end", args=[chair.assignments.get().pk]))

    assert response.status_code == 403
    assert RoleAssignment.objects.active().filter(user=chair).exists()


def test_deactivating_stops_sign_in_and_is_logged(client, lead, northern_fellow):
    url = reverse("accounts:person-deactivate", args=[northern_fellow.pk])
    sign_in_as(client, lead)

    page = client.get(url)
    response = client.post(url)

    assert page.status_code == 200
    assert response.status_code == 302
    northern_fellow.refresh_from_db()
    assert not northern_fellow.is_active
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.USER_DEACTIVATED)
    assert (event.user, event.detail["person"]) == (lead, northern_fellow.pk)
    fellow_client = Client()
    assert not fellow_client.login(email=northern_fellow.email, password="fellows-demo-2026")


@pytest.mark.parametrize(
    "url_name", ["accounts:person-deactivate", "accounts:assignment-end", "accounts:invite"]
)
def test_sensitive_actions_ask_for_a_fresh_reauthentication(
    client, lead, northern_fellow, url_name
):
    args = {
        "accounts:person-deactivate": [northern_fellow.pk],
        "accounts:assignment-end": [northern_fellow.assignments.get().pk],
        "accounts:invite": [],
    }[url_name]
    sign_in_as(client, lead, reauthenticated=False)

    for method in (client.get, client.post):
        response = method(reverse(url_name, args=args))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    northern_fellow.refresh_from_db()
    assert northern_fellow.is_active
    assert RoleAssignment.objects.active().filter(user=northern_fellow).exists()


def out_of_region_urls(southern_fellow, southern_invitation):
    assignment = southern_fellow.assignments.get()
    return [
        reverse("accounts:person", args=[southern_fellow.pk]),
        reverse("accounts:person-deactivate", args=[southern_fellow.pk]),
        reverse("accounts:assignment-end", args=[assignment.pk]),
        reverse("accounts:invitation", args=[southern_invitation.pk]),
        reverse("accounts:invitation-resend", args=[southern_invitation.pk]),
        reverse("accounts:invitation-revoke", args=[southern_invitation.pk]),
    ]


@pytest.mark.parametrize("role", [Role.REGIONAL_LEAD, Role.FELLOW, Role.PSC_CHAIR])
def test_another_regions_people_and_invitations_are_404_on_every_url(
    client, role, southern_fellow, southern_invitation
):
    sign_in_as(client, person_with(role, "north"))

    urls = out_of_region_urls(southern_fellow, southern_invitation)
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls:
        if url.endswith(("/deactivate/", "/end/", "/resend/", "/revoke/")):
            assert client.post(url).status_code == 404, url

    southern_fellow.refresh_from_db()
    southern_invitation.refresh_from_db()
    assert southern_fellow.is_active
    assert southern_fellow.assignments.get().ends_on is None
    assert southern_invitation.status == Invitation.Status.PENDING
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count() == 10


@pytest.mark.parametrize("url_name", ["accounts:people", "accounts:invitations"])
def test_another_regions_people_are_not_listed(
    client, lead, url_name, southern_fellow, southern_invitation
):
    sign_in_as(client, lead)

    text = client.get(reverse(url_name)).content.decode()

    assert "Sol South" not in text
    assert "Ivy South" not in text


def test_state_changes_need_a_csrf_token(lead, northern_fellow, southern_invitation):
    national = person_with(Role.NATIONAL)
    csrf_client = sign_in_as(Client(enforce_csrf_checks=True), national)
    assignment = started_long_ago(northern_fellow)
    posts = [
        (reverse("accounts:person-deactivate", args=[northern_fellow.pk]), {}),
        (reverse("accounts:assignment-end", args=[assignment.pk]), {}),
        (reverse("accounts:invitation-resend", args=[southern_invitation.pk]), {}),
        (reverse("accounts:invitation-revoke", args=[southern_invitation.pk]), {}),
        (
            reverse("accounts:invite"),
            {"full_name": "X", "email": "x@example.org", "role": Role.NATIONAL},
        ),
    ]

    for url, data in posts:
        assert csrf_client.post(url, data).status_code == 403, url

    northern_fellow.refresh_from_db()
    southern_invitation.refresh_from_db()
    assert northern_fellow.is_active
    assert northern_fellow.assignments.get().ends_on is None
    assert southern_invitation.status == Invitation.Status.PENDING
    assert Invitation.objects.count() == 1


def test_accepting_an_invitation_needs_a_csrf_token(southern_invitation):
    from accounts.services import invitation_token

    url = reverse("accounts:invitation-accept", args=[invitation_token(southern_invitation)])
    response = Client(enforce_csrf_checks=True).post(
        url, {"password1": "purple tractor", "password2": "purple tractor"}
    )

    assert response.status_code == 403
    assert not User.objects.filter(email=southern_invitation.email).exists()


def test_a_get_on_an_action_url_changes_nothing(client, northern_fellow, southern_invitation):
    sign_in_as(client, person_with(Role.NATIONAL))
    assignment = started_long_ago(northern_fellow)

    for url in (
        reverse("accounts:person-deactivate", args=[northern_fellow.pk]),
        reverse("accounts:assignment-end", args=[assignment.pk]),
        reverse("accounts:invitation-resend", args=[southern_invitation.pk]),
        reverse("accounts:invitation-revoke", args=[southern_invitation.pk]),
    ):
        assert client.get(url).status_code == 200

    northern_fellow.refresh_from_db()
    assignment.refresh_from_db()
    southern_invitation.refresh_from_db()
    assert northern_fellow.is_active
    assert assignment.ends_on is None
    assert southern_invitation.status == Invitation.Status.PENDING
    assert not SecurityEvent.objects.exclude(
        kind__in=[SecurityEvent.Kind.INVITATION_SENT, SecurityEvent.Kind.SIGNED_IN]
    ).exists()


@pytest.mark.parametrize(
    "url_name",
    ["accounts:people", "accounts:person", "accounts:invitations", "accounts:invitation"],
)
def test_read_only_pages_refuse_a_post(client, northern_fellow, southern_invitation, url_name):
    sign_in_as(client, person_with(Role.NATIONAL))
    args = {
        "accounts:person": [northern_fellow.pk],
        "accounts:invitation": [southern_invitation.pk],
    }.get(url_name, [])

    assert client.post(reverse(url_name, args=args)).status_code == 405


def test_people_appears_in_the_menu_only_with_the_permission(client, lead, northern_fellow):
    sign_in_as(client, lead)
    assert "People" in [item["label"] for item in client.get("/").context["nav_items"]]

    sign_in_as(client, northern_fellow)
    assert "People" not in [item["label"] for item in client.get("/").context["nav_items"]]


def test_a_lead_manages_a_partner_reader_they_invited_for_their_region(client, lead):
    invitation = invitation_create(
        by=lead,
        email="reader@example.org",
        full_name="Rhea Reader",
        role=Role.PARTNER_READER,
        region=region("north"),
        organisation=partner_organisation(),
    )
    from accounts.services import invitation_accept

    reader = invitation_accept(invitation=invitation, password="purple tractor meadow")
    RoleAssignment.objects.filter(user=reader).update(starts_on=datetime.date(2025, 1, 1))
    sign_in_as(client, lead)

    assert "Rhea Reader" in client.get(PEOPLE).content.decode()
    response = client.post(reverse("accounts:assignment-end", args=[reader.assignments.get().pk]))

    assert response.status_code == 302
    assert not RoleAssignment.objects.active().filter(user=reader).exists()
    other_lead = person_with(Role.REGIONAL_LEAD, "south")
    sign_in_as(client, other_lead)
    assert client.get(reverse("accounts:person", args=[reader.pk])).status_code == 404
