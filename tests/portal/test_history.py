import pytest

from fellows.models import Initiative
from learning.models import LearningItem
from portal.history import changes_of
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import LearningItemFactory


@pytest.mark.django_db
def test_a_change_made_outside_a_form_is_recorded_with_what_changed():
    initiative = InitiativeFactory(title="Safer handover")
    initiative.title = "Safer handover between wards"
    initiative.status = Initiative.Status.ACTIVE
    initiative.save()

    history = changes_of(initiative)
    newest, created = history[0], history[-1]
    assert created["kind"] == "Created"
    assert newest["kind"] == "Changed"
    assert set(newest["changes"]) == {
        ("Title", "Safer handover", "Safer handover between wards"),
        ("Status", "Planned", "Active"),
    }


@pytest.mark.django_db
def test_a_queryset_update_is_recorded_for_every_row_it_changed():
    items = LearningItemFactory.create_batch(3)
    LearningItem.objects.filter(pk__in=[items[0].pk, items[1].pk]).update(
        status=LearningItem.Status.WITHDRAWN
    )

    for item in items[:2]:
        newest = changes_of(item)[0]
        assert newest["reason"] == "Bulk update"
        assert ("Status", "Draft", "Withdrawn") in newest["changes"]
    assert all(entry["reason"] != "Bulk update" for entry in changes_of(items[2]))


@pytest.mark.django_db
def test_a_save_with_its_many_to_many_fields_is_one_history_entry():
    from portal.history import one_history_entry
    from taxonomy.models import Theme
    from tests.accounts.factories import UserFactory

    fellow = UserFactory()
    item = LearningItem(kind=LearningItem.Kind.GAP, title="Gap", summary="Summary", region_id=None)
    item.region = __import__("tests.regions.factories", fromlist=["x"]).programme_region()
    item.created_by = fellow
    with one_history_entry(item, created=True):
        item.save()
        item.authors.set([fellow])
        item.themes.set(Theme.objects.filter(slug__in=["falls", "human-factors"]))

    [entry] = item.history.all()
    assert entry.history_type == "+"
    assert {theme.theme.slug for theme in entry.themes.all()} == {"falls", "human-factors"}
    assert [author.user for author in entry.authors.all()] == [fellow]


@pytest.mark.django_db
def test_a_long_history_shows_the_latest_changes_only():
    initiative = InitiativeFactory(title="Version 0")
    for number in range(1, 25):
        initiative.title = f"Version {number}"
        initiative.save()

    shown = changes_of(initiative, limit=5)
    assert len(shown) == 5
    assert shown[0]["changes"] == [("Title", "Version 23", "Version 24")]
    assert shown[-1]["changes"] == [("Title", "Version 19", "Version 20")]


@pytest.mark.django_db
def test_a_queryset_update_keeps_the_links_so_nothing_else_seems_changed():
    item = LearningItemFactory()
    LearningItem.objects.filter(pk=item.pk).update(status=LearningItem.Status.SUBMITTED)
    LearningItem.objects.filter(pk=item.pk).update(status=LearningItem.Status.PUBLISHED)

    newest, before = changes_of(item)[:2]
    assert newest["changes"] == [("Status", "Submitted for review", "Published")]
    assert before["changes"] == [("Status", "Draft", "Submitted for review")]
