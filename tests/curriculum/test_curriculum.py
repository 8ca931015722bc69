"""Curriculum entries, training and its reach, staff support, and the syllabus coverage grid."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from curriculum.models import CurriculumEntry, StaffSupport, TrainingSession
from curriculum.selectors import coverage_grid, training_reach
from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from regions.models import Organisation
from search.selectors import search
from tests.conftest import AN_NHS_NUMBER, NOT_AN_NHS_NUMBER
from tests.curriculum.factories import a_university, entry, profession, session, support, tag
from tests.learning.factories import LearningItemFactory
from tests.register.factories import recommendation
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def date_parts(name, date):
    return {f"{name}-day": date.day, f"{name}-month": date.month, f"{name}-year": date.year}


def published(region_slug="north", tags=()):
    item = LearningItemFactory(
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
        region=region(region_slug),
    )
    item.syllabus.set([tag(*cell) for cell in tags])
    return item


def entry_data(**overrides):
    data = {
        "organisation": a_university().pk,
        "new_organisation_name": "",
        "new_organisation_kind": "",
        "programme": "MSc Advanced Clinical Practice",
        "profession": profession().pk,
        "stage": "postgraduate",
        "change": "Patient safety incident investigation methods, taught with a case study.",
        "syllabus": [tag(2, 3).pk, tag(2, 4).pk],
        "status": "agreed",
        **date_parts("status_on", datetime.date(2026, 9, 1)),
        "academic_year": "2026/27",
        "region": region("north").pk,
    }
    data.update(overrides)
    return data


def session_data(**overrides):
    data = {
        **date_parts("held_on", datetime.date(2026, 11, 5)),
        "title": "Deteriorating patient simulation",
        "format": "simulation",
        "professions": [profession().pk, profession("medicine").pk],
        "people_trained": "40",
        "host": a_university().pk,
        "new_organisation_name": "",
        "new_organisation_kind": "",
        "region": region("north").pk,
        "syllabus": [tag(3, 1).pk, tag(4, 2).pk],
    }
    data.update(overrides)
    return data


# Recording them


def test_a_fellow_records_a_curriculum_entry_carrying_a_recommendation(client, fellow):
    rec = recommendation(fellow)
    sign_in(client, fellow)
    response = client.post(reverse("curriculum:entry-add"), entry_data(recommendations=[rec.pk]))
    made = CurriculumEntry.objects.get()
    assert response.status_code == 302
    assert (made.fellow, made.status, made.academic_year) == (fellow, "agreed", "2026/27")
    assert sorted((t.domain.number, t.level.number) for t in made.syllabus.all()) == [
        (2, 3),
        (2, 4),
    ]
    assert [(c.from_status, c.to_status, c.on) for c in made.status_changes.all()] == [
        ("", "agreed", datetime.date(2026, 9, 1))
    ]
    assert made.programme in client.get(rec.get_absolute_url()).text


def test_the_status_changes_with_its_date_kept(client, fellow):
    made = entry(fellow, status="proposed", status_on=datetime.date(2026, 6, 1))
    sign_in(client, fellow)
    url = reverse("curriculum:entry-status", args=[made.pk])
    on = date_parts("on", datetime.date(2026, 9, 1))
    assert client.post(url, {"status": "in_curriculum", **on, "version": 1}).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.status_on) == ("in_curriculum", datetime.date(2026, 9, 1))
    assert [c.to_status for c in made.status_changes.all()] == ["proposed", "in_curriculum"]
    refused = client.post(url, {"status": "evaluated", **on, "version": 1})
    assert "Someone else changed this curriculum entry" in refused.text


@pytest.mark.parametrize(
    ("year", "accepted"),
    [("2025/26", True), ("2025-26", False), ("2025/27", False), ("25/26", False), ("2025", False)],
)
def test_the_academic_year_is_written_like_2025_26(client, fellow, year, accepted):
    sign_in(client, fellow)
    response = client.post(reverse("curriculum:entry-add"), entry_data(academic_year=year))
    if accepted:
        assert response.status_code == 302
    else:
        assert response.context["form"].errors["academic_year"] == [
            "Enter the academic year as the year it starts and the next, like 2025/26"
        ]


def test_a_curriculum_entry_is_for_a_university_or_a_trust(client, fellow):
    sign_in(client, fellow)
    hssib = Organisation.objects.get(slug="hssib")
    response = client.post(reverse("curriculum:entry-add"), entry_data(organisation=hssib.pk))
    [error] = response.context["form"].errors["organisation"]
    assert "Choose a university (higher education institution) or an NHS trust" in error
    assert not CurriculumEntry.objects.exists()


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ("-3", "Enter a number of people of 1 or more"),
        ("0", "Enter a number of people of 1 or more"),
        ("100001", "Enter a number of people of 100,000 or fewer"),
        ("forty", "Enter the number of people as a whole number, like 40"),
    ],
)
def test_an_impossible_number_of_people_is_refused(client, fellow, people, message):
    sign_in(client, fellow)
    response = client.post(reverse("curriculum:training-add"), session_data(people_trained=people))
    assert response.context["form"].errors["people_trained"] == [message]
    assert response.context["form"]["title"].value() == "Deteriorating patient simulation"
    assert not TrainingSession.objects.exists()


def test_a_session_more_than_a_year_ahead_is_refused(client, fellow):
    sign_in(client, fellow)
    ahead = timezone.localdate() + datetime.timedelta(days=366)
    response = client.post(
        reverse("curriculum:training-add"), session_data(**date_parts("held_on", ahead))
    )
    [error] = response.context["form"].errors["held_on"]
    assert error.startswith("The date must be no more than a year ahead")


def test_a_fellow_records_training_of_40_people_tagged_to_two_syllabus_pairs(client, fellow):
    sign_in(client, fellow)
    assert client.post(reverse("curriculum:training-add"), session_data()).status_code == 302
    made = TrainingSession.objects.get()
    assert made.people_trained == 40
    assert sorted((t.domain.number, t.level.number) for t in made.syllabus.all()) == [
        (3, 1),
        (4, 2),
    ]


@pytest.mark.parametrize(
    ("url_name", "field", "data"),
    [
        ("curriculum:entry-add", "programme", entry_data),
        ("curriculum:entry-add", "change", entry_data),
        ("curriculum:training-add", "title", session_data),
    ],
)
def test_curriculum_text_refuses_an_nhs_number(client, fellow, url_name, field, data):
    sign_in(client, fellow)
    url = reverse(url_name)
    response = client.post(url, data(**{field: f"About {AN_NHS_NUMBER}"}))
    assert field in response.context["form"].errors
    assert client.post(url, data(**{field: f"About {NOT_AN_NHS_NUMBER}"})).status_code == 302


def test_staff_support_records_numbers_and_refuses_an_nhs_number_in_its_notes(client, fellow):
    sign_in(client, fellow)
    data = {
        "kind": "peer_training",
        **date_parts("held_on", datetime.date(2026, 10, 14)),
        "organisation": a_university().pk,
        "new_organisation_name": "",
        "new_organisation_kind": "",
        "staff_reached": "12",
        "support_model": "trim",
        "notes": f"Patient {AN_NHS_NUMBER}",
        "region": region("north").pk,
    }
    url = reverse("curriculum:support-add")
    assert "notes" in client.post(url, data).context["form"].errors
    data["notes"] = "Twelve peer supporters trained in TRiM."
    assert client.post(url, data).status_code == 302
    assert StaffSupport.objects.get().staff_reached == 12


# Reach, against a hand-built set


def test_reach_sums_people_by_region_profession_pair_and_nhs_quarter(fellow):
    south_fellow = person_with(Role.FELLOW, "south")
    # The last day of 2025/26 and the first of 2026/27: two financial years apart.
    session(fellow, held_on=datetime.date(2026, 3, 31), people_trained=30, tags=[(1, 1)])
    session(
        fellow,
        held_on=datetime.date(2026, 4, 1),
        people_trained=40,
        professions=("nursing", "medicine"),
        tags=[(1, 1), (2, 3)],
    )
    session(
        south_fellow,
        region_slug="south",
        held_on=datetime.date(2026, 6, 30),
        people_trained=5,
        professions=("pharmacy",),
    )
    session(south_fellow, region_slug="south", held_on=datetime.date(2026, 7, 1), people_trained=7)
    reach = training_reach(TrainingSession.objects.all())

    assert (reach.total, reach.sessions) == (82, 4)
    assert {r["region__name"]: r["people"] for r in reach.by_region} == {"North": 70, "South": 12}
    assert {r["professions__name"]: r["people"] for r in reach.by_profession} == {
        "Nursing": 77,
        "Medicine": 40,
        "Pharmacy": 5,
    }
    assert {
        (r["syllabus__domain__number"], r["syllabus__level__number"]): r["people"]
        for r in reach.by_syllabus
    } == {(1, 1): 70, (2, 3): 40}
    assert [(r["quarter"].label, r["people"]) for r in reach.by_quarter] == [
        ("2025/26 Q4", 30),
        ("2026/27 Q1", 45),
        ("2026/27 Q2", 7),
    ]


# The coverage grid


def _cell(grid, domain, level):
    for row_domain, cells in grid.rows:
        if row_domain.number == domain:
            return cells[level - 1]
    raise AssertionError


def test_the_grid_counts_each_kind_in_each_cell_and_marks_the_gaps(fellow):
    south = person_with(Role.FELLOW, "south")
    published(tags=[(1, 1), (2, 2)])
    entry(fellow, tags=[(1, 1)])
    session(fellow, tags=[(1, 1)], people_trained=25)
    # The other regions have five records each in domain 3, level 3; the north has one.
    for _ in range(5):
        entry(south, region_slug="south", tags=[(3, 3)])
        published("london-south-east", tags=[(3, 3)])
        published("midlands-east", tags=[(3, 3)])
    published(tags=[(3, 3)])
    LearningItemFactory(region=region("north")).syllabus.set([tag(4, 4)])  # a draft: not counted

    grid = coverage_grid(region=region("north"))
    first = _cell(grid, 1, 1)
    assert (first.learning, first.curriculum, first.training, first.people) == (1, 1, 1, 25)
    assert first.gap == ""
    assert _cell(grid, 4, 4).gap == "Nothing is tagged to it in the region"
    # The median of the regions for domain 3, level 3 (1, 5, 5 and 5 records) is 5; the
    # north's one is below a quarter of it.
    assert _cell(grid, 3, 3).median == 5
    assert _cell(grid, 3, 3).gap == "Far below the median of the regions (5)"
    assert len(grid.gaps) == 23  # every cell but 1.1 and 2.2

    nation = coverage_grid()
    assert _cell(nation, 3, 3).records == 16
    assert _cell(nation, 3, 3).gap == ""
    assert _cell(nation, 5, 5).gap == "Nothing is tagged to it anywhere in the programme"


def test_a_lead_sees_their_regions_grid_and_not_another(client, lead):
    sign_in(client, lead)
    assert client.get(reverse("curriculum:coverage")).context["grid"].region == region("north")
    response = client.get(reverse("curriculum:coverage"), {"region": region("south").pk})
    assert response.status_code == 404


def test_a_grid_cell_links_to_the_records_it_counts(client, fellow):
    item = published(tags=[(2, 2)])
    made = entry(fellow, tags=[(2, 2)])
    sign_in(client, fellow)
    grid_page = client.get(reverse("curriculum:coverage")).text
    cell_url = reverse("curriculum:coverage-cell", args=[2, 2]) + f"?region={region('north').pk}"
    assert cell_url in grid_page
    cell = client.get(cell_url)
    assert cell.context["learning_count"] == 1
    assert list(cell.context["entries"]) == [made]
    assert item.title in cell.text


def test_an_empty_grid_cell_shows_a_plain_0_rather_than_a_link_to_an_empty_list(client, fellow):
    published(tags=[(2, 2)])
    sign_in(client, fellow)
    grid_page = client.get(reverse("curriculum:coverage")).text
    empty_url = reverse("curriculum:coverage-cell", args=[1, 1])
    assert empty_url not in grid_page
    assert reverse("curriculum:coverage-cell", args=[2, 2]) in grid_page
    assert re.findall(r"(?<!\d)0 records<", grid_page) == []
    assert '0<span class="nhsuk-u-visually-hidden"> records in domain 1 at level 1</span>' in (
        grid_page
    )


# Search and the thread


def test_search_finds_curriculum_and_training_and_second_victim_finds_support(fellow):
    entry(fellow, programme="Human factors module", change="Teaching on fatigue.")
    session(fellow, title="Human factors simulation")
    support(fellow, notes="Peer support after a never event.")
    scoped = {
        "initiatives": Initiative.objects.none(),
        "investigations": Investigation.objects.none(),
        "learning_items": LearningItem.objects.none(),
        "curriculum_entries": CurriculumEntry.objects.for_user(fellow),
        "training_sessions": TrainingSession.objects.for_user(fellow),
        "staff_support": StaffSupport.objects.for_user(fellow),
    }
    assert sorted(r.kind for r in search("human factors", **scoped)) == ["curriculum", "training"]
    assert [r.kind for r in search("second victim", **scoped)] == ["support"]


def test_the_thread_ends_with_the_curriculum_and_training_that_carry_it(client, fellow):
    rec = recommendation(fellow)
    made = entry(fellow, recommendations=[rec])
    training = session(fellow, recommendations=[rec], people_trained=40)
    sign_in(client, fellow)
    page = client.get(reverse("register:thread", args=[rec.investigation.pk])).text
    assert made.programme in page and training.title in page
    assert "1 curriculum entry and 1 training session (40 people trained)" in page


# Query counts, with few rows and with ten times as many


def _rows(fellow, rows):
    for number in range(rows):
        entry(fellow, programme=f"Module {number}", tags=[(1, 1), (2, 2)])
        session(fellow, title=f"Session {number}", tags=[(1, 1)])
        support(fellow)
        published(tags=[(number % 5 + 1, 1)])


@pytest.mark.parametrize("rows", [1, 10])
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        # The signed-in page's three; the count and the page; the regions and professions to
        # filter by; the professions of each session (training).
        ("curriculum:entry-list", 7),
        ("curriculum:training-list", 8),
        # The regions and professions to filter by, and the four ways of counting.
        ("curriculum:reach", 9),
        ("curriculum:support-list", 5),
        # The regions to choose from and the person's first; the tags, the programme's
        # regions, the coverage kept up to the quarter under way and the three kinds counted
        # since it began in one query.
        ("curriculum:coverage", 9),
    ],
)
def test_the_curriculum_pages_take_the_same_queries_for_few_and_many_rows(
    client, fellow, django_assert_num_queries, rows, url_name, queries
):
    _rows(fellow, rows)
    sign_in(client, fellow)
    if url_name == "curriculum:coverage":
        # What is dated before the quarter under way is counted once and kept; counted
        # afresh, as after a write, only what is dated since is counted (docs/adr/0042).
        client.get(reverse(url_name))
        cache.clear()
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
@pytest.mark.parametrize(
    ("url_name", "queries"), [("curriculum:entry-list", 7), ("curriculum:training-list", 8)]
)
def test_the_lists_take_the_same_queries_counted_afresh_after_a_write_and_read_again(
    client,
    fellow,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    rows,
    url_name,
    queries,
):
    _rows(fellow, rows)
    sign_in(client, fellow)
    # A write out of the fellow's sight, committed: the first view counts afresh, as the
    # first after any write does; the second reads again.
    elsewhere = person_with(Role.FELLOW, "south")
    with django_capture_on_commit_callbacks(execute=True):
        entry(elsewhere, region_slug="south", programme="Elsewhere")
    for _view in ("afresh", "again"):
        with django_assert_num_queries(queries):
            response = client.get(reverse(url_name))
        assert len(response.context["page"]) == rows
