"""A report as files: an XLSX workbook ("About this report", the summary and one sheet per
section) and a ZIP of a README.txt and one CSV per section, each written row by row in
constant memory, with the header in the first row and numbers and dates as typed values, so a
program can read them, with a sheet per SPC chart in the workbook; and a board pack as an A4
PDF of bounded size (the figures, the SPC charts and the short lists a board acts on),
rendered from a Django template by WeasyPrint (tagged for screen readers, with a title and a
language).

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a
formula by Excel or LibreOffice: such cells are written as text in the workbook and with a
leading apostrophe in the CSV, which both programs show as text and never run.
"""

import csv
import datetime
import io
import zipfile
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from portal import spc
from reports.sections import DATE, NUMBER, plural

# A text cell beginning with one of these would be run as a formula.
FORMULA_STARTS = "=+-@\t\r"
BOM = "\ufeff"  # so Excel opens UTF-8 as UTF-8


def csv_moment(value, london=None):
    """A date-time as CSV text, in London time (the portal's TIME_ZONE)."""
    london = london or zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return value.astimezone(london).strftime("%Y-%m-%d %H:%M")


def title_of(report):
    return f"Quarterly report: {report.scope.name}, {report.quarter}"


def period_of(report):
    quarter = report.quarter
    return f"{quarter.starts_on:%-d %B %Y} to {quarter.ends_on:%-d %B %Y}"


def about_rows(report, made):
    """What the "About this report" sheet and README.txt say: the title, scope, quarter, when
    it was made, what the scope's records are, and what each sheet or file holds."""
    rows = [
        ("Title", title_of(report)),
        ("Scope", report.scope.name),
        ("Quarter", f"{report.quarter}, {period_of(report)}"),
        ("Made", timezone.localtime(made).strftime("%-d %B %Y at %H:%M")),
        ("Holds", "Counts and published learning, never patient-identifiable information."),
    ]
    rows += [(f"Counts: {part}", meaning) for part, meaning in report.scope.what_it_counts()]
    for number, section in enumerate(report.sections, start=1):
        rows.append((f"Sheet {section.sheet}; file {csv_name(number, section)}", section.counts))
    return rows


def spc_about_rows(charts):
    """The "About this report" rows for the SPC sheets, in the workbook only."""
    rows = [
        (
            "SPC sheets",
            "Each measure month by month as a statistical process control chart: the value, "
            "the mean and the process limits (the mean plus and minus 2.66 mean moving "
            "ranges, outliers screened), and which special-cause rules each month takes part "
            "in. The month under way is left out.",
        )
    ]
    for chart in charts:
        rows.append(
            (
                f"Sheet {chart.measure.sheet}",
                f"{chart.title} ({chart.measure.direction_label.lower()}). "
                f"{chart.measure.explained} {chart.summary}",
            )
        )
    return rows


SPC_COLUMNS = [
    ("Month", 12), ("Value", 10), ("Mean", 10), ("Lower process limit", 12),
    ("Upper process limit", 12), ("Beyond a limit", 10), ("Run on one side of the mean", 14),
    ("Run rising or falling", 12), ("2 of 3 near a limit", 12), ("Special cause", 14),
    ("Target", 10), ("Limits recalculated from here", 40),
]  # fmt: skip
SPC_KINDS = {spc.IMPROVING: "Improving", spc.CONCERNING: "Concerning", spc.SPECIAL: "Neither"}


def spc_rows(chart):
    """One row a month: typed values (a date, numbers, true or false, text)."""
    reasons = dict(chart.rebases)
    for month, point in zip(chart.months, chart.result.points, strict=True):
        yield [
            month.starts_on,
            point.value,
            round(point.mean, 3),
            round(point.lower, 3),
            round(point.upper, 3),
            spc.BEYOND in point.rules,
            spc.SHIFT in point.rules,
            spc.TREND in point.rules,
            spc.TWO_OF_THREE in point.rules,
            SPC_KINDS.get(point.kind, ""),
            chart.target,
            reasons.get(month, ""),
        ]


