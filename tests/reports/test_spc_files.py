"""The board pack's SPC charts and the workbook's SPC sheets: the PDF's text carries each
chart's summary, and each sheet read back holds the series, mean, limits and flags as typed
columns."""

import datetime

import openpyxl
import pytest

from accounts.roles import Role
from dashboards import measures as m
from dashboards.models import Target
from portal.months import Month
from portal.quarters import Quarter
from reports.files import SPC_COLUMNS, write_pdf, write_xlsx
from reports.sections import Scope, report
from tests.quarter_data import london, published
from tests.roles import person_with, region

pytestmark = pytest.mark.django_db


def _a_faster_year(fellow):
    """20 whole months of the north's learning, the last 8 published faster."""
    months = Month.last_complete().last(20)
    for index, month in enumerate(months):
        days = [20, 22][index % 2] if index < 12 else [10, 11][index % 2]
        at = london(month.year, month.number, 28, 12)
        published(fellow, at, submitted=at - datetime.timedelta(days=days))
    return months


def test_the_workbook_has_a_typed_sheet_for_each_measure(fellow, tmp_path):
    months = _a_faster_year(fellow)
    Target.objects.create(measure=m.DAYS_TO_PUBLISH, value=30, set_by=person_with(Role.NATIONAL))
    path = tmp_path / "report.xlsx"
    write_xlsx(report(Scope(region=region("north")), Quarter.current()), str(path))

    book = openpyxl.load_workbook(path)
    for measure in m.MEASURES.values():
        assert len(measure.sheet) <= 31 and measure.sheet in book.sheetnames
    sheet = book["SPC days to publish"]
    assert [cell.value for cell in sheet[1]] == [heading for heading, _width in SPC_COLUMNS]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[0].date() for row in rows] == [month.starts_on for month in months]
    assert [row[1] for row in rows[:3]] == [20, 22, 20]
    assert {row[2] for row in rows} == {16.8}  # the mean, a number
    assert all(isinstance(row[3], float) and isinstance(row[4], float) for row in rows)
    assert rows[1][5] is True and rows[0][5] is False  # 22 is beyond the upper limit
    assert [row[6] for row in rows] == [True] * 20  # 12 above the mean, then 8 below
    assert rows[-1][9] == "Improving" and rows[0][9] == "Concerning"
    assert {row[10] for row in rows} == {30}
    about = {row[0].value: row[1].value for row in book["About this report"].iter_rows(min_row=2)}
    assert about["Sheet SPC days to publish"].endswith(
        f"Special cause improving: 8 months below the mean since {months[12]}. "
        "Consistently passing the target: the target of 30 days is beyond the process limits "
        "on the good side, so every month can be expected to meet it."
    )


@pytest.mark.slow
def test_the_board_pack_carries_each_measures_chart_with_its_summary(fellow, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    months = _a_faster_year(fellow)
    path = tmp_path / "report.pdf"
    write_pdf(report(Scope(region=region("north")), Quarter.current()), str(path))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).replace("\n", " ")
    assert "Month by month: statistical process control charts" in text
    assert "Trends over the last eight quarters" not in text
    for measure in m.MEASURES.values():
        assert measure.title in text
    assert "Special cause improving, low" in text
    assert f"Special cause improving: 8 months below the mean since {months[12]}." in text
