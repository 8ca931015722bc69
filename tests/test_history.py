import pytest

from fellows.models import Initiative
from learning.models import LearningItem
from portal.history import changes_of
from tests.work_factories import InitiativeFactory, LearningItemFactory


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
        ("Status", "planned", "active"),
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
        assert ("Status", "draft", "withdrawn") in newest["changes"]
    assert all(entry["reason"] != "Bulk update" for entry in changes_of(items[2]))