def csv_name(number, section):
    return f"{number:02d}-{section.slug}.csv"


# XLSX


def write_xlsx(report, target, *, progress=None, made=None):
    """Write the workbook to `target` (a path or a binary file). XlsxWriter's constant-memory
    mode writes each row as it comes, so a sheet of 200,000 rows takes no more memory than
    one of 20. `progress(done, total)` is told after each section."""
    made = made or timezone.now()
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties({"title": title_of(report), "author": "Patient safety fellows"})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#005EB8", "font_color": "#FFFFFF", "text_wrap": True}
    )
    date = workbook.add_format({"num_format": "d mmm yyyy"})
    moment = workbook.add_format({"num_format": "d mmm yyyy hh:mm"})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})

    about = workbook.add_worksheet("About this report")
    about.set_column(0, 0, 45)
    about.set_column(1, 1, 100)
    about.write_row(0, 0, ["About", "Detail"], header)
    about.freeze_panes(1, 0)
    charts = report.spc_charts()
    for number, (label, text) in enumerate(
        about_rows(report, made) + spc_about_rows(charts), start=1
    ):
        about.write_string(number, 0, label, wrapped)
        about.write_string(number, 1, text, wrapped)

    total = len(report.sections)
    for done, section in enumerate(report.sections, start=1):
        sheet = workbook.add_worksheet(section.sheet)
        for column, spec in enumerate(section.columns):
            sheet.set_column(column, column, spec.width)
            sheet.write_string(0, column, spec.heading, header)
        sheet.freeze_panes(1, 0)
        last = 0
        for number, row in enumerate(section.rows(), start=1):
            for column, (spec, value) in enumerate(zip(section.columns, row, strict=True)):
                _write_cell(sheet, number, column, spec, value, date, moment)
            last = number
        sheet.autofilter(0, 0, last, len(section.columns) - 1)
        if progress:
            progress(done, total)
    for chart in charts:
        sheet = workbook.add_worksheet(chart.measure.sheet)
        for column, (heading, width) in enumerate(SPC_COLUMNS):
            sheet.set_column(column, column, width)
            sheet.write_string(0, column, heading, header)
        sheet.freeze_panes(1, 0)
        last = 0
        for number, row in enumerate(spc_rows(chart), start=1):
            for column, value in enumerate(row):
                _write_cell(sheet, number, column, None, value, date, moment)
            last = number
        sheet.autofilter(0, 0, last, len(SPC_COLUMNS) - 1)
    workbook.close()


def _write_cell(sheet, row, column, spec, value, date, moment):
    if value is None or value == "":
        sheet.write_blank(row, column, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, column, timezone.localtime(value).replace(tzinfo=None), moment)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, datetime.datetime.combine(value, datetime.time()), date)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value))
    else:
        # write_string never makes a formula, whatever the text begins with.
        sheet.write_string(row, column, str(value))


# CSV in a ZIP


class _Pipe(io.RawIOBase):
    """A write-only file whose bytes are taken away as they are written: what the ZIP writer
    writes is streamed, never gathered."""

    def __init__(self):
        self.chunks = []
        self.position = 0

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def take(self):
        chunks, self.chunks = self.chunks, []
        return b"".join(chunks)


def csv_rows(section, rows):
    """The section's rows as the csv module should write them: text made inert, a moment in
    London time; numbers, dates and None (an empty cell) go as they are, which the csv module
    writes as numbers, ISO dates and nothing."""
    texts = [i for i, spec in enumerate(section.columns) if spec.kind not in (NUMBER, DATE)]
    moments = [i for i, spec in enumerate(section.columns) if spec.kind == DATE]
    london = zoneinfo.ZoneInfo(settings.TIME_ZONE)  # read once, not per cell
    for row in rows:
        row = list(row)
        for index in texts:
            value = row[index]
            if value.__class__ is str and value and value[0] in FORMULA_STARTS:
                row[index] = "'" + value
        for index in moments:
            value = row[index]
            if value.__class__ is datetime.datetime:
                row[index] = csv_moment(value, london)
        yield row


