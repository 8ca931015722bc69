"""Spreadsheets for the import tests, made as a person's spreadsheet program would."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(headers, rows, name="records.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    target = io.BytesIO()
    workbook.save(target)
    return SimpleUploadedFile(name, target.getvalue(), content_type=XLSX)


def csv_file(headers, rows, name="records.csv", encoding="utf-8"):
    target = io.StringIO()
    writer = csv.writer(target)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, target.getvalue().encode(encoding), content_type="text/csv")


LEARNING_HEADERS = ["Title", "Type", "Summary", "Body", "Region", "Themes",
                    "Patient Safety Syllabus", "PSIRF response type"]  # fmt: skip


def learning_row(title, summary="Staff recovered and learned after a huddle.", region="North",
                 kind="Best practice", syllabus="2.1", body=""):  # fmt: skip
    return [title, kind, summary, body, region, "", syllabus, ""]
