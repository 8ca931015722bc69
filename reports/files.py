"""A report as files: an XLSX workbook (a summary sheet and one sheet per section) and a ZIP
of one CSV per section, each written row by row in constant memory; and a board-ready A4 PDF,
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
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from reports.sections import DATE, NUMBER

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so Excel opens UTF-8 as UTF-8


def is_formula_like(text):
    return text.startswith(FORMULA_STARTS)


def csv_cell(value):
    """A cell as CSV text: dates in ISO form, London time; formula-like text made inert."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def title_of(report):
    return f"Quarterly report: {report.scope.name}, {report.quarter}"


def period_of(report):
    quarter = report.quarter
    return f"{quarter.starts_on:%-d %B %Y} to {quarter.ends_on:%-d %B %Y}"


# XLSX


def write_xlsx(report, target, *, progress=None):
    """Write the workbook to `target` (a path or a binary file). XlsxWriter's constant-memory
    mode writes each row as it comes, so a sheet of 200,000 rows takes no more memory than
    one of 20. `progress(done, total)` is told after each section."""
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties({"title": title_of(report), "author": "Patient safety fellows"})
    heading = workbook.add_format({"bold": True, "font_size": 14, "font_color": "#005EB8"})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#005EB8", "font_color": "#FFFFFF", "text_wrap": True}
    )
    date = workbook.add_format({"num_format": "d mmm yyyy"})
    moment = workbook.add_format({"num_format": "d mmm yyyy hh:mm"})
    total = len(report.sections)
    for done, section in enumerate(report.sections, start=1):
        sheet = workbook.add_worksheet(section.title[:31])
        sheet.write_string(0, 0, title_of(report), heading)
        sheet.write_string(1, 0, f"{section.title}, {period_of(report)}")
        if section.note:
            sheet.write_string(2, 0, section.note)
        top = 4
        for column, spec in enumerate(section.columns):
            sheet.set_column(column, column, spec.width)
            sheet.write_string(top, column, spec.heading, header)
        sheet.freeze_panes(top + 1, 0)
        for number, row in enumerate(section.rows(), start=top + 1):
            for column, (spec, value) in enumerate(zip(section.columns, row, strict=True)):
                _write_cell(sheet, number, column, spec, value, date, moment)
        if progress:
            progress(done, total)
    workbook.close()


def _write_cell(sheet, row, column, spec, value, date, moment):
    if value is None or value == "":
        sheet.write_blank(row, column, None)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, column, timezone.localtime(value).replace(tzinfo=None), moment)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, datetime.datetime.combine(value, datetime.time()), date)
    elif spec.kind in (NUMBER, DATE) or isinstance(value, int | float | Decimal):
        if isinstance(value, int | float | Decimal):
            sheet.write_number(row, column, float(value))
        else:  # a figure that is words ("None yet", "12 days") in a column of numbers
            sheet.write_string(row, column, str(value))
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


class _Line:
    def write(self, text):
        return text


def csv_zip_chunks(report, *, progress=None):
    """The ZIP of the report's CSVs (one per section, UTF-8 with a BOM), as chunks of bytes to
    stream to a browser or a file."""
    pipe = _Pipe()
    lines = csv.writer(_Line())
    total = len(report.sections)
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, section in enumerate(report.sections, start=1):
            name = f"{done:02d}-{section.slug}.csv"
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(BOM.encode())
                member.write(lines.writerow([title_of(report)]).encode())
                member.write(lines.writerow([f"{section.title}, {period_of(report)}"]).encode())
                member.write(
                    lines.writerow([csv_cell(c.heading) for c in section.columns]).encode()
                )
                for row in section.rows():
                    member.write(lines.writerow([csv_cell(value) for value in row]).encode())
                    if len(pipe.chunks) > 64:
                        yield pipe.take()
            yield pipe.take()
            if progress:
                progress(done, total)
    yield pipe.take()


# PDF


@dataclass
class _Cell:
    text: str
    number: bool


def _pdf_cell(spec, value):
    if value is None:
        return _Cell("", False)
    if isinstance(value, datetime.datetime):
        return _Cell(f"{timezone.localtime(value):%-d %b %Y %H:%M}", False)
    if isinstance(value, datetime.date):
        return _Cell(f"{value:%-d %b %Y}", False)
    if isinstance(value, Decimal):
        return _Cell(f"{value:g}", True)
    return _Cell(str(value), spec.kind == NUMBER)


def write_pdf(report, target, *, progress=None):
    """Render the report to `target` (a path or a binary file) as A4 pages, the summary with
    the dashboard's trend charts."""
    import weasyprint  # imported here: it loads Pango, which only PDF exports need

    total = len(report.sections)
    sections = []
    for done, section in enumerate(report.sections, start=1):
        rows = [
            [_pdf_cell(spec, value) for spec, value in zip(section.columns, row, strict=True)]
            for row in section.rows()
        ]
        sections.append(
            {"title": section.title, "note": section.note, "columns": section.columns, "rows": rows}
        )
        if progress and done < total:  # the last is done when the pages are
            progress(done, total)
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "title": title_of(report),
            "period": period_of(report),
            "sections": sections,
            "charts": report.charts(),
            "made": timezone.localdate(),
        },
    )
    weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(target, pdf_tags=True)
    if progress:
        progress(total, total)
