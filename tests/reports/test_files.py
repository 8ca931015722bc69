"""The quarterly report's sections, against the hand-built set across quarter ends, and its
files: the workbook opened and checked cell by cell, the CSVs read back, formula injection
written as text in both, and queries that do not grow with the rows."""

import csv
import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.selectors import dashboard
from reports.files import BOM, csv_zip_chunks, write_pdf, write_xlsx
from reports.sections import Scope, report
from tests.fellows.factories import InitiativeFactory
from tests.quarter_data import Q1, build, published
from tests.roles import host_psc, region

INJECTIONS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
AWKWARD = 'Falls after a move, "the ward" said\non two lines'


@pytest.fixture
def hand_built(fellow):
    return build(fellow)


def rows_of(the_report, slug):
    section = next(s for s in the_report.sections if s.slug == slug)
    return list(section.rows())


def test_each_section_holds_the_quarters_rows_for_the_region(hand_built):
    north = report(Scope(region=region("north")), Q1)
    assert [row[3] for row in rows_of(north, "initiatives")] == ["Active"]
    initiative = rows_of(north, "initiatives")[0]
    assert (initiative[4], initiative[5]) == (3, 2)  # the IHI score then, and up 2.0 in Q1
    learning = rows_of(north, "learning")
    assert [row[1] for row in learning] == ["Best practice", "Learning from an investigation"]
    assert [row[4] for row in learning] == [2, 6]  # days from submission to publication
    assert len(rows_of(north, "investigations")) == 1
    groups = [row[4] for row in rows_of(north, "recommendations")]
    assert groups[0] == "Overdue at the quarter's end"  # overdue first
    assert sorted(groups) == sorted(
        [
            "Overdue at the quarter's end",
            "Open, not yet due",
            "Answered late in the quarter",
            "Answered on time in the quarter",
        ]
    )
    assert [(row[3], row[4]) for row in rows_of(north, "adoptions")] == [
        ("Considering", "Piloting")
    ]
    assert [row[4] for row in rows_of(north, "curriculum")] == ["Proposed"]
    assert [row[6] for row in rows_of(north, "training")] == [10]
    assert [row[4] for row in rows_of(north, "support")] == [8]


def test_the_nation_holds_every_regions_rows(hand_built):
    england = report(Scope(), Q1)
    assert len(rows_of(england, "learning")) == 3
    assert sum(row[6] for row in rows_of(england, "training")) == 15


def test_a_pscs_report_holds_its_own_initiatives_only(hand_built, fellow):
    InitiativeFactory(created_by=fellow, title="Hosted elsewhere", status="active")
    psc = host_psc("north")
    hosted = [row[0] for row in rows_of(report(Scope.of_psc(psc), Q1), "initiatives")]
    assert "Hosted elsewhere" not in hosted


def test_the_summary_is_the_dashboards_own_figures(hand_built):
    summary = rows_of(report(Scope(region=region("north")), Q1), "summary")
    mine = dashboard(Q1).of(region("north"))
    by_label = {row[1]: row for row in summary}
    assert by_label["Best practice"][2] == mine.learning["best_practice"]
    assert by_label["Training sessions held"][2] == 1
    assert by_label["Active"][2:4] == (1, 0)  # active at the end of Q1; none at the end of Q4
    assert by_label["Answered on time in the quarter"][4] == 1  # England's


def in_q1(fellow, titles):
    at = datetime.datetime(2026, 5, 12, 10, tzinfo=datetime.UTC)
    for title in titles:
        published(fellow, at, submitted=at - datetime.timedelta(days=3), title=title)


