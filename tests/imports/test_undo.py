"""Undoing an import: within 24 hours, only if nothing it made has changed since, all or
nothing, with history naming the undo."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from imports.models import Import
from learning.models import LearningItem
from learning.services import learning_item_update
from tests.imports.files import LEARNING_HEADERS, learning_row, xlsx
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")


@pytest.fixture
def fellow(db):
    return person_with(Role.FELLOW, "north")


def imported(client, fellow, capture, rows):
    sign_in(client, fellow)
    client.post(
        reverse("imports:start"), {"kind": "learning", "file": xlsx(LEARNING_HEADERS, rows)}
    )
    batch = Import.objects.get()
    with capture(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done"
    return batch


def test_undo_deletes_what_was_created_and_puts_back_what_was_updated(
    client, fellow, django_capture_on_commit_callbacks
):
    existing = LearningItemFactory(
        created_by=fellow, title="Huddles", summary="The old summary.", region=region("north")
    )
    batch = imported(
        client,
        fellow,
        django_capture_on_commit_callbacks,
        [learning_row("New one"), learning_row("Huddles", summary="The new summary.")],
    )
    assert LearningItem.objects.count() == 2
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Undo this import" in page
    assert client.get(reverse("imports:undo", args=[batch.pk])).status_code == 200
    response = client.post(reverse("imports:undo", args=[batch.pk]))
    assert response.url == batch.get_absolute_url()
    assert list(LearningItem.objects.values_list("title", flat=True)) == ["Huddles"]
    existing.refresh_from_db()
    assert existing.summary == "The old summary."
    assert existing.history.first().history_change_reason == f"Undoing import {batch.pk}"
    assert Import.objects.get().status == "undone"


def test_undo_is_refused_when_a_record_has_changed_since(
    client, fellow, django_capture_on_commit_callbacks
):
    batch = imported(
        client, fellow, django_capture_on_commit_callbacks, [learning_row("A"), learning_row("B")]
    )
    changed = LearningItem.objects.get(title="B")
    learning_item_update(item=changed, expected_version=changed.version, summary="Edited.")
    response = client.post(reverse("imports:undo", args=[batch.pk]), follow=True)
    assert "cannot be undone: 1 of the records it made or changed have been changed since (B)" in (
        response.content.decode()
    )
    assert LearningItem.objects.count() == 2
    assert Import.objects.get().status == "done"


def test_undo_is_refused_after_24_hours(client, fellow, django_capture_on_commit_callbacks):
    batch = imported(client, fellow, django_capture_on_commit_callbacks, [learning_row("A")])
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=24, minutes=1)):
        sign_in(client, fellow)
        assert "Undo this import" not in client.get(batch.get_absolute_url()).content.decode()
        client.post(reverse("imports:undo", args=[batch.pk]))
    assert LearningItem.objects.count() == 1


def test_nobody_else_undoes_an_import(client, fellow, django_capture_on_commit_callbacks):
    batch = imported(client, fellow, django_capture_on_commit_callbacks, [learning_row("A")])
    client.logout()
    sign_in(client, person_with(Role.NATIONAL))
    assert client.post(reverse("imports:undo", args=[batch.pk])).status_code == 404
    assert LearningItem.objects.count() == 1
