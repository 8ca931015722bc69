"""Importing learning items: upload, the check and its messages, the preview, confirming, the
all-or-nothing save with its history, the log, and scope."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from imports.models import Import
from learning.models import LearningItem
from tests.imports.files import LEARNING_HEADERS, csv_file, learning_row, xlsx
from tests.roles import person_with, region, sign_in

pytestmark = pytest.mark.usefixtures("no_mfa_required")

# A valid NHS number (the check digit holds): 943 476 5919.
NHS_NUMBER = "943 476 5919"


@pytest.fixture
def fellow(db):
    return person_with(Role.FELLOW, "north")


def upload(client, file, kind="learning"):
    return client.post(reverse("imports:start"), {"kind": kind, "file": file})


def confirm(client, batch, capture):
    with capture(execute=True):
        return client.post(reverse("imports:confirm", args=[batch.pk]))


def test_a_fellow_imports_learning_items_checked_first_then_saved_with_history(
    client, fellow, django_capture_on_commit_callbacks
):
    sign_in(client, fellow)
    rows = [learning_row(f"Huddles after incidents {n}") for n in range(3)]
    response = upload(client, xlsx(LEARNING_HEADERS, rows, name="learning.xlsx"))
    batch = Import.objects.get()
    assert response.url == batch.get_absolute_url()
    assert (batch.status, batch.to_create, batch.error_count) == ("checked", 3, 0)
    assert LearningItem.objects.count() == 0  # nothing saved before confirming

    page = client.get(batch.get_absolute_url()).content.decode()
    assert "3 learning items will be created" in page
    assert "Huddles after incidents 2" in page
    assert "Patient Safety Syllabus: 2.1 → Domain 2 level 1" in page

    confirm(client, batch, django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.updated) == ("done", 3, 0)
    items = LearningItem.objects.order_by("title")
    assert [i.title for i in items] == [f"Huddles after incidents {n}" for n in range(3)]
    item = items[0]
    assert item.region == region("north")
    assert item.status == LearningItem.Status.DRAFT
    assert list(item.authors.all()) == [fellow]
    assert [(t.domain.number, t.level.number) for t in item.syllabus.all()] == [(2, 1)]
    entry = item.history.get()
    assert entry.history_user == fellow
    assert entry.history_change_reason == f"Imported from learning.xlsx, import {batch.pk}"
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "3 created, 0 updated" in page
    log = client.get(reverse("imports:start")).content.decode()
    assert "learning.xlsx" in log


def test_each_error_is_said_with_its_row_and_column_and_nothing_is_saved(
    client, fellow, django_capture_on_commit_callbacks
):
    sign_in(client, fellow)
    rows = [
        learning_row("A good row"),
        learning_row("An NHS number", summary=f"Patient {NHS_NUMBER} fell twice."),
        learning_row("", summary="No title"),
        learning_row("Odd type", kind="Gossip"),
        learning_row("Bad syllabus", syllabus="7.9"),
        learning_row("Long", summary="x" * 4_001),
        learning_row("Unknown region", region="Atlantis"),
    ]
    upload(client, xlsx(LEARNING_HEADERS, rows))
    batch = Import.objects.get()
    errors = batch.preview["errors"]
    assert "Row 3, Summary: contains an NHS number ending 5919; remove it" in errors
    assert "Row 4, Title: is empty: fill it in" in errors
    assert any(e.startswith("Row 5, Type: “Gossip” is not one of the choices") for e in errors)
    assert any(
        e.startswith("Row 6, Patient Safety Syllabus: “7.9” is not a syllabus") for e in errors
    )
    assert "Row 7, Summary: Summary must be 4,000 characters or fewer: this one has 4,001" in errors
    assert any(e.startswith("Row 8, Region: “Atlantis”") for e in errors)
    assert batch.error_count == 6
    # The number itself is never kept.
    assert "943" not in str(batch.preview)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Nothing can be imported until the file is corrected" in page
    assert 'id="confirm"' not in page
    confirm(client, batch, django_capture_on_commit_callbacks)
    assert LearningItem.objects.count() == 0
    assert Import.objects.get().status == "checked"


def test_long_text_from_real_reports_is_kept_whole_where_the_form_takes_it(
    client, fellow, django_capture_on_commit_callbacks
):
    sign_in(client, fellow)
    body = ("The coroner found that the escalation was delayed. " * 390)[:19_990].rstrip()
    upload(client, xlsx(LEARNING_HEADERS, [learning_row("Long body", body=body)]))
    confirm(client, Import.objects.get(), django_capture_on_commit_callbacks)
    assert LearningItem.objects.get().body == body


def test_a_row_in_another_region_is_refused_not_dropped(client, fellow):
    sign_in(client, fellow)
    upload(
        client,
        xlsx(LEARNING_HEADERS, [learning_row("Mine"), learning_row("Theirs", region="South")]),
    )
    batch = Import.objects.get()
    assert batch.error_count == 1
    assert batch.preview["errors"][0].startswith("Row 3, Region: you cannot import into South")


def test_formula_and_injection_payloads_are_stored_as_text(
    client, fellow, django_capture_on_commit_callbacks
):
    sign_in(client, fellow)
    payloads = ['=HYPERLINK("http://evil.example","x")', "+SUM(1,2)", "@cmd|' /C calc'!A0",
                'Line one\nLine "two" | three']  # fmt: skip
    rows = [learning_row(f"Payload {n}", summary=p) for n, p in enumerate(payloads)]
    upload(client, csv_file(LEARNING_HEADERS, rows))
    batch = Import.objects.get()
    assert batch.error_count == 0, batch.preview["errors"]
    confirm(client, batch, django_capture_on_commit_callbacks)
    saved = dict(LearningItem.objects.values_list("title", "summary"))
    assert [saved[f"Payload {n}"] for n in range(4)] == payloads


def test_a_formula_cell_of_a_workbook_is_read_as_its_value_never_worked_out(client, fellow):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(LEARNING_HEADERS)
    workbook.active.append(["=1+1", "Best practice", "Summary", "", "North", "", "", ""])
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    target = io.BytesIO()
    workbook.save(target)  # openpyxl saves no cached value: a formula read as nothing
    sign_in(client, fellow)
    upload(client, SimpleUploadedFile("f.xlsx", target.getvalue()))
    batch = Import.objects.get()
    assert batch.preview["errors"] == ["Row 2, Title: is empty: fill it in"]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp1252", False)]
)
def test_csv_in_each_encoding_excel_writes_is_read_correctly(
    client, fellow, encoding, bom, django_capture_on_commit_callbacks
):
    sign_in(client, fellow)
    title = "Café staff’s débrief – £5 plan"
    file = csv_file(LEARNING_HEADERS, [learning_row(title)], encoding=encoding)
    if bom:
        file = csv_file(LEARNING_HEADERS, [learning_row(title)], encoding="utf-8-sig")
    upload(client, file)
    confirm(client, Import.objects.get(), django_capture_on_commit_callbacks)
    assert LearningItem.objects.get().title == title


def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_name(client, fellow):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, fellow)
    for content in (b"%PDF-1.7 not a sheet", b"PK\x03\x04" + b"\x00" * 100, b"\x00\x01\x02"):
        response = upload(client, SimpleUploadedFile("records.xlsx", content))
        assert response.status_code == 200
        assert "is not an Excel workbook (XLSX) or a CSV file" in response.content.decode()
    assert Import.objects.count() == 0


def test_too_many_rows_and_too_many_bytes_are_refused(client, fellow, monkeypatch):
    from imports import reading

    sign_in(client, fellow)
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    upload(client, csv_file(LEARNING_HEADERS, [learning_row(f"Row {n}") for n in range(3)]))
    batch = Import.objects.get()
    assert "more than 2 rows" in batch.preview["file_error"]
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    response = upload(client, csv_file(LEARNING_HEADERS, [learning_row("x" * 200)]))
    assert "it must be 10 MB or smaller" in response.content.decode()


def test_an_error_found_only_when_saving_leaves_nothing_saved(
    client, fellow, django_capture_on_commit_callbacks, monkeypatch
):
    """All or nothing: a failure after most rows are saved takes them all back."""
    from imports import kinds

    sign_in(client, fellow)
    upload(client, xlsx(LEARNING_HEADERS, [learning_row(f"Item {n}") for n in range(5)]))
    original = kinds.LearningItems.save

    def fails_late(self, planned, *, by, reason):
        original(self, planned, by=by, reason=reason)
        assert LearningItem.objects.count() == 5
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(kinds.LearningItems, "save", fails_late)
    confirm(client, Import.objects.get(), django_capture_on_commit_callbacks)
    batch = Import.objects.get()
    assert batch.status == "failed"
    assert "Nothing was imported" in batch.message
    assert LearningItem.objects.count() == 0


def test_a_row_that_matches_an_editable_item_updates_it(
    client, fellow, django_capture_on_commit_callbacks
):
    from tests.learning.factories import LearningItemFactory

    existing = LearningItemFactory(created_by=fellow, title="Huddles", region=region("north"))
    sign_in(client, fellow)
    upload(client, xlsx(LEARNING_HEADERS, [learning_row("huddles", summary="A new summary.")]))
    batch = Import.objects.get()
    assert (batch.to_create, batch.to_update) == (0, 1)
    confirm(client, batch, django_capture_on_commit_callbacks)
    existing.refresh_from_db()
    assert existing.summary == "A new summary."
    assert existing.history.first().history_change_reason.startswith("Imported from")


def test_someone_elses_import_is_not_found(client, fellow):
    sign_in(client, fellow)
    upload(client, xlsx(LEARNING_HEADERS, [learning_row("Mine")]))
    batch = Import.objects.get()
    other = person_with(Role.FELLOW, "north")
    client.logout()
    sign_in(client, other)
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404


def test_an_nhs_number_is_refused_in_any_cell_mapped_or_not(client, fellow):
    sign_in(client, fellow)
    headers = [*LEARNING_HEADERS, "Our notes"]
    rows = [
        [*learning_row("In the region", region=NHS_NUMBER.replace(" ", "")), ""],
        [*learning_row("In the notes"), f"NHS number: {NHS_NUMBER}"],
        [*learning_row(f"Title {NHS_NUMBER}"), ""],
    ]
    upload(client, xlsx(headers, rows))
    batch = Import.objects.get()
    assert batch.preview["errors"] == [
        "Row 2, Region: contains an NHS number ending 5919; remove it",
        "Row 3, column 9: contains an NHS number ending 5919; remove it",
        "Row 4, Title: contains an NHS number ending 5919; remove it",
    ]
    assert "476" not in str(batch.preview)


@pytest.mark.parametrize("count", [2, 20])
def test_the_import_log_costs_the_same_queries_however_many_imports(
    client, fellow, count, django_assert_num_queries
):
    from django.core.files.base import ContentFile

    for n in range(count):
        made = Import(kind="learning", filename=f"file-{n}.csv", created_by=fellow)
        made.file.save(f"file-{n}.csv", ContentFile(b"Title\n"), save=False)
        made.save()
    sign_in(client, fellow)
    client.get(reverse("imports:start"))  # the session and scope, as on any later page
    with django_assert_num_queries(5):
        response = client.get(reverse("imports:start"))
    assert response.content.decode().count('">file-') == min(count, 20)


def test_a_file_whose_name_holds_an_nhs_number_is_refused(client, fellow):
    sign_in(client, fellow)
    response = upload(client, xlsx(LEARNING_HEADERS, [learning_row("A")], name="9434765919.xlsx"))
    assert "name contains an NHS number ending 5919: rename the file" in response.content.decode()
    assert Import.objects.count() == 0
