"""A PSC chair makes the board's quarterly report in a real browser, with the demo accounts
and data: picks 2025/26 Q3, asks for the PDF, sees it finish, downloads it, then the XLSX.
The report pages are checked for WCAG 2.2 AA."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in


@pytest.fixture
def demo(reference_data, settings, tmp_path):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


def ask_for(page, quarter, format_label):
    page.get_by_label("NHS financial quarter").select_option(value=quarter)
    page.get_by_label(format_label).check()
    page.get_by_role("button", name="Make the report").click()


def test_a_chair_makes_the_boards_report_as_a_pdf_and_a_workbook(page, demo):
    sign_in(page, "chair.north@example.org", DEMO_PASSWORD, totp_secret=None)
    page.get_by_role("link", name="Make the quarterly report for your board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly reports")
    check_accessibility(page)
    screenshot(page, "reports-request")

    # Nothing chosen: each answer it needs is asked for next to its field.
    page.get_by_role("button", name="Make the report").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a format")
    check_accessibility(page)

    ask_for(page, "2025/26 Q3", "PDF, for a board")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025/26 Q3")
    expect(page.locator("#report-status")).to_have_text("Ready", timeout=60_000)
    check_accessibility(page)
    screenshot(page, "report-ready")
    with page.expect_download() as pdf:
        page.get_by_role("link", name=re.compile("Download the report")).click()
    assert pdf.value.suggested_filename.endswith("-2025-26-q3.pdf")
    assert pdf.value.path().read_bytes()[:5] == b"%PDF-"

    page.get_by_role("link", name="Quarterly reports").click()
    expect(page.locator("#recent-reports")).to_contain_text("2025/26 Q3")
    ask_for(page, "2025/26 Q3", "Excel workbook (XLSX)")
    expect(page.locator("#report-status")).to_have_text("Ready", timeout=60_000)
    with page.expect_download() as workbook:
        page.get_by_role("link", name=re.compile("Download the report")).click()
    assert workbook.value.suggested_filename.endswith(".xlsx")
    assert workbook.value.path().read_bytes()[:2] == b"PK"
