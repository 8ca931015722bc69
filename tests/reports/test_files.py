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

from dashboards.measures import MEASURES
from dashboards.selectors import dashboard
from portal.quarters import Quarter
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
    # The north's adoption, piloting since 1 April, which it moved to from considering.
    assert [(row[3], row[4], row[5]) for row in rows_of(north, "adoptions")] == [
        ("Piloting", datetime.date(2026, 4, 1), "Considering")
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


def test_every_sheet_has_its_header_in_row_1_typed_numbers_and_dates_and_inert_text(
    hand_built, fellow, tmp_path
):
    in_q1(fellow, INJECTIONS)
    path = tmp_path / "report.xlsx"
    the_report = report(Scope(region=region("north")), Q1)
    write_xlsx(the_report, str(path))

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["About this report"] + [s.sheet for s in the_report.sections] + [
        measure.sheet for measure in MEASURES.values()
    ]
    for sheet_name in book.sheetnames:
        sheet = book[sheet_name]
        assert sheet["A1"].font.bold and sheet.freeze_panes == "A2", sheet_name
        assert all(isinstance(cell.value, str) for cell in sheet[1]), sheet_name
    sheet = book["Learning published"]
    assert [cell.value for cell in sheet[1]] == [
        "Title", "Type", "Region", "Published", "Days from submission"
    ]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 2 + len(INJECTIONS)
    assert all(isinstance(row[3].value, datetime.datetime) for row in rows)
    assert all(isinstance(row[4].value, int | float) for row in rows)
    assert all(row[0].data_type == "s" for row in rows)  # text, never a formula
    titles = {row[0].value for row in rows}
    for payload in INJECTIONS[:4]:
        assert payload in titles
    assert sheet.column_dimensions["A"].width >= 50

    # The summary's medians are numbers of days, not words.
    summary = {row[1].value: row for row in book["Summary"].iter_rows(min_row=2)}
    median = summary["Median days from submission to publication"]
    assert [cell.value for cell in median[2:]] == [3, 10, 3]  # the north's Q1 and Q4, England's
    assert [cell.value for cell in book["Summary"][1]][2:] == [
        "North, 2026/27 Q1", "North, 2025/26 Q4", "England, 2026/27 Q1"
    ]  # fmt: skip


def test_sheet_names_are_whole_words_within_excels_31_characters(hand_built):
    the_report = report(Scope.of_psc(host_psc("north")), Q1)
    for section in the_report.sections:
        assert len(section.sheet) <= 31
        assert section.title.startswith(section.sheet) or section.sheet == "Staff support"
        words = section.title.split()
        assert section.sheet.split() == words[: len(section.sheet.split())] or (
            section.sheet == "Staff support"
        )


def test_the_about_sheet_and_readme_give_title_scope_quarter_when_and_each_file(
    hand_built, tmp_path
):
    made = datetime.datetime(2026, 7, 2, 9, 30, tzinfo=datetime.UTC)
    the_report = report(Scope.of_psc(host_psc("north")), Q1)
    path = tmp_path / "report.xlsx"
    write_xlsx(the_report, str(path), made=made)
    about = {
        row[0].value: row[1].value
        for row in openpyxl.load_workbook(path)["About this report"].iter_rows(min_row=2)
    }
    name = host_psc("north").name
    assert about["Title"] == f"Quarterly report: {name}, North, 2026/27 Q1"
    assert about["Scope"] == f"{name}, North"
    assert about["Quarter"] == "2026/27 Q1, 1 April 2026 to 30 June 2026"
    assert about["Made"] == "2 July 2026 at 10:30"  # London time
    assert "initiatives the PSC hosts" in about["Counts: Initiatives"]
    assert "Every adoption begun" in about["Sheet Adoptions; file 06-adoptions.csv"]

    archive = zipfile.ZipFile(io.BytesIO(b"".join(csv_zip_chunks(the_report, made=made))))
    readme = archive.read("README.txt").decode()
    assert f"Title: Quarterly report: {name}, North, 2026/27 Q1" in readme
    assert "Made: 2 July 2026 at 10:30" in readme
    for number, section in enumerate(the_report.sections, start=1):
        assert f"file {number:02d}-{section.slug}.csv: {section.counts}" in readme


def test_every_csv_has_its_header_first_numbers_dates_and_inert_text(hand_built, fellow):
    in_q1(fellow, [*INJECTIONS, AWKWARD])
    the_report = report(Scope(region=region("north")), Q1)
    data = b"".join(csv_zip_chunks(the_report))

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["README.txt"] + [
        f"{n:02d}-{s.slug}.csv" for n, s in enumerate(the_report.sections, start=1)
    ]
    for number, section in enumerate(the_report.sections, start=1):
        raw = archive.read(f"{number:02d}-{section.slug}.csv").decode("utf-8")
        assert raw.startswith(BOM)
        rows = list(csv.reader(io.StringIO(raw[len(BOM) :], newline="")))
        assert rows[0] == [column.heading for column in section.columns], section.slug
    raw = archive.read("03-learning.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw[len(BOM) :], newline="")))
    titles = [row[0] for row in rows[1:]]
    assert AWKWARD in titles  # the comma, the quotes and the newline survive
    for payload in INJECTIONS:  # the fast path keeps the guard
        assert "'" + payload in titles
        assert payload not in titles
    for row in rows[1:]:
        datetime.datetime.strptime(row[3], "%Y-%m-%d %H:%M")  # a date a program reads
        int(row[4])  # days as a number, the unit in the header
    summary = list(csv.reader(io.StringIO(archive.read("01-summary.csv").decode()[1:])))
    median = next(row for row in summary if row[1].startswith("Median days from submission"))
    assert median[2:] == ["3", "10", "3"]
    recommendations = list(
        csv.reader(io.StringIO(archive.read("05-recommendations.csv").decode()[1:]))
    )
    assert all(row[6] == "" or datetime.date.fromisoformat(row[6]) for row in recommendations[1:])


def _report_queries(rows):
    scope = Scope()

    def made():
        the_report = report(scope, Q1)
        write_xlsx(the_report, io.BytesIO())
        b"".join(csv_zip_chunks(the_report))

    made()  # the closed quarters and months, counted once and kept (docs/adr/0042)
    cache.clear()  # the dashboard's figures, counted afresh each time
    with CaptureQueriesContext(connection) as queries:
        made()
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
    # Once, to look at: the pages as images (pdftoppm), when the machine has it.
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "70", str(path), str(SCREENSHOTS / "report")],  # noqa: S607
            check=True,
        )

    document = pypdf.PdfReader(path)
    text = "\n".join(page.extract_text() for page in document.pages)
    assert "Quarterly report" in text
    assert host_psc("north").name in text
    assert "2026/27 Q1" in text and "1 April 2026 to 30 June 2026" in text
    headings = [
        "The quarter's figures", "Month by month: statistical process control charts",
        "What a board acts on",
        "Recommendations overdue at the quarter's end", "Initiatives off track",
        "Learning waiting longest for review", "Most adopted initiatives and learning",
        "What this report counts",
    ]  # fmt: skip
    for heading in headings:
        assert heading in text
    assert "initiatives the PSC hosts" in text.replace("\n", " ")
    assert "Median days to respond" in text.replace("\n", " ")
    assert "4 days" in text  # the north PSC's median days to publish, in words
    assert f"Page 1 of {len(document.pages)}" in text.replace("\n", " ") or "Page 2 of" in text
    assert (
        document.metadata.title == f"Quarterly report: {host_psc('north').name}, North, 2026/27 Q1"
    )
    root = document.trailer["/Root"]
    assert root.get("/Lang") == "en-GB"
    assert "/StructTreeRoot" in root  # tagged for screen readers


