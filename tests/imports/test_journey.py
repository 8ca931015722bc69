"""A safety fellow imports learning in a real browser with the demo accounts: downloads the
learning template, uploads it with three good rows and one with an NHS number, sees the error
next to its row, fixes the file (the row goes), imports it and finds the three items among
their learning. Then a
recommendation naming one trust by its ODS code and another by its former name. The import
pages are checked for WCAG 2.2 AA."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from regions.models import OrganisationName
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.regions.factories import trust

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def demo(reference_data, settings, tmp_path):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


def filled(template_path, rows, target):
    workbook = load_workbook(io.BytesIO(Path(template_path).read_bytes()))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    workbook.save(target)
    return target


def learning(title, summary):
    return {"Title": title, "Type": "Best practice", "Summary": summary, "Region": "North",
            "Patient Safety Syllabus": "2.1"}  # fmt: skip


def upload(page, kind_label, path):
    page.get_by_label(kind_label).check()
    page.get_by_label("Upload a file").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()


def test_a_fellow_imports_learning_fixing_an_nhs_number_first(page, demo, tmp_path):
    sign_in(page, "fellow.north@example.org", DEMO_PASSWORD, totp_secret=None)
    page.get_by_role("link", name="Import", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import records from a spreadsheet")
    check_accessibility(page)
    screenshot(page, "imports-start")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel template for learning items").click()
    template = download.value.path()

    good = [
        learning(f"Tea trolley safety huddle {n}", "Staff met for ten minutes.") for n in (1, 2, 3)
    ]
    bad = learning("Tea trolley safety huddle 4", "The patient, NHS number 943 476 5919, fell.")
    upload(page, "Learning items", filled(template, [*good, bad], tmp_path / "first.xlsx"))
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Row 5, Summary: contains an NHS number ending 5919; remove it")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "imports-errors")

    page.get_by_role("link", name="Upload another file").click()
    # Fixed: the row that named a patient is taken out of the file.
    upload(page, "Learning items", filled(template, good, tmp_path / "fixed.xlsx"))
    expect(page.locator("#import-plan")).to_have_text(
        "3 learning items will be created and 0 updated."
    )
    expect(page.locator("#import-rows")).to_contain_text("2.1 → Domain 2 level 1")
    check_accessibility(page)
    screenshot(page, "imports-preview")

    page.get_by_role("button", name="Import 3 records").click()
    expect(page.locator("#import-status")).to_have_text("Imported", timeout=60_000)
    expect(page.locator("#import-result")).to_contain_text("3 created, 0 updated")
    check_accessibility(page)
    screenshot(page, "imports-done")

    # Imported learning starts as a draft, as typed learning does: search finds it among the
    # fellow's own learning in progress, listed above the published results.
    page.get_by_role("link", name="Search", exact=True).first.click()
    page.get_by_label("Search for").fill("tea trolley huddle")
    page.get_by_role("button", name="Search").click()
    found = page.locator("#in-progress-matches")
    for n in (1, 2, 3):
        expect(found.get_by_role("link", name=f"Tea trolley safety huddle {n}")).to_be_visible()
    check_accessibility(page)


def test_a_recommendation_names_a_trust_by_its_ods_code_and_another_by_its_former_name(
    page, demo, tmp_path
):
    trust("RR8", "Leeds Teaching Hospitals NHS Trust", slug="leeds")
    york = trust("RCB", "York and Scarborough Teaching Hospitals NHS Foundation Trust", slug="york")
    OrganisationName.objects.create(
        organisation=york,
        name="York Teaching Hospital NHS Foundation Trust",
        used_until=datetime.date(2021, 7, 31),
    )
    sign_in(page, "fellow.north@example.org", DEMO_PASSWORD, totp_secret=None)
    page.goto("/imports/")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Excel template for recommendations with their responses"
        ).click()
    row = {
        "Reference": "FR/2026/01",
        "Type": "Safety fellow's recommendation",
        "Recommendation": "Every trust in the region adopts the night handover checklist.",
        "Addressed to": "RR8; York Teaching Hospital NHS FT",
        "Region": "North",
        "Date made": "02/03/2026",
    }
    upload(page, "Recommendations with their responses",
           filled(download.value.path(), [row], tmp_path / "recs.xlsx"))  # fmt: skip
    rows = page.locator("#import-rows")
    expect(rows).to_contain_text("RR8 → Leeds Teaching Hospitals NHS Trust (by ODS code)")
    expect(rows).to_contain_text(
        "York Teaching Hospital NHS FT → York and Scarborough Teaching Hospitals NHS Foundation "
        "Trust (by former name)"
    )
    check_accessibility(page)
    screenshot(page, "imports-recommendations-preview")
    page.get_by_role("button", name="Import 2 records").click()
    expect(page.locator("#import-result")).to_contain_text("2 created", timeout=60_000)
