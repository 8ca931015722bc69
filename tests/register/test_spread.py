"""Adoption and spread: who took up what where, its stages, who sees it across regions, and
the spread page's counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from fellows import services as fellows_services
from learning.models import LearningItem
from register.models import Adoption, AdoptionStage
from taxonomy.models import Theme
from tests.conftest import AN_NHS_NUMBER
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import LearningItemFactory
from tests.register.factories import a_trust, adoption
from tests.roles import person_with, region, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]

Stage = AdoptionStage


def published(region_slug="north", **fields):
    return LearningItemFactory(
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
        region=region(region_slug),
        **fields,
    )


def date_parts(name, date):
    return {f"{name}-day": date.day, f"{name}-month": date.month, f"{name}-year": date.year}


def adoption_data(**overrides):
    data = {
        "organisation": a_trust().pk,
        "new_organisation_name": "",
        "new_organisation_kind": "",
        "region": region("south").pk,
        "stage": Stage.PILOTING,
        **date_parts("stage_on", datetime.date(2026, 9, 1)),
        "contact_role": "Deputy chief nurse",
        "notes": "Piloting on two wards.",
    }
    data.update(overrides)
    return data


def test_a_fellow_records_an_adoption_of_published_learning_in_another_region(client, fellow):
    item = published()
    sign_in(client, fellow)
    url = reverse("register:adoption-add") + f"?learning={item.pk}"
    response = client.post(url, adoption_data())
    adoption_made = Adoption.objects.get()
    assert response.status_code == 302
    assert (adoption_made.learning_item, adoption_made.region, adoption_made.stage) == (
        item,
        region("south"),
        Stage.PILOTING,
    )
    [change] = adoption_made.stage_changes.all()
    assert (change.from_stage, change.to_stage, change.on, change.by) == (
        "",
        Stage.PILOTING,
        datetime.date(2026, 9, 1),
        fellow,
    )


def test_learning_that_is_not_published_cannot_be_adopted(client, fellow):
    draft = LearningItemFactory(created_by=fellow)
    sign_in(client, fellow)
    url = reverse("register:adoption-add") + f"?learning={draft.pk}"
    assert client.get(url).status_code == 404


def test_an_adoption_is_seen_from_both_regions_and_from_nowhere_else(client, fellow):
    item = published("north")
    made = adoption(fellow, of=item, region_slug="south")
    for role, slug, expected in [
        (Role.REGIONAL_LEAD, "north", 200),  # where the learning came from
        (Role.REGIONAL_LEAD, "south", 200),  # where it was adopted
        (Role.REGIONAL_LEAD, "london-south-east", 404),
        (Role.NATIONAL, "north", 200),
    ]:
        client.logout()
        sign_in(client, person_with(role, slug))
        assert client.get(made.get_absolute_url()).status_code == expected, (role, slug)


def test_an_adoption_keeps_the_region_of_what_it_spreads_however_it_is_made(fellow):
    item = published("north")
    initiative = InitiativeFactory(created_by=fellow, region=region("london-south-east"))
    assert adoption(fellow, of=item, region_slug="south").origin_region == region("north")
    assert adoption(fellow, of=initiative).origin_region == region("london-south-east")
    # A bulk insert skips save(): the queryset fills it in.
    [bulk] = Adoption.objects.bulk_create(
        [
            Adoption(
                learning_item=item,
                organisation=a_trust(),
                region=region("south"),
                stage=Stage.CONSIDERING,
                created_by=fellow,
            )
        ]
    )
    bulk.refresh_from_db()
    assert bulk.origin_region == region("north")


def test_an_adoption_set_to_spread_something_else_takes_that_ones_region(fellow):
    """As the admin does, the only place that changes what an adoption is of."""
    made = adoption(fellow, of=published("north"), region_slug="south")
    made.learning_item = published("london-south-east")
    made.save()
    made.refresh_from_db()
    assert made.origin_region == region("london-south-east")


def test_an_adoption_follows_a_change_of_its_sources_region(client, fellow):
    """The origin region is kept on the adoption, so that a region's people find what spread
    from there through an index; moving the initiative or the learning moves it too,
    whatever moved it."""
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    item = published("north")
    of_initiative = adoption(fellow, of=initiative, region_slug="south")
    of_learning = adoption(fellow, of=item, region_slug="south")
    fellows_services.initiative_update(
        initiative=initiative, expected_version=initiative.version, region=region("midlands-east")
    )
    LearningItem.objects.filter(pk=item.pk).update(region=region("midlands-east"))
    for made in (of_initiative, of_learning):
        made.refresh_from_db()
        assert made.origin_region == region("midlands-east")
    seen = {
        slug: set(Adoption.objects.for_user(person_with(Role.REGIONAL_LEAD, slug)))
        for slug in ("north", "midlands-east", "south")
    }
    assert seen == {
        "north": set(),
        "midlands-east": {of_initiative, of_learning},
        "south": {of_initiative, of_learning},
    }


def test_the_people_of_either_region_may_change_it_but_not_those_of_a_third(client, fellow):
    made = adoption(fellow, of=published("north"), region_slug="south")
    url = reverse("register:adoption-stage", args=[made.pk])
    sign_in(client, person_with(Role.FELLOW, "south"))
    assert client.get(url).status_code == 200
    client.logout()
    sign_in(client, person_with(Role.REGIONAL_LEAD, "london-south-east"))
    assert client.get(url).status_code == 404


def test_going_back_a_stage_needs_a_note_and_every_change_is_kept(client, fellow):
    made = adoption(fellow, of=published(), stage=Stage.ADOPTED)
    sign_in(client, fellow)
    url = reverse("register:adoption-stage", args=[made.pk])
    back = {"stage": Stage.PILOTING, **date_parts("on", datetime.date(2026, 10, 1)), "version": 1}

    refused = client.post(url, back)
    assert refused.context["form"].errors["note"] == ["Say why it went back a stage or stopped"]
    made.refresh_from_db()
    assert made.stage == Stage.ADOPTED

    assert client.post(url, {**back, "note": "The ward changed its rota."}).status_code == 302
    forward = {"stage": Stage.EMBEDDED, **date_parts("on", datetime.date(2026, 11, 1))}
    assert client.post(url, {**forward, "version": 2}).status_code == 302
    made.refresh_from_db()
    assert (made.stage, made.stage_on) == (Stage.EMBEDDED, datetime.date(2026, 11, 1))
    assert [(c.from_stage, c.to_stage, c.on, c.note) for c in made.stage_changes.all()] == [
        ("", Stage.ADOPTED, datetime.date(2026, 9, 1), ""),
        (Stage.ADOPTED, Stage.PILOTING, datetime.date(2026, 10, 1), "The ward changed its rota."),
        (Stage.PILOTING, Stage.EMBEDDED, datetime.date(2026, 11, 1), ""),
    ]


def test_stopping_needs_a_note_and_a_change_cannot_be_dated_ahead(client, fellow):
    made = adoption(fellow, of=published())
    sign_in(client, fellow)
    url = reverse("register:adoption-stage", args=[made.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"stage": Stage.STOPPED, **date_parts("on", tomorrow)})
    errors = response.context["form"].errors
    assert errors["on"] == ["The date of the change must be today or in the past"]
    assert errors["note"] == ["Say why it went back a stage or stopped"]


def test_a_stale_stage_change_is_refused(client, fellow):
    made = adoption(fellow, of=published())
    sign_in(client, fellow)
    url = reverse("register:adoption-stage", args=[made.pk])
    on = date_parts("on", datetime.date(2026, 10, 1))
    assert client.post(url, {"stage": Stage.PILOTING, **on, "version": 1}).status_code == 302
    refused = client.post(url, {"stage": Stage.ADOPTED, **on, "version": 1})
    assert "Someone else changed this adoption" in refused.text
    made.refresh_from_db()
    assert made.stage == Stage.PILOTING


@pytest.mark.parametrize("field", ["contact_role", "notes"])
def test_the_adoptions_text_refuses_an_nhs_number(client, fellow, field):
    item = published()
    sign_in(client, fellow)
    url = reverse("register:adoption-add") + f"?learning={item.pk}"
    response = client.post(url, adoption_data(**{field: f"Ref {AN_NHS_NUMBER}"}))
    assert field in response.context["form"].errors
    assert not Adoption.objects.exists()


def test_a_stage_note_refuses_an_nhs_number(client, fellow):
    made = adoption(fellow, of=published(), stage=Stage.ADOPTED)
    sign_in(client, fellow)
    response = client.post(
        reverse("register:adoption-stage", args=[made.pk]),
        {
            "stage": Stage.PILOTING,
            **date_parts("on", datetime.date(2026, 10, 1)),
            "note": f"Patient {AN_NHS_NUMBER}",
            "version": 1,
        },
    )
    assert "note" in response.context["form"].errors


def test_the_initiative_and_learning_pages_count_their_spread_by_region_and_stage(client, fellow):
    initiative = InitiativeFactory(created_by=fellow, region=region("north"))
    adoption(fellow, of=initiative, region_slug="south", stage=Stage.PILOTING)
    adoption(
        fellow,
        of=initiative,
        region_slug="south",
        organisation=a_trust("t2", "Second Trust"),
        stage=Stage.ADOPTED,
    )
    adoption(fellow, of=initiative, organisation=a_trust("t3", "Third Trust"))
    sign_in(client, fellow)
    response = client.get(initiative.get_absolute_url())
    spread = response.context["spread"]
    assert spread["total"] == 3
    assert dict(spread["rows"]) == {"North": [1, 0, 0], "South": [0, 1, 1]}
    assert "Adopted by 3 organisations in 2 regions." in response.text


def test_the_spread_page_filters_and_counts_each_initiatives_reach(client, fellow):
    theme = Theme.objects.first()
    far = InitiativeFactory(created_by=fellow, region=region("north"))
    far.themes.add(theme)
    near = InitiativeFactory(created_by=fellow, region=region("north"))
    for number, slug in enumerate(["north", "south", "london-south-east"]):
        adoption(
            fellow, of=far, region_slug=slug, organisation=a_trust(f"f{number}", f"F {number}")
        )
    adoption(fellow, of=near, region_slug="north", stage=Stage.EMBEDDED)
    adoption(fellow, of=published(), region_slug="south")
    sign_in(client, fellow)
    url = reverse("register:spread")

    everything = client.get(url)
    reach = {row["initiative_id"]: row for row in everything.context["reach"]}
    assert (reach[far.pk]["organisations"], reach[far.pk]["regions"], reach[far.pk]["beyond"]) == (
        3,
        3,
        2,
    )
    assert (reach[near.pk]["organisations"], reach[near.pk]["beyond"]) == (1, 0)
    assert everything.context["page"].paginator.count == 5
    assert client.get(url, {"stage": Stage.EMBEDDED}).context["page"].paginator.count == 1
    assert client.get(url, {"spread": "learning"}).context["page"].paginator.count == 1
    assert client.get(url, {"region": region("south").pk}).context["page"].paginator.count == 2
    assert client.get(url, {"theme": theme.slug}).context["page"].paginator.count == 3


@pytest.mark.parametrize("rows", [1, 10])
def test_the_spread_page_takes_the_same_queries_for_few_and_many_rows(
    client, fellow, django_assert_num_queries, django_capture_on_commit_callbacks, rows
):
    for number in range(rows):
        initiative = InitiativeFactory(created_by=fellow, region=region("north"))
        adoption(fellow, of=initiative, organisation=a_trust(f"t{number}", f"Trust {number}"))
        adoption(fellow, of=published(), region_slug="south")
    sign_in(client, fellow)
    # A write out of the fellow's sight, committed: the first view counts afresh.
    elsewhere = person_with(Role.FELLOW, "south")
    with django_capture_on_commit_callbacks(execute=True):
        adoption(elsewhere, of=published("south"), region_slug="south")
    # The signed-in page's three, the regions and themes to filter by, the reach of each
    # initiative and its origins' names, and the count and the page of adoptions. Read again,
    # the reach is kept until the next write.
    for _view, queries in (("afresh", 9), ("again", 8)):
        with django_assert_num_queries(queries):
            response = client.get(reverse("register:spread"))
        assert len(response.context["page"]) == 2 * rows
        assert len(response.context["reach"]) == min(20, 2 * rows)


def test_the_reach_table_counts_an_adoption_after_its_write_and_names_a_renamed_region_at_once(
    client, fellow, django_capture_on_commit_callbacks
):
    learning = published("north", title="Night falls huddle")
    with django_capture_on_commit_callbacks(execute=True):
        adoption(fellow, of=learning, region_slug="south", organisation=a_trust("a", "A"))
    sign_in(client, fellow)
    url = reverse("register:spread")

    def reach():
        row = next(
            row
            for row in client.get(url).context["reach"]
            if row["learning_item_id"] == learning.pk
        )
        return row["organisations"], row["origin_name"]

    assert reach() == (1, "North")
    with django_capture_on_commit_callbacks(execute=True):
        adoption(
            fellow, of=learning, region_slug="london-south-east", organisation=a_trust("b", "B")
        )
    assert reach() == (2, "North")
    north = region("north")
    north.name = "The North"
    north.save()
    assert reach() == (2, "The North")


def test_the_spread_page_counts_the_reach_of_learning_as_of_initiatives(client, fellow):
    learning = published("north", title="Night falls huddle")
    for number, slug in enumerate(["south", "london-south-east", "north"]):
        adoption(
            fellow, of=learning, region_slug=slug, organisation=a_trust(f"l{number}", f"L {number}")
        )
    sign_in(client, fellow)

    response = client.get(reverse("register:spread"))

    row = next(row for row in response.context["reach"] if row["learning_item_id"] == learning.pk)
    assert (row["title"], row["origin_name"]) == ("Night falls huddle", "North")
    assert (row["organisations"], row["regions"], row["beyond"]) == (3, 3, 2)
    page = response.content.decode()
    assert "How far initiatives and learning reached" in page
    assert f'Learning: <a href="{reverse("learning:item-detail", args=[learning.pk])}">' in page
