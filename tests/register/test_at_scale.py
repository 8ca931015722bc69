"""The spread and the register as the programme grows: each list's scope and order are served
by an index, so a page is read without joining (and reading) every learning item or initiative
and without sorting every row in scope (docs/adr/0043)."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q

from accounts.roles import Role
from fellows.models import Initiative
from learning.models import LearningItem
from register.models import Adoption, AdoptionStage, Recommendation, RecommendationKind
from register.selectors import adoptions_for, recommendations_for
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import published_items
from tests.register.factories import a_trust
from tests.roles import person_with, region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

REGIONS = ["north", "midlands-east", "london-south-east", "south"]
ROWS = 4000
PAGE = 20


@pytest.fixture
def many_rows(db):
    """Thousands of adoptions and recommendations across three of the programme's regions,
    of learning and initiatives from each of them, and a few to and from the fourth, with
    fresh statistics."""
    author = person_with(Role.FELLOW, "north")
    busy, quiet = REGIONS[:3], REGIONS[3]
    for slug in busy:
        published_items(50, title=f"Spread from {slug}", region=slug)
        InitiativeFactory.create_batch(5, region=region(slug), created_by=author)
    learning = list(LearningItem.objects.values_list("pk", flat=True))
    initiatives = list(Initiative.objects.values_list("pk", flat=True))
    trust = a_trust()
    regions = [region(slug) for slug in REGIONS]
    start = datetime.date(2024, 1, 1)
    adoptions = [
        Adoption(
            learning_item_id=learning[number % len(learning)] if number % 3 else None,
            initiative_id=None if number % 3 else initiatives[number % len(initiatives)],
            organisation=trust,
            region=regions[number % 7 % 3],
            stage=AdoptionStage.PILOTING,
            stage_on=start + datetime.timedelta(days=number % 700),
            created_by=author,
        )
        for number in range(ROWS)
    ]
    published_items(2, title="Spread from the quiet region", region=quiet)
    from_quiet = LearningItem.objects.filter(region=region(quiet)).first()
    for number in range(5):
        adoptions += [
            Adoption(
                learning_item_id=learning[number],
                organisation=trust,
                region=region(quiet),
                stage=AdoptionStage.PILOTING,
                created_by=author,
            ),
            Adoption(
                learning_item=from_quiet,
                organisation=trust,
                region=regions[0],
                stage=AdoptionStage.PILOTING,
                created_by=author,
            ),
        ]
    Adoption.objects.bulk_create(adoptions)
    Recommendation.objects.bulk_create(
        Recommendation(
            kind=RecommendationKind.FELLOW,
            text=f"Recommendation {number}",
            addressed_to=trust,
            region=regions[number % len(regions)],
            issued_on=start + datetime.timedelta(days=number % 700),
            created_by=author,
        )
        for number in range(ROWS)
    )
    with connection.cursor() as cursor:
        for table in ("register_adoption", "register_recommendation", "learning_learningitem"):
            cursor.execute(f"ANALYZE {table}")


def plan_of_a_page(rows):
    """The plan of the first page of `rows` in the list's order. A test's few thousand rows
    fit in a few pages, which the planner would rightly read whole; priced out of that, it
    shows which index the conditions and the order let it use."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        return rows.values("pk")[:PAGE].explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")


ADOPTION_INDEXES = (
    "register_adoption_newest",
    "register_adoption_region_new",
    "register_adoption_origin_new",
)


@pytest.mark.parametrize("role", [Role.FELLOW, Role.REGIONAL_LEAD])
def test_a_busy_regions_spread_is_read_in_order_until_a_page_is_found(
    role, on_postgresql, many_rows
):
    """A region with a share of everything finds a page's worth soon in the list's order,
    whichever index the planner reads it from; neither side of the scope joins the learning
    items or the initiatives."""
    plan = plan_of_a_page(adoptions_for(person_with(role, "north")))
    assert any(index in plan for index in ADOPTION_INDEXES), plan
    assert "learning_learningitem" not in plan, plan
    assert "fellows_initiative" not in plan, plan


def test_a_quiet_regions_spread_is_found_through_the_two_region_indexes(on_postgresql, many_rows):
    """Adopted in the region, or spread from it: each side of the scope has an index of its
    own, so a region with little spread reads only its own rows, not everyone's in order."""
    plan = plan_of_a_page(adoptions_for(person_with(Role.REGIONAL_LEAD, REGIONS[3])))
    assert "register_adoption_region_new" in plan, plan
    assert "register_adoption_origin_new" in plan, plan
    assert "learning_learningitem" not in plan, plan


def test_the_national_spread_is_read_a_page_at_a_time_in_order(on_postgresql, many_rows):
    plan = plan_of_a_page(adoptions_for(person_with(Role.NATIONAL)))
    assert "register_adoption_newest" in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    ("role", "index"),
    [
        (Role.FELLOW, "register_rec_region_newest"),
        (Role.REGIONAL_LEAD, "register_rec_region_newest"),
        (Role.NATIONAL, "register_rec_newest"),
    ],
)
def test_the_register_is_read_a_page_at_a_time_in_order(role, index, on_postgresql, many_rows):
    plan = plan_of_a_page(recommendations_for(person_with(role, "north")))
    assert index in plan, plan
    assert "Sort" not in plan, plan


def test_every_adoption_in_scope_is_found_through_the_stored_origin(on_postgresql, many_rows):
    """The stored origin region finds what the joins to the initiatives and the learning
    found before it."""
    north = region("north")
    joined = Adoption.objects.filter(
        Q(region=north) | Q(initiative__region=north) | Q(learning_item__region=north)
    )
    lead = person_with(Role.REGIONAL_LEAD, "north")
    assert set(Adoption.objects.for_user(lead).values_list("pk", flat=True)) == set(
        joined.values_list("pk", flat=True)
    )
