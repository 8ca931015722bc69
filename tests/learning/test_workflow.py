"""The review workflow through the pages: who may take each step, what refuses it, and who
is told."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from learning.models import LearningItem, LearningItemEvent
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region, sign_in

Status = LearningItem.Status


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_mfa_required")]


@pytest.fixture
def fellow():
    return person_with(Role.FELLOW, "north", full_name="North Fellow", email="fellow@example.org")


@pytest.fixture
def lead():
    return person_with(
        Role.REGIONAL_LEAD, "north", full_name="North Lead", email="lead@example.org"
    )


@pytest.fixture
def draft(fellow):
    return LearningItemFactory(created_by=fellow, title="Huddles after incidents")


@pytest.fixture
def submitted(fellow):
    return LearningItemFactory(
        created_by=fellow, status=Status.SUBMITTED, submitted_at=timezone.now()
    )


def step_url(step, item):
    return reverse(f"learning:item-{step}", args=[item.pk])


def status_of(item):
    item.refresh_from_db()
    return item.status


def test_the_author_submits_a_draft(client, fellow, draft):
    sign_in(client, fellow)
    response = client.post(step_url("submit", draft))
    assert response.status_code == 302
    assert status_of(draft) == Status.SUBMITTED
    assert draft.submitted_at is not None
    event = LearningItemEvent.objects.get(item=draft)
    assert (event.from_status, event.to_status, event.by) == (
        Status.DRAFT,
        Status.SUBMITTED,
        fellow,
    )


def test_another_fellow_in_the_region_cannot_see_or_submit_a_draft(client, draft):
    sign_in(client, person_with(Role.FELLOW, "north"))
    assert client.post(step_url("submit", draft)).status_code == 404
    assert status_of(draft) == Status.DRAFT


def test_the_regional_lead_publishes_a_submitted_item(client, lead, submitted):
    sign_in(client, lead)
    response = client.post(step_url("publish", submitted))
    assert response.status_code == 302
    assert status_of(submitted) == Status.PUBLISHED
    assert submitted.published_at is not None


def test_the_regional_lead_returns_an_item_with_feedback(client, lead, submitted):
    sign_in(client, lead)
    client.post(step_url("return", submitted), {"feedback": "Say what the huddle covers."})
    assert status_of(submitted) == Status.RETURNED
    assert submitted.events.get().feedback == "Say what the huddle covers."


def test_returning_without_feedback_is_refused_next_to_the_field(client, lead, submitted):
    sign_in(client, lead)
    response = client.post(step_url("return", submitted), {"feedback": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["feedback"] == ["Enter feedback for the authors"]
    assert status_of(submitted) == Status.SUBMITTED


def test_a_lead_of_another_region_gets_404_for_a_submitted_item(client, submitted):
    sign_in(client, person_with(Role.REGIONAL_LEAD, "south"))
    assert client.get(reverse("learning:item-detail", args=[submitted.pk])).status_code == 404
    assert client.post(step_url("publish", submitted)).status_code == 404
    assert status_of(submitted) == Status.SUBMITTED


def test_a_lead_who_wrote_the_item_cannot_review_it(client, lead, fellow):
    item = LearningItemFactory(
        created_by=fellow, status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    item.authors.add(lead)
    sign_in(client, lead)
    assert client.post(step_url("publish", item)).status_code == 403
    assert b"Publish</a>" not in client.get(reverse("learning:item-detail", args=[item.pk])).content
    assert status_of(item) == Status.SUBMITTED


def test_the_national_team_reviews_any_region(client, submitted):
    sign_in(client, person_with(Role.NATIONAL))
    client.post(step_url("publish", submitted))
    assert status_of(submitted) == Status.PUBLISHED


def test_the_author_withdraws_their_item(client, fellow, draft):
    sign_in(client, fellow)
    client.post(step_url("withdraw", draft))
    assert status_of(draft) == Status.WITHDRAWN


def test_a_fellow_who_is_not_an_author_cannot_withdraw_published_learning(client, fellow):
    item = LearningItemFactory(status=Status.PUBLISHED, published_at=timezone.now())
    sign_in(client, fellow)
    assert client.post(step_url("withdraw", item)).status_code == 403
    assert status_of(item) == Status.PUBLISHED


def test_the_regional_lead_withdraws_published_learning(client, lead):
    item = LearningItemFactory(status=Status.PUBLISHED, published_at=timezone.now())
    sign_in(client, lead)
    client.post(step_url("withdraw", item))
    assert status_of(item) == Status.WITHDRAWN


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("publish", Status.DRAFT),
        ("return", Status.PUBLISHED),
        ("submit", Status.SUBMITTED),
        ("withdraw", Status.WITHDRAWN),
    ],
)
def test_an_invalid_step_is_refused_with_a_message(client, fellow, lead, step, status):
    item = LearningItemFactory(created_by=fellow, status=status)
    sign_in(client, lead if step in {"publish", "return"} else fellow)
    response = client.post(step_url(step, item), {"feedback": "x"}, follow=True)
    assert status_of(item) == status
    message = str(list(response.context["messages"])[0])
    assert "so it cannot be" in message


def test_a_step_someone_else_already_took_is_refused_with_a_message(
    client, lead, submitted, monkeypatch
):
    sign_in(client, lead)
    # The other reviewer publishes between this page loading the item and the step.
    from learning import views

    real = views.item_in_scope

    def stale(request, pk):
        item = real(request, pk=pk)
        LearningItem.objects.filter(pk=pk).update(status=Status.PUBLISHED)
        return item

    monkeypatch.setattr(views, "item_in_scope", stale)
    response = client.post(step_url("return", submitted), {"feedback": "Late"}, follow=True)
    assert "now published" in str(list(response.context["messages"])[0])
    assert not submitted.events.exists()


@pytest.mark.usefixtures("no_mfa_required")
@pytest.mark.parametrize("step", ["publish", "return"])
def test_someone_who_may_not_take_a_step_gets_403_whatever_the_status(client, step):
    author = person_with(Role.FELLOW, "north")
    published = LearningItemFactory(
        created_by=author,
        region=region("north"),
        status=LearningItem.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    sign_in(client, author)

    response = client.get(reverse(f"learning:item-{step}", args=[published.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("step", ["submit", "withdraw"])
def test_get_on_an_action_url_shows_a_confirmation_and_changes_nothing(client, fellow, draft, step):
    sign_in(client, fellow)
    response = client.get(step_url(step, draft))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert status_of(draft) == Status.DRAFT


def test_steps_need_the_csrf_token(fellow, draft):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, fellow)
    assert client.post(step_url("submit", draft)).status_code == 403
    assert status_of(draft) == Status.DRAFT


def test_buttons_show_only_the_steps_the_person_may_take(client, fellow, lead, draft):
    sign_in(client, fellow)
    page = client.get(reverse("learning:item-detail", args=[draft.pk])).content.decode()
    assert "Submit for review" in page and "Publish</a>" not in page
    sign_in(client, lead)
    page = client.get(reverse("learning:item-detail", args=[draft.pk])).content.decode()
    assert "Submit for review" not in page and "Edit</a>" not in page


# Notifications


def test_submitting_tells_the_regions_leads_only(
    client, fellow, lead, draft, mailoutbox, django_capture_on_commit_callbacks
):
    person_with(Role.REGIONAL_LEAD, "south", email="south-lead@example.org")
    person_with(Role.FELLOW, "north", email="other-fellow@example.org")
    sign_in(client, fellow)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step_url("submit", draft))
    assert [message.to for message in mailoutbox] == [["lead@example.org"]]
    assert "Huddles after incidents" in mailoutbox[0].subject


def test_returning_tells_the_authors_with_the_feedback(
    client, fellow, lead, mailoutbox, django_capture_on_commit_callbacks
):
    item = LearningItemFactory(created_by=fellow, status=Status.SUBMITTED)
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step_url("return", item), {"feedback": "Add the huddle checklist."})
    assert [message.to for message in mailoutbox] == [["fellow@example.org"]]
    assert "Add the huddle checklist." in mailoutbox[0].body


def test_publishing_tells_the_authors(
    client, fellow, lead, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step_url("publish", submitted))
    assert [message.to for message in mailoutbox] == [["fellow@example.org"]]
    assert "published" in mailoutbox[0].subject