def _pages(tmp_path, name):
    pypdf = pytest.importorskip("pypdf")
    path = tmp_path / name
    # The closed quarters and months, counted once and kept (docs/adr/0042).
    write_pdf(report(Scope(), Quarter.current()), str(tmp_path / f"warm-{name}"))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        write_pdf(report(Scope(), Quarter.current()), str(path))
    return len(pypdf.PdfReader(path).pages), len(queries)


@pytest.mark.slow
def test_the_pdf_has_as_many_pages_and_queries_for_ten_times_the_records(fellow, tmp_path):
    from tests.dashboards.test_dashboards import _rows

    # Past the short lists' length (10 rows each), and then ten times as many.
    _rows(fellow, 11)
    few = _pages(tmp_path, "few.pdf")
    _rows(fellow, 99)
    assert _pages(tmp_path, "many.pdf") == few
    assert few[0] <= 5


@pytest.mark.slow
def test_the_pdf_opens_with_the_dashboards_headline_figures(hand_built, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    the_report = report(Scope(region=region("north")), Q1)
    mine = dashboard(Q1).of(region("north"))
    cards = {card.key: card for card in the_report.headline()}
    assert cards["published"].value == mine.learning_total
    assert cards["overdue"].value == mine.recommendations["overdue"]
    assert cards["trained"].value == mine.people_trained
    path = tmp_path / "report.pdf"
    write_pdf(the_report, str(path))

    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)

    assert text.index("At a glance") < text.index("The quarter's figures")
    glance = text[text.index("At a glance") : text.index("The quarter's figures")]
    for card in cards.values():
        assert card.label in glance.replace("\n", " ")
    assert "England:" in glance
