"""The review queue: what a regional lead has to review."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import LearningItem
from tests.learning.factories import LearningItemFactory
from tests.regions.factories import programme_region
from tests.roles import person_with, sign_in

Status = LearningItem.Status


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def submitted(days_ago=0, **fields):
    return LearningItemFactory(
        status=Status.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


def queue_titles(response):
    return [item.title for item in response.context["page"]]


def test_a_lead_sees_their_regions_submissions_oldest_first(client):
    submitted(1, title="Newer")
    submitted(3, title="Older")
    submitted(5, title="South", region=programme_region("south"))
    LearningItemFactory(title="A draft")
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    response = client.get(reverse("learning:review-queue"))
    assert queue_titles(response) == ["Older", "Newer"]
    assert "submitted 3\xa0days ago" in response.content.decode()


def test_the_national_team_sees_every_region(client):
    submitted(1, title="North")
    submitted(2, title="South", region=programme_region("south"))
    sign_in(client, person_with(Role.NATIONAL))
    assert queue_titles(client.get(reverse("learning:review-queue"))) == ["South", "North"]


def test_a_fellow_has_no_review_queue(client):
    sign_in(client, person_with(Role.FELLOW, "north"))
    assert client.get(reverse("learning:review-queue")).status_code == 403


def test_the_review_page_has_a_breadcrumb(client):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))

    page = client.get(reverse("learning:review-queue")).content.decode()

    assert 'aria-label="Breadcrumb"' in page


def test_the_queue_makes_the_same_number_of_queries_for_few_and_many_items(client):
    lead = person_with(Role.REGIONAL_LEAD, "north")

    def count():
        sign_in(client, lead)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("learning:review-queue")).status_code == 200
        return len(queries)

    submitted(1)
    few = count()
    for days in range(2, 12):
        submitted(days).authors.add(person_with(Role.FELLOW, "north"))
    assert count() == few


def test_a_long_queue_is_paged_oldest_first(client):
    for days in range(25):
        submitted(days, title=f"Waiting {days} days")
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    first = client.get(reverse("learning:review-queue"))
    assert len(queue_titles(first)) == 20
    assert queue_titles(first)[0] == "Waiting 24 days"
    assert "25 waiting." in first.content.decode()
    assert "Page 2 of 2" in first.content.decode()
    second = client.get(reverse("learning:review-queue"), {"page": 2})
    assert queue_titles(second) == [f"Waiting {days} days" for days in range(4, -1, -1)]


def test_a_new_submission_is_said_to_be_just_now(client):
    submitted(0, title="Fresh")
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    assert "submitted just now" in client.get(reverse("learning:review-queue")).content.decode()
