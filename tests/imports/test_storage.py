"""An uploaded spreadsheet kept in the S3-compatible bucket, as in production: checked,
imported from the bucket by the task, and deleted from it seven days after the import."""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from imports import services
from imports.models import Import
from learning.models import LearningItem
from tests.imports.files import LEARNING_HEADERS, learning_row, xlsx
from tests.roles import person_with, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_mfa_required")]


def test_an_import_is_read_from_the_bucket_and_its_file_deleted_after_seven_days(
    client, db, files_in_s3, django_capture_on_commit_callbacks
):
    sign_in(client, person_with(Role.FELLOW, "north"))
    client.post(
        reverse("imports:start"),
        {
            "kind": "learning",
            "file": xlsx(LEARNING_HEADERS, [learning_row("A"), learning_row("B")]),
        },
    )
    batch = Import.objects.get()
    assert batch.status == "checked"
    assert files_in_s3.object_keys() == [batch.file.name]
    assert batch.file.name.startswith("imports/")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.created) == ("done", 2)
    assert LearningItem.objects.count() == 2

    services.imports_sweep(now=batch.finished_at + datetime.timedelta(days=7, seconds=1))
    assert files_in_s3.object_keys() == []
    batch.refresh_from_db()
    assert not batch.file
