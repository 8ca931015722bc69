"""The search page: one box over initiatives, investigations and published learning, scoped
to what the person searching may see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from fellows.models import Initiative
from learning.models import LearningItem
from taxonomy.models import SyllabusDomain, SyllabusTag, Theme
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.regions.factories import programme_region
from tests.roles import person_with, sign_in

Status = LearningItem.Status


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


@pytest.fixture
def fellow(client):
    person = person_with(Role.FELLOW, "north")
    sign_in(client, person)
    return person


def published(**fields):
    fields.setdefault("published_at", timezone.now())
    return LearningItemFactory(status=Status.PUBLISHED, **fields)


def search(client, **params):
    return client.get(reverse("search:results"), params)


def titles(response):
    return [result.record.title for result in response.context["page"]]


def test_the_page_without_a_search_shows_just_the_form(client, fellow):
    response = search(client)
    assert response.status_code == 200
    assert response.context["page"] is None


def test_published_learning_from_every_region_is_found(client, fellow):
    published(title="Sepsis huddles north")
    published(title="Sepsis huddles south", region=programme_region("south"))
    assert sorted(titles(search(client, q="sepsis"))) == [
        "Sepsis huddles north",
        "Sepsis huddles south",
    ]


def test_a_fellow_never_finds_another_regions_drafts_or_initiatives(client, fellow):
    LearningItemFactory(title="Sepsis draft north")
    LearningItemFactory(title="Sepsis draft south", region=programme_region("south"))
    InitiativeFactory(title="Sepsis initiative south", region=programme_region("south"))
    InvestigationFactory(title="Sepsis investigation south", region=programme_region("south"))
    InitiativeFactory(title="Sepsis initiative north")
    # Drafts are never in search, not even the searcher's region's.
    assert titles(search(client, q="sepsis")) == ["Sepsis initiative north"]


def test_second_victim_finds_learning_about_staff_affected_by_incidents(client, fellow):
    published(
        title="Peer support after incidents",
        kind=LearningItem.Kind.STAFF_SUPPORT,
        summary="Support for staff affected by incidents.",
    )
    published(title="Unrelated", summary="Medicines reconciliation.")
    assert titles(search(client, q="second victim")) == ["Peer support after incidents"]


def test_matches_are_highlighted_and_counted(client, fellow):
    published(title="Sepsis huddles")
    response = search(client, q="sepsis")
    page = response.content.decode()
    assert "<mark>Sepsis</mark>" in page
    assert "1 result</h2>" in page


def test_no_results_offers_help(client, fellow):
    page = search(client, q="nothingmatchesthis").content.decode()
    assert "0 results" in page and "check the spelling" in page


def test_results_are_paginated_twenty_a_page(client, fellow):
    for number in range(23):
        published(title=f"Handover learning {number}")
    response = search(client, q="handover")
    assert response.context["count"] == 23
    assert len(response.context["page"]) == 20
    assert "q=handover" in response.content.decode()
    assert len(search(client, q="handover", page=2).context["page"]) == 3


def test_filters_by_type_region_theme_and_domain(client, fellow):
    theme = Theme.objects.first()
    domain = SyllabusDomain.objects.get(number=2)
    match = published(title="Falls gap", kind=LearningItem.Kind.GAP)
    match.themes.add(theme)
    match.syllabus.add(SyllabusTag.objects.get(domain=domain, level__number=1))
    published(title="Falls best practice").themes.add(theme)
    other = published(title="Falls gap south", kind=LearningItem.Kind.GAP)
    other.region = programme_region("south")
    other.save()
    InitiativeFactory(title="Falls initiative")
    response = search(
        client,
        q="falls",
        type="gap",
        region=programme_region("north").pk,
        theme=theme.slug,
        domain=2,
    )
    assert titles(response) == ["Falls gap"]


def test_the_initiative_status_filter_shows_initiatives_only(client, fellow):
    InitiativeFactory(title="Falls active", status=Initiative.Status.ACTIVE)
    InitiativeFactory(title="Falls planned")
    published(title="Falls learning")
    assert titles(search(client, q="falls", status="active")) == ["Falls active"]


def test_filters_by_date(client, fellow):
    published(title="Falls old", published_at=timezone.now() - datetime.timedelta(days=400))
    published(title="Falls new")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    response = search(
        client,
        q="falls",
        **{
            "date_from-day": start.day,
            "date_from-month": start.month,
            "date_from-year": start.year,
        },
    )
    assert titles(response) == ["Falls new"]


def test_a_date_range_the_wrong_way_round_is_refused(client, fellow):
    response = search(
        client,
        q="falls",
        **{"date_from-day": 2, "date_from-month": 1, "date_from-year": 2026},
        **{"date_to-day": 1, "date_to-month": 1, "date_to-year": 2026},
    )
    assert response.context["search_form"].errors["date_to"]
    assert response.context["page"] is None


def test_a_title_match_ranks_above_a_body_match(client, fellow, on_postgresql):
    published(title="Ward huddles", summary="Daily.", body="About deterioration scores.")
    published(title="Deterioration scores", summary="Early warning.", body="")
    assert titles(search(client, q="deterioration")) == ["Deterioration scores", "Ward huddles"]


def test_postgresql_search_matches_word_forms(client, fellow, on_postgresql):
    published(title="Reviewing falls", summary="How wards review falls.")
    assert titles(search(client, q="review")) == ["Reviewing falls"]


def test_the_page_makes_the_same_number_of_queries_for_few_and_many_results(client, fellow):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert search(client, q="falls").status_code == 200
        return len(queries)

    published(title="Falls 0")
    InitiativeFactory(title="Falls initiative 0")
    InvestigationFactory(title="Falls investigation 0")
    few = count()
    for number in range(1, 6):
        published(title=f"Falls {number}")
        InitiativeFactory(title=f"Falls initiative {number}")
        InvestigationFactory(title=f"Falls investigation {number}")
    assert count() == few


def test_each_type_in_the_filter_says_what_it_is(client, fellow):
    form = search(client).context["search_form"]
    labels = [label for value, label in form.fields["type"].choices if value]
    assert len(labels) == len(set(labels))
    assert "Support for staff affected by incidents: sessions and peer supporter training" in labels
    assert "Learning: Support for staff affected by incidents" in labels
    page = search(client).content.decode()
    assert page.count(">Support for staff affected by incidents<") == 0


def test_a_fellow_finds_their_own_draft_and_submission_marked_as_such(client, fellow):
    LearningItemFactory(created_by=fellow, title="Falls at night: draft", status=Status.DRAFT)
    LearningItemFactory(created_by=fellow, title="Falls at night: sent", status=Status.SUBMITTED)
    LearningItemFactory(title="Falls at night: someone else's", status=Status.DRAFT)

    response = search(client, q="falls night")

    assert [item.title for item in response.context["own_in_progress"]] == [
        "Falls at night: sent",
        "Falls at night: draft",
    ]
    assert response.context["waiting_for_review"] == []
    page = response.content.decode()
    box = page[page.index('id="in-progress-matches"') : page.index('id="result-count"')]
    assert (
        'Falls at night: draft</a> <strong class="nhsuk-tag nhsuk-tag--grey">Draft</strong>' in box
    )
    assert "Submitted for review</strong>" in box
    assert "someone else" not in page
    assert titles(response) == []
    assert "Learning not yet published is not among the results" in page


def test_a_lead_finds_what_waits_for_their_review_in_their_region_only(client):
    lead = person_with(Role.REGIONAL_LEAD, "north")
    sign_in(client, lead)
    LearningItemFactory(title="Falls huddle north", status=Status.SUBMITTED)
    LearningItemFactory(
        title="Falls huddle south", status=Status.SUBMITTED, region=programme_region("south")
    )

    response = search(client, q="falls huddle")

    assert [item.title for item in response.context["waiting_for_review"]] == ["Falls huddle north"]
    assert "Waiting for your review" in response.content.decode()


def test_a_partner_reader_sees_no_learning_in_progress(client):
    sign_in(client, person_with(Role.PARTNER_READER))
    LearningItemFactory(title="Falls huddle", status=Status.SUBMITTED)
    response = search(client, q="falls")
    assert "in-progress-matches" not in response.content.decode()
    assert "Learning not yet published" not in response.content.decode()
