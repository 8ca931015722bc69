"""Two people editing the same milestone: the second save is refused with the same conflict
message as an initiative's, keeping what was typed, and nothing of the first is lost."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from fellows.models import Milestone
from tests.fellows.factories import InitiativeFactory
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


@pytest.fixture
def milestone(fellow):
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    return Milestone.objects.create(
        initiative=initiative, title="Baseline audit", due_on=datetime.date(2026, 6, 30)
    )


def milestone_data(title, version):
    return {
        "title": title,
        "due_on-day": "30",
        "due_on-month": "6",
        "due_on-year": "2026",
        "version": version,
    }


def test_the_second_of_two_overlapping_milestone_edits_is_refused(client, fellow, milestone):
    lead = person_with(Role.REGIONAL_LEAD, "north", full_name="Robin Lead")
    first, second = sign_in(Client(), lead), sign_in(client, fellow)
    url = reverse("fellows:milestone-edit", args=[milestone.initiative_id, milestone.pk])
    first_version = first.get(url).context["form"]["version"].value()
    second_version = second.get(url).context["form"]["version"].value()
    assert first_version == second_version == 1

    saved = first.post(url, milestone_data("The lead's audit", first_version))
    refused = second.post(url, milestone_data("The fellow's audit", second_version))

    assert saved.status_code == 302
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Robin Lead changed this milestone on" in page
    assert "Nothing has been overwritten and your changes are not saved" in page
    assert 'value="The fellow&#x27;s audit"' in page
    milestone.refresh_from_db()
    assert milestone.title == "The lead's audit"
    # Saving again, now knowing of the other change, is allowed.
    again = second.post(url, refused.context["form"].data)
    assert again.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "The fellow's audit"


def test_an_edit_opened_before_the_milestone_was_completed_does_not_undo_it(
    client, fellow, milestone
):
    sign_in(client, fellow)
    url = reverse("fellows:milestone-edit", args=[milestone.initiative_id, milestone.pk])
    version = client.get(url).context["form"]["version"].value()
    complete = reverse("fellows:milestone-complete", args=[milestone.initiative_id, milestone.pk])
    assert client.post(complete).status_code == 302

    refused = client.post(url, milestone_data("Baseline audit of 3 wards", version))

    assert refused.status_code == 200
    assert "after you opened it" in refused.content.decode()
    milestone.refresh_from_db()
    assert milestone.completed_on is not None
    assert milestone.title == "Baseline audit"
