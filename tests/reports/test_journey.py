"""A PSC chair makes the board's quarterly report in a real browser, with the demo accounts
and data, as in `make run`: the report is queued as a file (TASK_QUEUE_DIR) and made by a
Celery worker beside the server, so the chair picks 2025/26 Q3, asks for the PDF, sees it
waiting or being made, then ready, downloads it and gets the email; then the XLSX. The report
pages are checked for WCAG 2.2 AA."""

import io
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from config.celery_app import app as celery_app
from tests.accounts.factories import DEMO_PASSWORD
from tests.browser import check_accessibility, screenshot, sign_in
from tests.digests.test_worker import ROOT, _env, wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def demo(reference_data, settings, tmp_path):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def make_runs_worker(demo, tmp_path, monkeypatch, settings):
    """The server (the live server, in this process) queues tasks as files, as `make run`'s
    does, and a worker process takes them from there."""
    queue = tmp_path / "tasks"
    folders = {
        "data_folder_in": str(queue / "messages"),
        "data_folder_out": str(queue / "messages"),
        "control_folder": str(queue / "control"),
        "processed_folder": str(queue / "processed"),
        "store_processed": False,
    }
    for folder in ("messages", "control", "processed"):
        (queue / folder).mkdir(parents=True)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "filesystem://")
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", folders)
    # Celery keeps its connections once made: let it make them again, to the folder.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    mail_dir = tmp_path / "var" / "mail"
    mail_dir.mkdir(parents=True)
    settings.MEDIA_ROOT = tmp_path / "var" / "media"  # where the worker saves the file
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1"]
    command += ["--without-gossip", "--without-mingle", "--loglevel=INFO"]
    env = _env(mail_dir, REDIS_URL="", TASK_QUEUE_DIR=str(queue))
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    yield mail_dir
    worker.terminate()
    worker.wait(timeout=30)
    monkeypatch.undo()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def emails_to(mail_dir, address):
    return [
        path
        for path in mail_dir.glob("*.log")
        if "quarterly report is ready" in path.read_text() and address in path.read_text()
    ]


def until_ready(page, seconds=120):
    """Check progress, as the chair would, until the report is ready."""
    for _ in range(seconds):
        if page.locator("#report-status").inner_text() == "Ready":
            return
        page.wait_for_timeout(1000)
        page.get_by_role("link", name="Check progress").click()
    expect(page.locator("#report-status")).to_have_text("Ready")


def ask_for(page, quarter, format_label):
    page.get_by_label("NHS financial quarter").select_option(value=quarter)
    page.get_by_label(format_label).check()
    page.get_by_role("button", name="Make the report").click()


def test_a_chair_makes_the_boards_report_as_a_pdf_and_a_workbook(page, make_runs_worker):
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
    # The page answers at once, while the worker has the report still to make.
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025/26 Q3")
    expect(page.locator("#report-status")).to_have_text(re.compile("Waiting to start|Being made"))
    expect(page.locator("#report-progress")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "report-under-way")
    until_ready(page)
    check_accessibility(page)
    screenshot(page, "report-ready")
    wait_for(lambda: emails_to(make_runs_worker, "chair.north@example.org"), 60, "the email")
    with page.expect_download() as pdf:
        page.get_by_role("link", name=re.compile("Download the report")).click()
    assert pdf.value.suggested_filename.endswith("-2025-26-q3.pdf")
    assert pdf.value.path().read_bytes()[:5] == b"%PDF-"

    page.get_by_role("link", name="Quarterly reports").click()
    expect(page.locator("#recent-reports")).to_contain_text("2025/26 Q3")
    ask_for(page, "2025/26 Q3", "Excel workbook (XLSX)")
    until_ready(page)
    with page.expect_download() as workbook:
        page.get_by_role("link", name=re.compile("Download the report")).click()
    assert workbook.value.suggested_filename.endswith(".xlsx")
    assert workbook.value.path().read_bytes()[:2] == b"PK"
