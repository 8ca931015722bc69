"""Benchmark: importing 20,000 learning items from an XLSX file, against the ORM's bare
bulk_create of the same rows.

    uv run python bench/imports.py [--rows 20000] [--repeat 3]

Needs PostgreSQL: it creates a scratch database (BENCH_DATABASE, `portal_bench_imports` by
default, on 127.0.0.1 as postgres, dropped and made again: never name a real one) and writes
an XLSX file of --rows learning items for a north safety fellow. Then, taking turns in one
run, --repeat times each: the import as the portal runs it (the file read and every row
checked by the learning item form, then saved with its history, its authors and syllabus
links and the import's own record of what it made) and the bare insert (the same rows as
LearningItem objects, bulk_create in batches of 1,000, nothing else). Each save is rolled
back, so every turn starts from the same database. Prints the median times, the ratio of
the whole import to the bare insert (the goal: at most 5), and the peak memory of each (with
tracemalloc, in a separate turn, as it slows what it watches), for a quarter of the rows and
for all of them, so a per-row figure that stays the same shows memory growing with the rows
only by a constant per row.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = os.environ.get("BENCH_DATABASE", "portal_bench_imports")
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
os.environ.pop("REDIS_URL", None)
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import io  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.models import RoleAssignment, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from imports.checking import check  # noqa: E402
from imports.history import recorded_as  # noqa: E402
from imports.kinds import KINDS  # noqa: E402
from imports.models import Import  # noqa: E402
from imports.reading import open_table  # noqa: E402
from imports.services import _remember  # noqa: E402
from learning.models import LearningItem  # noqa: E402
from regions.models import PatientSafetyCollaborative, Region  # noqa: E402

HEADERS = ["Title", "Type", "Summary", "Body", "Region", "Themes", "Patient Safety Syllabus",
           "PSIRF response type"]  # fmt: skip
SUMMARY = "Staff met within a day of the incident for a ten-minute huddle, led by the ward "
BODY = "## What we did\n\nA short huddle after each incident, with a written note of actions.\n"


def fresh_database():
    for sql in (f'DROP DATABASE IF EXISTS "{DATABASE}"', f'CREATE DATABASE "{DATABASE}"'):
        # Fixed arguments and the scratch database's own name.
        command = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql]
        subprocess.run(command, check=True)  # noqa: S603, S607
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())


def fellow():
    north = Region.objects.in_programme_scheme().get(slug="north")
    user = User.objects.create(email="bench.fellow@example.org", full_name="Bench Fellow")
    RoleAssignment.objects.create(
        user=user,
        role=Role.FELLOW,
        region=north,
        psc=PatientSafetyCollaborative.objects.filter(primary_region=north).first(),
    )
    return user


def write_file(rows, folder):
    path = Path(folder) / f"learning-{rows}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append([f"Huddle after incident {n}", "Best practice", f"{SUMMARY}{n}.", BODY,
                      "North", "", "2.1; 3.2", ""])  # fmt: skip
    workbook.save(path)
    return path


def portal_import(path, user):
    """(check seconds, save seconds, records made) of the import as its task runs it."""
    kind = KINDS["learning"]
    batch = Import.objects.create(kind="learning", filename=path.name, created_by=user)
    started = time.perf_counter()
    with path.open("rb") as upload:
        checked = check(kind, open_table(upload), user)
    checking = time.perf_counter() - started
    assert not checked.error_count, checked.errors[:3]
    started = time.perf_counter()
    with transaction.atomic(), recorded_as(user, batch.change_reason):
        made = kind.save(checked.planned, by=user, reason=batch.change_reason)
        _remember(batch, made)
        saving = time.perf_counter() - started
        transaction.set_rollback(True)
    Import.objects.filter(pk=batch.pk).delete()
    return checking, saving, len(made)


def bare_insert(rows, user):
    north = Region.objects.in_programme_scheme().get(slug="north")
    started = time.perf_counter()
    with transaction.atomic():
        LearningItem.objects.bulk_create(
            (
                LearningItem(
                    kind="best_practice",
                    title=f"Huddle after incident {n}",
                    summary=f"{SUMMARY}{n}.",
                    body=BODY,
                    region=north,
                    created_by=user,
                )
                for n in range(rows)
            ),
            batch_size=1000,
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def peak_mib(work):
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fresh_database()
    user = fellow()
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(args.rows, folder)
        checks, saves, bares = [], [], []
        for turn in range(args.repeat):
            checking, saving, made = portal_import(path, user)
            assert made == args.rows
            checks.append(checking)
            saves.append(saving)
            bares.append(bare_insert(args.rows, user))
            print(
                f"turn {turn + 1}: import check {checking:.2f} s + save {saving:.2f} s, "
                f"bare bulk_create {bares[-1]:.2f} s",
                flush=True,
            )
        check_s, save_s, bare_s = (statistics.median(t) for t in (checks, saves, bares))
        print(f"\n{args.rows:,} learning items from XLSX (median of {args.repeat}):")
        print(f"  check (read and every row through the form): {check_s:7.2f} s")
        print(f"  save (items, history, links, import record):  {save_s:7.2f} s")
        print(f"  whole import:                                 {check_s + save_s:7.2f} s")
        print(f"  bare bulk_create of the same rows:            {bare_s:7.2f} s")
        print(f"  ratio, whole import to bare insert:           {(check_s + save_s) / bare_s:7.1f}")
        print(f"  ratio, save alone to bare insert:             {save_s / bare_s:7.1f}")

        quarter = write_file(args.rows // 4, folder)
        print("\nPeak memory (tracemalloc), taking turns:")
        for rows, file in ((args.rows // 4, quarter), (args.rows, path)):
            imported = peak_mib(lambda file=file: portal_import(file, user))
            bare = peak_mib(lambda rows=rows: bare_insert(rows, user))
            print(
                f"  {rows:>6,} rows: import {imported:7.1f} MiB ({imported * 1024 / rows:.1f} "
                f"KiB a row), bare {bare:6.1f} MiB ({bare * 1024 / rows:.1f} KiB a row)"
            )


if __name__ == "__main__":
    main()
