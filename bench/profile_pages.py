"""Where a page's time goes: each key page rendered through the test client under the profiler,
its time shared out by what spent it (templates, forms, the ORM, the database, our code).

    uv run python bench/profile_pages.py [--size 20000] [--repeat 20] [--page learning] [--top 12]

Needs PostgreSQL: it builds bench/pages.py's world in a scratch database (BENCH_DATABASE,
`portal_bench_profile` by default, dropped and made again: never name a real one). Nothing is
kept between requests (PAGE_CACHE_SECONDS=0); the counts kept until the next write are kept,
as on a page read again, so what is left is rendering and reading rows. The profiler slows
Python more than the database, so the shares lean towards Python: compare pages and changes
with each other, not with the wall clock. With --page, the functions that spent the most of
that page's time are listed too.
"""

import argparse
import cProfile
import importlib.util
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE", "portal_bench_profile")
os.environ["BENCH_BARE_VIEW"] = "true"  # the bare signed-in view, to time the pages against


def _pages_bench():
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench/pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages = _pages_bench()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

# Where a function lives says what spent the time; the first that matches wins.
PARTS = [
    ("crispy forms", ("crispy_forms/", "templates/nhsuk/")),
    ("forms", ("django/forms/",)),
    ("templates", ("django/template/", "django/templatetags/", "/templatetags/")),
    ("database", ("psycopg/", "psycopg_pool/", "{method 'execute'", "{method 'fetch")),
    ("ORM", ("django/db/",)),
    ("URLs", ("django/urls/",)),
    ("middleware, sessions, auth", ("django/contrib/", "django/middleware/", "allauth/")),
    ("our code", tuple(f"{ROOT}/{app}/" for app in ("accounts", "curriculum", "dashboards",
     "digests", "discussion", "fellows", "imports", "learning", "portal", "public_pages",
     "regions", "register", "reports", "search", "taxonomy", "config"))),
]  # fmt: skip


def part_of(filename):
    for name, marks in PARTS:
        if any(mark in filename for mark in marks):
            return name
    return "other"


def key_pages(world):
    every = pages.pages_of(world)
    names = [
        "home (fellow)", "home (lead)", "home (chair)", "learning list (fellow)",
        "search 'falls' (fellow)", "review queue (national)", "initiatives (fellow)",
        "learning item, 21 changes (fellow)", "north dashboard (lead)", "national dashboard",
    ]  # fmt: skip
    chosen = {name: every[name] for name in names}
    chosen["register (lead)"] = (world.lead, "/recommendations/")
    chosen["spread (lead)"] = (world.lead, "/spread/")
    return chosen


def timed(client, url, repeat):
    """The median time of the page, unprofiled."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def profile(person, url, repeat):
    client = Client()
    client.force_login(person)
    for _ in range(2):  # templates compiled, counts kept
        assert client.get(url).status_code == 200, url
    plain, bare = timed(client, url, repeat), timed(client, "/bench/bare/", repeat)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(repeat):
        client.get(url)
    profiler.disable()
    elapsed = (time.perf_counter() - started) / repeat
    stats = pstats.Stats(profiler)
    shares = defaultdict(float)
    for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        where = filename if filename != "~" else function
        shares[part_of(where)] += tottime
    return plain, bare, elapsed, shares, stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--page", help="a part of a page's name, to list its costliest functions")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--only", help="a part of a page's name: profile only those pages")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PAGE_CACHE_SECONDS = 0
    pages.dashboards.fresh_database()
    world = pages.Pages()
    world.grow_to(args.size)
    timezone.deactivate()
    columns = [name for name, _marks in PARTS] + ["other"]
    print(f"\n{args.size:,} learning items, {args.repeat} requests a page: the median time (ms),")
    print("the bare signed-in view's time over it (bare), then profiled, its time and the shares")
    print("of it by what spent it:")
    heads = " ".join(f"{name[:9]:>9}" for name in columns)
    print(f"  {'page':36} {'ms':>6} {'bare':>5} {'prof':>6} {heads}")
    for name, (person, url) in key_pages(world).items():
        if args.only and args.only not in name:
            continue
        plain, bare, elapsed, shares, stats = profile(person, url, args.repeat)
        total = sum(shares.values()) or 1
        row = " ".join(f"{100 * shares[column] / total:8.0f}%" for column in columns)
        print(f"  {name:36} {1000 * plain:6.1f} {bare / plain:5.2f} {1000 * elapsed:6.1f} {row}")
        if args.page and args.page in name:
            print()
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top * 5)


if __name__ == "__main__":
    main()
