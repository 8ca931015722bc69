"""Reading an uploaded spreadsheet into rows of text, whatever its name says.

An XLSX file is a ZIP holding `xl/workbook.xml`; anything else that is text is read as CSV, in
UTF-8 (with or without the byte order mark Excel writes) or else Windows-1252, the two
encodings Excel saves CSV in. Other files (PDFs, Word documents, images, other ZIPs) are
refused by their content. XLSX is read with openpyxl in read-only mode, a row at a time, with
the values Excel last worked out for formula cells (`data_only`): a formula is never
evaluated, and a cell whose text starts with "=" is kept as text.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000

_ZIP = b"PK\x03\x04"
# Bytes no text file holds: a file with them is not a CSV, whatever its name.
_BINARY = (b"\x00", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


class Unreadable(Exception):
    """The file cannot be imported; the message says why, for the person who sent it."""


@dataclass
class Table:
    """The header row's names and an iterator of (row number, [cell text]) for the rest."""

    headers: list
    rows: object
    format: str


def open_table(upload):
    """A Table for the uploaded file (any file-like object with its bytes), or Unreadable."""
    size = _size(upload)
    if size == 0:
        raise Unreadable("The file is empty")
    if size > MAX_BYTES:
        raise Unreadable(
            f"The file is {size / 1024 / 1024:.1f} MB: it must be 10 MB or smaller. "
            "Split it into smaller files and import each"
        )
    upload.seek(0)
    start = upload.read(8)
    upload.seek(0)
    if start.startswith(_ZIP):
        return _xlsx(upload)
    if any(start.startswith(signature) for signature in _BINARY):
        raise Unreadable(_NOT_A_SPREADSHEET)
    return _csv(upload.read())


_NOT_A_SPREADSHEET = (
    "The file is not an Excel workbook (XLSX) or a CSV file. Save it from your spreadsheet "
    "as “Excel Workbook (.xlsx)” or “CSV” and upload that"
)


def _size(upload):
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    return size


def _xlsx(upload):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(upload) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise Unreadable(_NOT_A_SPREADSHEET)
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise Unreadable(_NOT_A_SPREADSHEET) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        headers = [_text(value) for value in next(rows)]
    except StopIteration:
        raise Unreadable("The file has no header row") from None
    return Table(_trimmed(headers), _numbered([_text(v) for v in row] for row in rows), "xlsx")


def _csv(data):
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise Unreadable(_NOT_A_SPREADSHEET)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        raise Unreadable("The file has no header row") from None
    except csv.Error as error:
        raise Unreadable(f"The file could not be read as CSV: {error}") from None
    return Table(_trimmed(headers), _numbered(reader), "csv")


def _numbered(rows):
    """(spreadsheet row number, cells) for each row that is not empty, the header being row 1;
    refuses a file past MAX_ROWS."""
    for index, cells in enumerate(rows, start=2):
        if index - 1 > MAX_ROWS:
            raise Unreadable(
                f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files "
                "and import each"
            )
        if any((cell or "").strip() for cell in cells):
            yield index, cells


def _trimmed(headers):
    while headers and not (headers[-1] or "").strip():
        headers.pop()
    return [(header or "").strip() for header in headers]


def _text(value):
    """A cell's value as the text a person would type for it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
