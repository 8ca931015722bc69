"""Benchmark: England's quarterly report at two sizes, the sizes taking turns.

    uv run python bench/reports.py [--sizes 20000 200000] [--memory-sizes 200000 2000000]
                                   [--repeat 3] [--limit 300] [--quarter "2025/26 Q3"]
                                   [--passes time memory] [--copy] [--keep]

Builds the dashboard benchmark's data (bench/dashboards.py) once for each size, in a scratch
PostgreSQL database of its own (`portal_bench_reports_<size>`, dropped and made again: never
name a real one), then measures each step in a process of its own, the sizes taking turns
(small, large, small, large...), so the machine's load falls on both alike:

- time: the learning section as CSV against PostgreSQL's own `COPY ... TO STDOUT` of the same
  rows (goal: at most 3 times), the whole CSV ZIP, the XLSX and the PDF, with the queries each
  took and the PDF's pages (goal: pages and time at most 1.3 times from the smaller size to
  the larger);
- memory, in a separate pass that times nothing: the peak memory Python allocates while
  writing each export (tracemalloc), and the resident memory it adds to the process (goal for
  the CSV and the XLSX: Python's peak within 20% from 200,000 learning items to 2,000,000,
  past the point where it should level off).

With --copy, a size that is a multiple of one already built is made by copying that one's
learning items in PostgreSQL (minutes, where building 2,000,000 one by one takes hours); only
learning grows, which is what the memory goal is about.

Each step has a time limit (--limit seconds); one that runs past it is printed as "did not
finish" and its figure left out of the ratios. Prints figures and ratios; asserts nothing.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
STEPS = ["csv-learning", "copy-learning", "csv-zip", "xlsx", "pdf"]
MEMORY_STEPS = ["csv-zip", "xlsx"]


def database_for(size):
    return f"portal_bench_reports_{size}"


def child(arguments, size, limit):
    """Run this file with `arguments` on the size's database; its JSON answer, or None when
    it ran past `limit` seconds."""
    environ = {**os.environ, "BENCH_DATABASE": database_for(size)}
    try:
        done = subprocess.run(  # noqa: S603 - this file, with our own arguments
            [sys.executable, str(HERE), *arguments],
            env=environ,
            capture_output=True,
            text=True,
            timeout=limit,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stderr)
        raise
    return json.loads(done.stdout.strip().splitlines()[-1])


# In the child: one step, measured.


def _setup():
    import importlib.util

    spec = importlib.util.spec_from_file_location("dashboard_bench", HERE.parent / "dashboards.py")
    dashboard_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dashboard_bench)  # sets Django up on BENCH_DATABASE
    return dashboard_bench


def build(size):
    bench = _setup()
    started = time.perf_counter()
    bench.fresh_database()
    world = bench.World()
    world.grow_to(size)
    return {"seconds": time.perf_counter() - started, "counts": world.counts}


def copy_up(small, size):
    """Make the size's database from the smaller one's, with its learning items (and their
    links) copied until there are `size`: minutes instead of the hours building them one by
    one would take at 2,000,000. Only learning grows; the other records stay as built for the
    smaller size (the memory pass reads the learning section, the largest by far)."""
    import psycopg

    started = time.perf_counter()
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database_for(size)}"')
        connection.execute(
            f'CREATE DATABASE "{database_for(size)}" TEMPLATE "{database_for(small)}"'
        )
    target = f"postgresql://postgres@127.0.0.1:5432/{database_for(size)}"
    with psycopg.connect(target, autocommit=True) as connection:
        count, top = connection.execute(
            "SELECT count(*), max(id) FROM learning_learningitem"
        ).fetchone()
        copies = size // count - 1
        columns = [
            row[0]
            for row in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = "
                "'learning_learningitem' AND column_name <> 'id' ORDER BY ordinal_position"
            )
        ]
        names = ", ".join(columns)
        picked = ", ".join(f"item.{column}" for column in columns)
        # Each copy's id is the original's plus a multiple of the largest id, so its links
        # are found the same way.
        connection.execute(
            f"INSERT INTO learning_learningitem (id, {names}) "  # noqa: S608 - our own columns
            f"SELECT item.id + copy * %s, {picked} FROM learning_learningitem item "
            "CROSS JOIN generate_series(1, %s) AS copy",
            [top, copies],
        )
        for table in ("learning_learningitem_syllabus", "learning_learningitem_authors",
                      "learning_learningitem_themes"):  # fmt: skip
            other = [
                row[0]
                for row in connection.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                    "AND column_name NOT IN ('id', 'learningitem_id')",
                    [table],
                )
            ]
            if not other:
                continue
            connection.execute(
                f"INSERT INTO {table} (learningitem_id, {', '.join(other)}) "  # noqa: S608
                f"SELECT link.learningitem_id + copy * %s, {', '.join(other)} FROM {table} link "
                "CROSS JOIN generate_series(1, %s) AS copy",
                [top, copies],
            )
        connection.execute(
            "SELECT setval(pg_get_serial_sequence('learning_learningitem', 'id'), "
            "(SELECT max(id) FROM learning_learningitem))"
        )
        connection.execute("VACUUM ANALYZE")
        total = connection.execute("SELECT count(*) FROM learning_learningitem").fetchone()[0]
    return {"seconds": time.perf_counter() - started, "counts": {"learning": total}}


def measure(step, quarter_label, *, memory):
    _setup()
    import io

    import psycopg
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.quarters import Quarter
    from reports import files
    from reports.sections import Scope, learning_rows, report

    quarter = Quarter.parse(quarter_label)
    england = Scope()
    cache.clear()
    connection.ensure_connection()
    sink = io.BytesIO() if step in ("xlsx", "pdf") else None
    answer = {}

    def csv_learning():
        section = next(s for s in report(england, quarter).sections if s.slug == "learning")
        out = io.StringIO()
        for _batch in files.write_csv(section, section.rows(), out):
            answer["bytes"] = answer.get("bytes", 0) + len(out.getvalue())
            out.seek(0)
            out.truncate()

    def copy_learning():
        sql, params = learning_rows(england, quarter).query.sql_with_params()
        raw = connection.connection
        statement = psycopg.ClientCursor(raw).mogrify(sql, params)
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY ({statement}) TO STDOUT WITH CSV HEADER") as copy,
        ):
            for chunk in copy:
                answer["bytes"] = answer.get("bytes", 0) + len(chunk)

    def csv_zip():
        for chunk in files.csv_zip_chunks(report(england, quarter)):
            answer["bytes"] = answer.get("bytes", 0) + len(chunk)

    def xlsx():
        files.write_xlsx(report(england, quarter), sink)
        answer["bytes"] = sink.tell()

    def pdf():
        files.write_pdf(report(england, quarter), sink)

    write = {
        "csv-learning": csv_learning,
        "copy-learning": copy_learning,
        "csv-zip": csv_zip,
        "xlsx": xlsx,
        "pdf": pdf,
    }[step]
    if memory:
        # Python's own allocations (tracemalloc, which slows the code it watches: this pass
        # times nothing) and the process's peak resident memory over what it had before.
        import tracemalloc

        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        write()
        answer["python_kib"] = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
        answer["rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        return answer
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        write()
        answer["seconds"] = time.perf_counter() - started
    answer["queries"] = len(queries)
    if step == "pdf":
        import pypdf

        sink.seek(0)
        answer["pages"] = len(pypdf.PdfReader(sink).pages)
    return answer


# In the parent: the sizes taking turns.


def _ratio(values):
    if len(values) < 2 or None in values or not values[0]:
        return None
    return values[-1] / values[0]


def _show(value, unit, scale=1.0):
    return "did not finish" if value is None else f"{value * scale:9.2f} {unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--memory-sizes", type=int, nargs="+", default=[200_000, 2_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=300, help="seconds a step may take")
    parser.add_argument("--build-limit", type=float, default=3600)
    parser.add_argument("--quarter", default="2025/26 Q3")
    parser.add_argument("--keep", action="store_true", help="use the databases already built")
    parser.add_argument(
        "--copy",
        action="store_true",
        help="make a size that is a multiple of one built by copying its learning items",
    )
    parser.add_argument(
        "--passes", nargs="+", choices=["time", "memory"], default=["time", "memory"]
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each line as it comes, into a file too

    if args.child:
        kind, *rest = args.child
        if kind == "build":
            answer = build(int(rest[0]))
        elif kind == "copy":
            answer = copy_up(int(rest[0]), int(rest[1]))
        else:
            answer = measure(rest[0], args.quarter, memory=kind == "memory")
        print(json.dumps(answer))
        return

    def made(wanted):
        """Build the sizes not built yet; False when one takes longer than --build-limit."""
        for size in sorted(wanted):
            if args.keep or size in built:
                continue
            smaller = [done for done in built if size % done == 0]
            if args.copy and smaller:
                work = ["--child", "copy", str(max(smaller)), str(size)]
            else:
                work = ["--child", "build", str(size)]
            answer = child(work, size, args.build_limit)
            if answer is None:
                print(f"{size:,} learning items: not built within {args.build_limit:.0f} s")
                return False
            built.add(size)
            print(f"{size:,} learning items built in {answer['seconds']:.0f} s: {answer['counts']}")
        return True

    built = set()
    if "time" in args.passes:
        if not made(args.sizes):
            return
        time_pass(args)
    if "memory" in args.passes:
        if not made(args.memory_sizes):
            return
        memory_pass(args)


def time_pass(args):
    quarter = ["--quarter", args.quarter]
    print(f"\nTime: England's report of {args.quarter}, median of {args.repeat} turns each")
    times = {step: {size: [] for size in args.sizes} for step in STEPS}
    extra = {step: {} for step in STEPS}
    for _turn in range(args.repeat):
        for step in STEPS:
            for size in sorted(args.sizes):  # the sizes take turns within each step
                answer = child(["--child", "time", step, *quarter], size, args.limit)
                times[step][size].append(None if answer is None else answer["seconds"])
                if answer is not None:
                    extra[step][size] = answer

    def median(step, size):
        values = times[step][size]
        return None if None in values else statistics.median(values)

    for size in sorted(args.sizes):
        print(f"\n  {size:,} learning items")
        for step in STEPS:
            found = extra[step].get(size, {})
            pages = f"  {found['pages']} pages" if "pages" in found else ""
            queries = f"  {found['queries']:3} queries" if "queries" in found else ""
            print(f"    {step:14} {_show(median(step, size), 's')}{queries}{pages}")
        ours, theirs = median("csv-learning", size), median("copy-learning", size)
        if ours and theirs:
            print(f"    learning CSV against COPY: {ours / theirs:.2f} (goal: at most 3)")

    small, large = min(args.sizes), max(args.sizes)
    print(f"\nRatios, {large:,} to {small:,} learning items:")
    for step in STEPS:
        ratio = _ratio([median(step, small), median(step, large)])
        shown = "did not finish" if ratio is None else f"{ratio:5.2f}"
        print(f"  time of {step:14} {shown}")
    pages = [extra["pdf"].get(size, {}).get("pages") for size in (small, large)]
    ratio = _ratio(pages)
    print(
        f"  PDF pages {pages[0]} and {pages[1]}: "
        f"{'did not finish' if ratio is None else f'{ratio:.2f}'} (goal: at most 1.3, with "
        "the PDF's time)"
    )


def memory_pass(args):
    quarter = ["--quarter", args.quarter]
    print(f"\nMemory (a pass of its own, nothing timed): the peak each export adds, {args.quarter}")
    peaks = {step: {} for step in MEMORY_STEPS}
    for step in MEMORY_STEPS:
        for size in sorted(args.memory_sizes):
            answer = child(["--child", "memory", step, *quarter], size, args.limit)
            peaks[step][size] = None if answer is None else answer["python_kib"] / 1024
            rss = None if answer is None else answer["rss_kib"] / 1024
            written = None if answer is None else answer.get("bytes", 0) / 2**20
            print(
                f"  {step:8} {size:>11,} items  Python {_show(peaks[step][size], 'MiB')}"
                f"  resident, over the process before it {_show(rss, 'MiB')}"
                f"  file {_show(written, 'MiB')}"
            )
    low, high = min(args.memory_sizes), max(args.memory_sizes)
    print(f"\nPeak Python memory, {high:,} to {low:,} learning items (goal: at most 1.2):")
    for step in MEMORY_STEPS:
        ratio = _ratio([peaks[step][low], peaks[step][high]])
        print(f"  {step:8} {'did not finish' if ratio is None else f'{ratio:5.2f}'}")


if __name__ == "__main__":
    main()