def write_csv(section, rows, out, *, batch=2000):
    """Write the header and `rows` as CSV to the text file `out`, `batch` rows at a time."""
    writer = csv.writer(out)
    writer.writerow([spec.heading for spec in section.columns])
    pending = []
    for row in csv_rows(section, rows):
        pending.append(row)
        if len(pending) >= batch:
            writer.writerows(pending)
            pending.clear()
            yield
    writer.writerows(pending)
    yield


def csv_zip_chunks(report, *, progress=None, made=None):
    """The ZIP of the report's README.txt and CSVs (one per section, UTF-8 with a BOM, the
    header in the first row), as chunks of bytes to stream to a browser or a file."""
    made = made or timezone.now()
    pipe = _Pipe()
    total = len(report.sections)
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        readme = "".join(f"{label}: {text}\n" for label, text in about_rows(report, made))
        archive.writestr("README.txt", readme.encode())
        for done, section in enumerate(report.sections, start=1):
            with archive.open(csv_name(done, section), "w", force_zip64=True) as member:
                member.write(BOM.encode())
                buffer = io.StringIO()
                for _batch in write_csv(section, section.rows(), buffer):
                    member.write(buffer.getvalue().encode())
                    buffer.seek(0)
                    buffer.truncate()
                    if len(pipe.chunks) > 64:
                        yield pipe.take()
            yield pipe.take()
            if progress:
                progress(done, total)
    yield pipe.take()


# PDF


def _figure(value, days=False):
    if value is None:
        return "None yet" if days else ""
    if isinstance(value, float | Decimal):
        value = f"{value:g}"
    return plural(float(value), "day") if days else value


@dataclass
class _Cell:
    text: str
    number: bool


def _pdf_cell(spec, value):
    if value is None:
        return _Cell("", False)
    if isinstance(value, datetime.datetime):
        return _Cell(f"{timezone.localtime(value):%-d %b %Y}", False)
    if isinstance(value, datetime.date):
        return _Cell(f"{value:%-d %b %Y}", False)
    if isinstance(value, Decimal | float):
        return _Cell(f"{value:g}", True)
    return _Cell(str(value), spec.kind == NUMBER)


def summary_table(report):
    """The summary's rows grouped under their section's title, each figure as the PDF shows
    it: medians in days ("1 day", "2.5 days")."""
    summary = report.sections[0]
    groups = []
    for title, label, *values in summary.rows():
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "rows": []})
        days = label.startswith("Median days")
        groups[-1]["rows"].append(
            {"label": label, "values": [_figure(value, days) for value in values]}
        )
    # Each column's heading is "who, quarter": in the PDF, who above the quarter.
    columns = [column.heading.rsplit(", ", 1) for column in summary.columns[2:]]
    return {"columns": columns, "groups": groups}


def write_pdf(report, target, *, progress=None, made=None):
    """Render the board pack to `target` (a path or a binary file): the figures beside the
    previous quarter's (and the region's and England's), the SPC charts, the short lists a
    board acts on, and what each part counts. Every list is cut to a few rows with how many
    more are in the workbook, so the pages and the time do not grow with the data."""
    import weasyprint  # imported here: it loads Pango, which only PDF exports need

    made = made or timezone.now()
    total = len(report.sections)
    summary = summary_table(report)
    if progress:
        progress(1, total)
    short_lists = []
    for short in report.short_lists():
        short_lists.append(
            {
                "list": short,
                "rows": [
                    [_pdf_cell(spec, v) for spec, v in zip(short.columns, row, strict=True)]
                    for row in short.rows
                ],
            }
        )
    if progress:
        progress(total // 2, total)
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "title": title_of(report),
            "period": period_of(report),
            "summary": summary,
            "headline": report.headline(),
            "short_lists": short_lists,
            "spc_charts": report.spc_charts(),
            "counts": report.scope.what_it_counts(),
            "sections": report.sections,
            "made": timezone.localtime(made),
        },
    )
    weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(target, pdf_tags=True)
    if progress:
        progress(total, total)
