"""Mapping a person's own columns to the portal's fields, remembered per person and kind."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from imports.models import ColumnMapping, Import
from tests.imports.files import xlsx
from tests.roles import person_with, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")

OWN = ["Name", "Category", "Short summary", "Area", "Notes"]
ROW = ["Huddles", "Best practice", "A huddle helped.", "North", "kept by me"]


def test_own_columns_are_mapped_once_and_remembered_for_the_next_file(client, db):
    fellow = person_with(Role.FELLOW, "north")
    sign_in(client, fellow)
    client.post(reverse("imports:start"), {"kind": "learning", "file": xlsx(OWN, [ROW])})
    first = Import.objects.get()
    assert first.preview["file_error"] == (
        "The file has no column for Title, Type, Summary, Region. Use the template's headers, "
        "or choose which of your columns holds each"
    )
    page = client.get(reverse("imports:columns", args=[first.pk]))
    assert page.status_code == 200
    assert "Do not import this column" in page.content.decode()

    # Two columns for one field is refused next to the second.
    twice = client.post(
        reverse("imports:columns", args=[first.pk]),
        {"column_0": "title", "column_1": "title"},
    )
    assert "Name already holds this field: choose one column for it" in twice.content.decode()

    response = client.post(
        reverse("imports:columns", args=[first.pk]),
        {"column_0": "title", "column_1": "kind", "column_2": "summary", "column_3": "region"},
    )
    checked = Import.objects.get()
    assert response.url == checked.get_absolute_url()
    assert (checked.error_count, checked.to_create) == (0, 1)
    assert checked.preview["unused"] == ["Notes"]
    assert ColumnMapping.objects.get(user=fellow, kind="learning").mapping == {
        "Name": "title", "Category": "kind", "Short summary": "summary", "Area": "region",
    }  # fmt: skip

    client.post(reverse("imports:start"), {"kind": "learning", "file": xlsx(OWN, [ROW])})
    assert Import.objects.order_by("pk").last().error_count == 0
    # Someone else starts from the template's names.
    client.logout()
    sign_in(client, person_with(Role.FELLOW, "north"))
    client.post(reverse("imports:start"), {"kind": "learning", "file": xlsx(OWN, [ROW])})
    assert Import.objects.order_by("pk").last().preview["file_error"]
