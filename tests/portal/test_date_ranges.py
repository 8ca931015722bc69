"""Impossible and out-of-range dates are field errors with a message, never a 500, and each
date field's hint says the dates it takes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fellows.models import Milestone
from learning.models import Investigation
from portal.forms import DateField, check_date_parts
from tests.fellows.factories import InitiativeFactory
from tests.roles import region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def parts(name, day, month, year):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


@pytest.fixture
def initiative(fellow):
    return InitiativeFactory(created_by=fellow, region=region("north"))


def test_year_0000_is_no_date():
    assert check_date_parts("1", "1", "0000") == (None, "invalid", ("year",))


def test_a_search_link_with_year_0000_shows_the_search_with_an_error(client, fellow):
    sign_in(client, fellow)

    response = client.get("/search/?q=x&date_from-day=1&date_from-month=1&date_from-year=0000")

    assert response.status_code == 200
    assert "Enter a real date" in response.content.decode()


def test_a_milestone_due_in_year_0000_is_a_field_error(client, fellow, initiative):
    sign_in(client, fellow)

    response = client.post(
        reverse("fellows:milestone-add", args=[initiative.pk]),
        {"title": "Baseline audit", **parts("due_on", "29", "2", "0000")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == ["Enter a real date"]
    assert not Milestone.objects.exists()


@pytest.mark.parametrize(
    ("completed", "message"),
    [
        (timezone.localdate() + datetime.timedelta(days=1), "today or in the past"),
        (datetime.date(1999, 12, 31), "on or after 1 January 2000"),
    ],
)
def test_a_milestone_completed_in_the_future_or_before_2000_is_refused(
    client, fellow, initiative, completed, message
):
    sign_in(client, fellow)

    response = client.post(
        reverse("fellows:milestone-add", args=[initiative.pk]),
        {
            "title": "Baseline audit",
            **parts("due_on", "30", "6", "2026"),
            **parts("completed_on", completed.day, completed.month, completed.year),
        },
    )

    assert response.status_code == 200
    assert message in response.context["form"].errors["completed_on"][0]
    assert not Milestone.objects.exists()


def test_a_publication_date_in_9999_is_refused(client, fellow):
    sign_in(client, fellow)

    response = client.post(
        reverse("learning:investigation-add"),
        {"title": "A report", **parts("published_on", "1", "1", "9999")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["published_on"] == [
        "The publication date must be today or in the past"
    ]
    assert not Investigation.objects.exists()


def test_the_hint_says_the_range_of_dates(client, fellow, initiative):
    sign_in(client, fellow)

    page = client.get(reverse("fellows:milestone-add", args=[initiative.pk])).content.decode()

    assert "Leave blank until it is done. From 1 1 2000 to today." in page
    latest = timezone.localdate().year + 10
    assert f"For example, 30 6 2026. From 1 1 2000 to 31 12 {latest}." in page


def test_a_date_field_takes_its_own_bounds():
    field = DateField(
        earliest=datetime.date(2020, 1, 1), latest=datetime.date(2020, 12, 31), required=False
    )

    assert str(field.help_text) == "From 1 1 2020 to 31 12 2020."
    assert field.clean(["31", "12", "2020"]) == datetime.date(2020, 12, 31)
    with pytest.raises(ValidationError, match="on or before 31 December 2020"):
        field.clean(["1", "1", "2021"])