def test_the_workbook_has_a_title_header_frozen_panes_real_dates_numbers_and_inert_text(
    hand_built, fellow, tmp_path
):
    in_q1(fellow, INJECTIONS)
    path = tmp_path / "report.xlsx"
    write_xlsx(report(Scope(region=region("north")), Q1), str(path))

    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Summary", "Initiatives", "Learning published"]
    sheet = book["Learning published"]
    assert sheet["A1"].value == "Quarterly report: North, 2026/27 Q1"
    assert sheet["A2"].value == "Learning published, 1 April 2026 to 30 June 2026"
    assert [cell.value for cell in sheet[5]] == [
        "Title", "Type", "Region", "Published", "Days from submission"
    ]  # fmt: skip
    assert sheet["A5"].font.bold
    assert sheet.freeze_panes == "A6"
    rows = list(sheet.iter_rows(min_row=6))
    assert len(rows) == 2 + len(INJECTIONS)
    assert all(isinstance(row[3].value, datetime.datetime) for row in rows)
    assert all(isinstance(row[4].value, int | float) for row in rows)
    assert all(row[0].data_type == "s" for row in rows)  # text, never a formula
    titles = {row[0].value for row in rows}
    for payload in INJECTIONS[:4]:
        assert payload in titles
    assert sheet.column_dimensions["A"].width >= 50


def test_the_csvs_are_utf8_with_a_bom_and_keep_awkward_and_formula_like_text_as_text(
    hand_built, fellow
):
    in_q1(fellow, [*INJECTIONS, AWKWARD])
    data = b"".join(csv_zip_chunks(report(Scope(region=region("north")), Q1)))

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist()[:3] == ["01-summary.csv", "02-initiatives.csv", "03-learning.csv"]
    raw = archive.read("03-learning.csv").decode("utf-8")
    assert raw.startswith(BOM)
    rows = list(csv.reader(io.StringIO(raw[len(BOM) :], newline="")))
    assert rows[0] == ["Quarterly report: North, 2026/27 Q1"]
    assert rows[2][0] == "Title"
    titles = [row[0] for row in rows[3:]]
    assert AWKWARD in titles  # the comma, the quotes and the newline survive
    for payload in INJECTIONS:
        assert "'" + payload in titles
        assert payload not in titles


def _report_queries(rows):
    scope = Scope()
    cache.clear()  # the dashboard's figures, counted afresh each time
    with CaptureQueriesContext(connection) as queries:
        the_report = report(scope, Q1)
        write_xlsx(the_report, io.BytesIO())
        b"".join(csv_zip_chunks(the_report))
    return len(queries)


def test_a_report_takes_the_same_queries_for_few_and_many_rows(fellow):
    from tests.dashboards.test_dashboards import _rows

    def rows(count):
        _rows(fellow, count)
        # Initiatives hosted by a PSC of each region: the PSCs' names are read with them.
        for number in range(count):
            slug = ["north", "south", "midlands-east", "london-south-east"][number % 4]
            InitiativeFactory(created_by=fellow, region=region(slug), status="active")

    rows(1)
    few = _report_queries(1)
    rows(10)
    assert _report_queries(10) == few


@pytest.mark.slow
def test_the_pdf_has_a_cover_the_section_headings_a_known_figure_and_page_numbers(
    hand_built, fellow, tmp_path
):
    pypdf = pytest.importorskip("pypdf")
    path = tmp_path / "report.pdf"
    write_pdf(report(Scope.of_psc(host_psc("north")), Q1), str(path))

    document = pypdf.PdfReader(path)
    text = "\n".join(page.extract_text() for page in document.pages)
    assert "Quarterly report" in text
    assert host_psc("north").name in text
    assert "2026/27 Q1" in text and "1 April 2026 to 30 June 2026" in text
    for heading in ("Summary", "Initiatives", "Learning published", "Recommendations",
                    "Training delivered", "Support for staff affected by incidents"):  # fmt: skip
        assert heading in text
    assert "Median days to respond" in text or "105.5 days" in text
    assert f"Page 1 of {len(document.pages)}" in text.replace("\n", " ") or "Page 2 of" in text
    assert (
        document.metadata.title == f"Quarterly report: {host_psc('north').name}, North, 2026/27 Q1"
    )
    root = document.trailer["/Root"]
    assert root.get("/Lang") == "en-GB"
    assert "/StructTreeRoot" in root  # tagged for screen readers
    # Once, to look at: the pages as images (pdftoppm), when the machine has it.
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "50", str(path), str(SCREENSHOTS / "report")],  # noqa: S607
            check=True,
        )
