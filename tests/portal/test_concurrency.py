import pytest

from fellows.models import Initiative
from portal.concurrency import EditConflict, save_if_unchanged
from tests.fellows.factories import InitiativeFactory


@pytest.mark.django_db
def test_the_second_of_two_overlapping_edits_is_refused_and_the_first_kept():
    initiative = InitiativeFactory(title="Original")
    mine = Initiative.objects.get(pk=initiative.pk)
    theirs = Initiative.objects.get(pk=initiative.pk)

    theirs.title = "Their title"
    save_if_unchanged(theirs, expected_version=1)

    mine.title = "My title"
    with pytest.raises(EditConflict) as conflict:
        save_if_unchanged(mine, expected_version=1)

    stored = Initiative.objects.get(pk=initiative.pk)
    assert (stored.title, stored.version) == ("Their title", 2)
    assert conflict.value.current.title == "Their title"


@pytest.mark.django_db
def test_an_edit_from_the_current_version_is_saved_and_bumps_the_version():
    initiative = InitiativeFactory()
    initiative.title = "Renamed"
    save_if_unchanged(initiative, expected_version=1)
    save_if_unchanged(initiative, expected_version=2)

    stored = Initiative.objects.get(pk=initiative.pk)
    assert (stored.title, stored.version) == ("Renamed", 3)
