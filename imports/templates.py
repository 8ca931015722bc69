"""The template of each kind: an Excel workbook (or CSV) whose header row is the kind's
columns, with a sheet that says what goes in each."""

import csv
import io

import xlsxwriter


def template_xlsx(kind):
    target = io.BytesIO()
    workbook = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(kind.title[:31])
    for index, column in enumerate(kind.all_columns):
        sheet.write_string(0, index, column.header, bold)
        sheet.set_column(index, index, max(14, len(column.header) + 2))
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet("How to fill it")
    notes.write_string(0, 0, "Column", bold)
    notes.write_string(0, 1, "What goes in it", bold)
    notes.write_string(0, 2, "For example", bold)
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 90)
    notes.set_column(2, 2, 30)
    for row, column in enumerate(kind.all_columns, start=1):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, column.hint)
        notes.write_string(row, 2, column.example)
    notes.write_string(
        len(kind.all_columns) + 2,
        0,
        "Only the first sheet is imported. Do not include patient-identifiable information.",
    )
    workbook.close()
    return target.getvalue()


def template_csv(kind):
    target = io.StringIO()
    csv.writer(target).writerow([column.header for column in kind.all_columns])
    # With a byte order mark, Excel opens the file as UTF-8.
    return "\ufeff" + target.getvalue()
