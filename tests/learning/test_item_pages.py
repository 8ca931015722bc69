"""The learning item pages: list, add, detail and edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import LearningItem
from portal.pagination import PAGE_SIZE
from taxonomy.models import SyllabusTag, Theme
from tests.conftest import AN_NHS_NUMBER, NOT_AN_NHS_NUMBER
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.regions.factories import programme_region
from tests.roles import person_with, region, sign_in

Status = LearningItem.Status


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


def published(**fields):
    return LearningItemFactory(status=Status.PUBLISHED, published_at=timezone.now(), **fields)


def item_data(**overrides):
    data = {
        "kind": LearningItem.Kind.BEST_PRACTICE,
        "title": "Huddles after incidents",
        "summary": "A short huddle within a day.",
        "body": "## What we did\n\nHuddles.",
        "region": programme_region("north").pk,
        "psirf_response_type": "",
    }
    return data | overrides


def test_the_list_shows_published_learning_from_every_region_to_everyone(client):
    published(title="North learning")
    published(title="South learning", region=programme_region("south"))
    LearningItemFactory(title="Someone's draft")
    sign_in(client, person_with(Role.PARTNER_READER))
    page = client.get(reverse("learning:item-list")).content.decode()
    assert "North learning" in page and "South learning" in page
    assert "Someone&#x27;s draft" not in page


def test_the_list_filters_by_type_region_and_theme(client, fellow):
    theme = Theme.objects.first()
    match = published(title="Matching", kind=LearningItem.Kind.GAP)
    match.themes.add(theme)
    published(title="Other type")
    published(title="Other region", kind=LearningItem.Kind.GAP, region=programme_region("south"))
    sign_in(client, fellow)
    response = client.get(
        reverse("learning:item-list"),
        {"kind": "gap", "region": programme_region("north").pk, "theme": theme.slug},
    )
    assert [item.title for item in response.context["page"]] == ["Matching"]


def test_the_list_shows_your_learning_in_progress(client, fellow):
    LearningItemFactory(created_by=fellow, title="My draft")
    LearningItemFactory(created_by=fellow, title="My returned", status=Status.RETURNED)
    LearningItemFactory(title="Not mine")
    sign_in(client, fellow)
    response = client.get(reverse("learning:item-list"))
    assert {item.title for item in response.context["own"]["page"]} == {"My draft", "My returned"}


def test_your_learning_in_progress_is_paged_apart_from_the_published_list(client, fellow):
    for n in range(PAGE_SIZE + 3):
        LearningItemFactory(created_by=fellow, title=f"My draft {n:02}")
    for n in range(PAGE_SIZE + 2):
        LearningItemFactory(
            title=f"Shared {n:02}", status=Status.PUBLISHED, published_at=timezone.now()
        )
    sign_in(client, fellow)

    first = client.get(reverse("learning:item-list"), {"page": 2})
    second = client.get(reverse("learning:item-list"), {"page": 2, "mine": 2})

    assert len(first.context["own"]["page"]) == PAGE_SIZE
    assert [item.title for item in second.context["own"]["page"]] == [
        "My draft 02",
        "My draft 01",
        "My draft 00",
    ]
    # Each list keeps its own page: the published list stays on page 2 while the other turns.
    assert len(second.context["page"]) == 2
    page = second.content.decode()
    assert 'aria-label="Pages of your learning in progress"' in page
    assert "?page=2&amp;mine=1" in page
    assert "?mine=2&amp;page=1" in page


def test_a_fellow_adds_a_draft_as_its_author_in_their_region(client, fellow):
    investigation = InvestigationFactory()
    initiative = InitiativeFactory()
    tag = SyllabusTag.objects.first()
    sign_in(client, fellow)
    form = client.get(reverse("learning:item-add")).context["form"]
    assert form["region"].initial == programme_region("north").pk
    response = client.post(
        reverse("learning:item-add"),
        item_data(
            investigations=[investigation.pk],
            initiatives=[initiative.pk],
            syllabus=[tag.pk],
        ),
    )
    item = LearningItem.objects.get()
    assert response.url == reverse("learning:item-detail", args=[item.pk])
    assert item.status == Status.DRAFT
    assert list(item.authors.all()) == [fellow]
    assert item.created_by == fellow
    assert list(item.investigations.all()) == [investigation]
    assert list(item.syllabus.all()) == [tag]


def test_a_summary_as_long_as_a_coroners_account_of_the_circumstances_is_saved(client, fellow):
    """Of 199 real accounts of the circumstances of a death, 94 ran past the 1,000 characters
    a summary once held."""
    sign_in(client, fellow)
    summary = ("The patient was admitted with sepsis and was not reviewed overnight. " * 60)[:4_000]

    page = client.get(reverse("learning:item-add"))
    response = client.post(reverse("learning:item-add"), item_data(summary=summary))

    assert "Up to 4,000 characters." in page.text
    assert response.status_code == 302, response.context["form"].errors
    assert LearningItem.objects.get().summary == summary


def test_a_summary_longer_than_4000_characters_is_refused_saying_the_size(client, fellow):
    sign_in(client, fellow)

    response = client.post(reverse("learning:item-add"), item_data(summary="a" * 4_001))

    assert response.context["form"].errors["summary"] == [
        "Summary must be 4,000 characters or fewer"
    ]
    assert not LearningItem.objects.exists()


def test_the_form_offers_only_investigations_and_initiatives_in_scope(client, fellow):
    InvestigationFactory(title="North report")
    InvestigationFactory(title="South report", region=programme_region("south"))
    sign_in(client, fellow)
    form = client.get(reverse("learning:item-add")).context["form"]
    assert not form.fields["investigations"].queryset.filter(title="South report").exists()
    south = InvestigationFactory(region=programme_region("south"))
    response = client.post(reverse("learning:item-add"), item_data(investigations=[south.pk]))
    assert "investigations" in response.context["form"].errors


@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_an_nhs_number_is_refused_next_to_each_free_text_field(client, fellow, field):
    sign_in(client, fellow)
    data = item_data()
    data[field] = f"{data[field]} {AN_NHS_NUMBER}"
    response = client.post(reverse("learning:item-add"), data)
    assert response.status_code == 200
    assert "NHS number" in response.context["form"].errors[field][0]
    assert not LearningItem.objects.exists()


def test_ten_digits_that_are_not_an_nhs_number_are_accepted(client, fellow):
    sign_in(client, fellow)
    client.post(reverse("learning:item-add"), item_data(summary=f"Ref {NOT_AN_NHS_NUMBER}"))
    assert LearningItem.objects.get().summary.endswith(NOT_AN_NHS_NUMBER)


def test_feedback_with_an_nhs_number_is_refused(client):
    item = LearningItemFactory(status=Status.SUBMITTED)
    sign_in(client, person_with(Role.REGIONAL_LEAD, "north"))
    response = client.post(
        reverse("learning:item-return", args=[item.pk]), {"feedback": f"See {AN_NHS_NUMBER}"}
    )
    assert "NHS number" in response.context["form"].errors["feedback"][0]


def test_the_detail_page_renders_the_body_and_the_review_history(client, fellow):
    item = LearningItemFactory(created_by=fellow, body="## What we did\n\n*Huddles*")
    lead = person_with(Role.REGIONAL_LEAD, "north", full_name="North Lead")
    from learning.services import learning_item_return, learning_item_submit

    learning_item_submit(item=item, by=fellow)
    learning_item_return(item=item, by=lead, feedback="Add the checklist.")
    sign_in(client, fellow)
    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()
    assert "<h2>What we did</h2>" in page or "What we did</h2>" in page
    assert "<em>Huddles</em>" in page
    assert "Returned with feedback</strong> by North Lead" in page
    assert "Add the checklist." in page


def returned_item(fellow, *feedbacks):
    from learning.services import learning_item_return, learning_item_submit

    item = LearningItemFactory(created_by=fellow)
    lead = person_with(Role.REGIONAL_LEAD, "north", full_name="North Lead")
    for feedback in feedbacks:
        learning_item_submit(item=item, by=fellow)
        learning_item_return(item=item, by=lead, feedback=feedback)
    return item


def test_the_latest_feedback_is_shown_with_the_returned_tag_above_the_review_history(
    client, fellow
):
    item = returned_item(fellow, "Add the checklist.", "Name the wards that tried it.")
    sign_in(client, fellow)
    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()

    tag = page.index("Returned with feedback</strong>")
    feedback = page.index('id="return-feedback"')
    summary = page.index('class="nhsuk-lede-text"')
    history = page.index('id="review-history"')
    assert tag < feedback < summary < history
    box = page[feedback:summary]
    assert "Feedback from North Lead" in box
    assert "Name the wards that tried it." in box
    assert "Add the checklist." not in box
    assert "Edit the learning, then submit it for review again." in box


def test_the_feedback_box_goes_once_the_item_is_submitted_again(client, fellow):
    from learning.services import learning_item_submit

    item = returned_item(fellow, "Add the checklist.")
    learning_item_submit(item=item, by=fellow)
    sign_in(client, fellow)
    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()
    assert 'id="return-feedback"' not in page
    assert "Add the checklist." in page[page.index('id="review-history"') :]


def test_the_detail_page_links_only_investigations_the_person_may_see(client):
    item = published()
    item.investigations.add(
        InvestigationFactory(title="North report"),
        InvestigationFactory(title="South report", region=programme_region("south")),
    )
    sign_in(client, person_with(Role.FELLOW, "north"))
    response = client.get(reverse("learning:item-detail", args=[item.pk]))
    assert [i.title for i in response.context["investigations"]] == ["North report"]


def test_a_learning_item_links_to_its_initiatives_as_to_its_investigations(client):
    fellow = person_with(Role.FELLOW, "north")
    initiative = InitiativeFactory(title="Safer insulin", region=region("north"))
    item = LearningItemFactory(
        status=LearningItem.Status.PUBLISHED, published_at=timezone.now(), region=region("north")
    )
    item.initiatives.add(initiative)
    sign_in(client, fellow)

    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()

    assert f'<a href="{reverse("fellows:detail", args=[initiative.pk])}">Safer insulin</a>' in page


def test_a_fellow_never_sees_another_regions_draft(client):
    draft = LearningItemFactory(region=programme_region("south"))
    sign_in(client, person_with(Role.FELLOW, "north"))
    assert client.get(reverse("learning:item-detail", args=[draft.pk])).status_code == 404


def test_the_author_edits_a_draft_and_the_change_shows_in_the_history(client, fellow):
    item = LearningItemFactory(created_by=fellow, title="Old title")
    sign_in(client, fellow)
    response = client.post(
        reverse("learning:item-edit", args=[item.pk]),
        item_data(title="New title", version=item.version),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "New title"
    page = client.get(reverse("learning:item-detail", args=[item.pk])).content.decode()
    assert "Changed</strong> by North Fellow" in page
    assert "<li>Title: Old title → New title</li>" in page


def test_submitted_learning_cannot_be_edited(client, fellow):
    item = LearningItemFactory(created_by=fellow, status=Status.SUBMITTED)
    sign_in(client, fellow)
    assert client.get(reverse("learning:item-edit", args=[item.pk])).status_code == 403


def test_the_form_leaves_out_links_when_there_is_nothing_to_link(client, fellow):
    sign_in(client, fellow)
    form = client.get(reverse("learning:item-add")).context["form"]
    assert "investigations" not in form.fields and "initiatives" not in form.fields


def test_a_concurrent_edit_is_refused_and_the_typed_values_are_kept(client, fellow):
    item = LearningItemFactory(created_by=fellow, title="Original")
    shown_version = item.version
    LearningItem.objects.filter(pk=item.pk).update(title="Theirs", version=shown_version + 1)
    sign_in(client, fellow)
    response = client.post(
        reverse("learning:item-edit", args=[item.pk]),
        item_data(title="Mine", version=shown_version),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Someone else saved this record" in form.non_field_errors()[0]
    assert form["title"].value() == "Mine"
    item.refresh_from_db()
    assert item.title == "Theirs"
    # Saving again, now that the person has seen the conflict, works.
    response = client.post(
        reverse("learning:item-edit", args=[item.pk]),
        item_data(title="Mine", version=form["version"].value()),
    )
    assert response.status_code == 302


def test_the_list_makes_the_same_number_of_queries_for_few_and_many_rows(client, fellow):
    def count():
        sign_in(client, fellow)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("learning:item-list")).status_code == 200
        return len(queries)

    published().themes.add(Theme.objects.first())
    LearningItemFactory(created_by=fellow)
    few = count()
    for _ in range(5):
        published().themes.add(Theme.objects.first())
        LearningItemFactory(created_by=fellow)
    assert count() == few


def test_the_detail_page_makes_the_same_number_of_queries_however_much_is_linked(client):
    def count(item):
        sign_in(client, person_with(Role.FELLOW, "north"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("learning:item-detail", args=[item.pk])).status_code == 200
        return len(queries)

    def linked(size):
        # The same steps for both items, so their change histories are the same length.
        item = published()
        item.investigations.add(*[InvestigationFactory() for _ in range(size)])
        item.initiatives.add(*[InitiativeFactory() for _ in range(size)])
        item.themes.add(*Theme.objects.all()[:size])
        item.authors.add(*[person_with(Role.FELLOW, "north") for _ in range(size)])
        return item

    assert count(linked(4)) == count(linked(1))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PARTNER_READER, ["Learning", "Search"]),
        (Role.FELLOW, ["Learning", "Investigations", "Search"]),
        (Role.REGIONAL_LEAD, ["Review", "Learning", "Investigations", "Search"]),
    ],
)
def test_the_menu_shows_the_learning_pages_each_role_may_use(client, role, expected):
    sign_in(client, person_with(role, "north"))
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert [
        label for label in labels if label in {"Learning", "Investigations", "Review", "Search"}
    ] == expected


def test_a_long_list_says_its_count_with_a_thousands_separator(client, fellow):
    template = LearningItemFactory.build(created_by=fellow, status=Status.PUBLISHED)
    LearningItem.objects.bulk_create(
        LearningItem(
            kind=template.kind,
            title=f"Shared {number}",
            summary=template.summary,
            body=template.body,
            region=template.region,
            created_by=fellow,
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        for number in range(1_234)
    )
    sign_in(client, fellow)

    page = client.get(reverse("learning:item-list")).content.decode()

    assert "<p>1,234 items</p>" in page
