"""Exact query counts of the pages that show one person's things, with few rows and with ten
times as many: the count is fixed by the page, never by the number of rows behind it."""

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment
from accounts.roles import Role
from tests.roles import invite_fellow, partner_organisation, person_with, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

FEW, MANY = 1, 10


def invite(by, number):
    return invite_fellow(by, email=f"invitee{number}@example.org", full_name=f"Invitee {number}")


def get(client, url, django_assert_num_queries, queries):
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return response


# Every signed-in page: the session, the user and the person's scope (for the menu). The
# session is written at most once a minute (docs/adr/0023), so not in these.
SIGNED_IN = 3


# The person (within the lead's scope), their assignments, the invitations they accepted.
PERSON_QUERIES = SIGNED_IN + 3


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_a_person_page_takes_the_same_queries_for_few_and_many_roles_and_invitations(
    client, lead, django_assert_num_queries, rows
):
    person = person_with(Role.FELLOW, "north")
    for number in range(rows):
        RoleAssignment.objects.create(
            user=person,
            role=Role.PARTNER_READER,
            organisation=partner_organisation(),
            starts_on="2025-01-01",
            ends_on="2025-06-30",
        )
        invitation = invite(lead, number)
        invitation.user = person
        invitation.save()
    sign_in(client, lead)
    response = get(
        client,
        reverse("accounts:person", args=[person.pk]),
        django_assert_num_queries,
        PERSON_QUERIES,
    )
    assert len(response.context["invitations"]) == rows


# The invitation, with who it names and who sent it.
INVITATION_QUERIES = SIGNED_IN + 1


@pytest.mark.parametrize("rows", [FEW, MANY])
def test_an_invitation_page_takes_the_same_queries_for_few_and_many_invitations(
    client, lead, django_assert_num_queries, rows
):
    invitations = [invite(lead, number) for number in range(rows)]
    sign_in(client, lead)
    get(
        client,
        reverse("accounts:invitation", args=[invitations[-1].pk]),
        django_assert_num_queries,
        INVITATION_QUERIES,
    )
