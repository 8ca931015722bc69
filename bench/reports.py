"""Benchmark: a national quarter's report at 20,000 and then 200,000 learning items.

    uv run python bench/reports.py [--sizes 20000 200000] [--quarter "2025/26 Q3"]

Builds the dashboard benchmark's data (bench/dashboards.py: a scratch PostgreSQL database,
dropped and made again) and, at each size, prints for England's report of the quarter: the
CSV export of the learning section against PostgreSQL's own `COPY ... TO STDOUT` of the same
rows (goal: at most 3 times), the whole CSV ZIP, the XLSX and the PDF times, the queries each
took, and the peak memory Python allocated while writing each (goal: the CSV's and XLSX's
peak grows by no more than 20% from the smaller size to the larger).
"""

import argparse
import csv
import importlib.util
import io
import time
import tracemalloc
from pathlib import Path

# bench/dashboards.py builds the data, and sets Django up as it is loaded.
_spec = importlib.util.spec_from_file_location(
    "dashboard_bench", Path(__file__).resolve().parent / "dashboards.py"
)
dashboard_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dashboard_bench)

import psycopg  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dashboards import figures  # noqa: E402
from portal.quarters import Quarter  # noqa: E402
from reports import files  # noqa: E402
from reports.sections import Scope, report  # noqa: E402


def measured(write):
    cache.clear()
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        write()
        seconds = time.perf_counter() - started
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, len(queries)


def copy_seconds(quarter):
    """PostgreSQL writing the learning section's rows as CSV itself."""
    rows = figures.learning_published(quarter).order_by("published_at", "pk")
    sql, params = rows.values_list(
        "title", "kind", "region__name", "published_at", "days_to_publish"
    ).query.sql_with_params()
    raw = connection.connection
    statement = psycopg.ClientCursor(raw).mogrify(sql, params)
    started = time.perf_counter()
    sink = io.BytesIO()
    with raw.cursor() as cursor, cursor.copy(f"COPY ({statement}) TO STDOUT WITH CSV") as copy:
        for chunk in copy:
            sink.write(chunk)
    return time.perf_counter() - started, sink.getvalue().count(b"\n")


def learning_csv_seconds(the_report):
    section = next(s for s in the_report.sections if s.slug == "learning")
    started = time.perf_counter()
    sink = io.StringIO()
    writer = csv.writer(sink)
    count = 0
    for row in section.rows():
        writer.writerow([files.csv_cell(value) for value in row])
        count += 1
    return time.perf_counter() - started, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--quarter", default="2025/26 Q3")
    args = parser.parse_args()
    quarter = Quarter.parse(args.quarter)
    dashboard_bench.fresh_database()
    world = dashboard_bench.World()
    peaks = {}
    for size in sorted(args.sizes):
        world.grow_to(size)
        england = report(Scope(), quarter)
        print(f"\n{size:,} learning items; England's report of {quarter}")
        ours, rows = learning_csv_seconds(england)
        theirs, copied = copy_seconds(quarter)
        print(f"  learning section as CSV {ours * 1000:8.1f} ms for {rows:,} rows")
        print(f"  PostgreSQL's COPY       {theirs * 1000:8.1f} ms for {copied:,} rows")
        print(f"  ratio {ours / theirs:5.2f} (goal: at most 3)")
        writers = {
            "CSV ZIP": lambda: b"".join(files.csv_zip_chunks(report(Scope(), quarter))),
            "XLSX": lambda: files.write_xlsx(report(Scope(), quarter), io.BytesIO()),
            "PDF": lambda: files.write_pdf(report(Scope(), quarter), io.BytesIO()),
        }
        for name, write in writers.items():
            seconds, peak, queries = measured(write)
            peaks.setdefault(name, []).append(peak)
            print(f"  {name:8} {seconds:7.2f} s  peak {peak / 2**20:7.1f} MiB  {queries:3} queries")
    print("\nPeak memory, largest size against the smallest (goal for CSV and XLSX: at most 1.2):")
    for name, values in peaks.items():
        print(f"  {name:8} {values[-1] / values[0]:5.2f}")


if __name__ == "__main__":
    main()
