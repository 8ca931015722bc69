"""Benchmark: the public pages for a visitor who has not signed in, against the same pages of
the portal for a signed-in person, under gunicorn, side by side in one run.

    uv run python bench/public_pages.py [--size 20000] [--seconds 5]

Needs PostgreSQL: it builds bench/pages.py's world in a scratch database (BENCH_DATABASE,
`portal_bench_public` by default, dropped and made again: never name a real one) and makes
every third published item public. Then gunicorn with 2 workers in production settings on
loopback (ops/stack.py) serves, for 4 clients on a core the server does not use (as on another
machine: the clients' own work is then not taken from the server's), each pair of pages
A B A B for --seconds each: the public list against the signed-in learning list, a public
search against the signed-in search, and a public item against the signed-in item page. It
runs twice: as production runs (a public page read again with no write in between is the kept
one, for everyone who has not signed in; a signed-in page is rendered for its person every
time, docs/adr/0044), and with nothing kept (PAGE_CACHE_SECONDS=0), as on a public page's
first view after a write.
Goal (docs/adr/0036): the public pages, as production serves them, at least 5 times the
signed-in pages' rate.
"""

import argparse
import importlib.util
import json
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE", "portal_bench_public")


def _pages_bench():
    """bench/pages.py, which sets Django up on the scratch database and builds the world."""
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench/pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages = _pages_bench()
dashboards = pages.dashboards

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from learning.models import LearningItem  # noqa: E402


def make_every_third_public():
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE learning_learningitem SET is_public = true, public_since = published_at "
            "WHERE status = 'published' AND id % 3 = 0"
        )
        cursor.execute("ANALYZE learning_learningitem")
    return LearningItem.objects.public().order_by("-published_at").first()


def measure(world, item, seconds):
    from ops.stack import Stack

    stack = Stack(database_url=os.environ["DATABASE_URL"])
    stack.database = dashboards.DATABASE
    stack.database_url = os.environ["DATABASE_URL"]
    environment = stack.environment
    kept_for = {"value": "60"}

    def production_settings():
        env = {**environment(), "LOG_LEVEL": "WARNING", "PAGE_CACHE_SECONDS": kept_for["value"]}
        env.pop("MFA_REQUIRED", None)
        return env

    stack.environment = production_settings
    fellow = world.fellows[0]
    pairs = [
        ("learning list", "/public/", "/learning/"),
        ("search 'falls'", "/public/?q=falls", "/search/?q=falls"),
        ("learning item", f"/public/learning/{item.pk}/", f"/learning/{item.pk}/"),
    ]
    rates = {}
    try:
        stack.start_redis()
        stack.release()
        script = f"EMAILS = {[fellow.email]!r}" + pages.SESSIONS
        out = stack.run(
            f"python manage.py shell -c {shlex.quote(script)}",
            "signing the benchmark's fellow in",
        )
        key = json.loads(out.split("KEYS", 1)[1].splitlines()[0])[fellow.email]
        for mode, value in (("production", "60"), ("rendered", "0")):
            kept_for["value"] = value
            stack.start_web()
            port = stack.web_port
            cookie = pages.browser_cookies(port, key)
            undo = pages.separate_cores(stack)
            for name, public, signed_in in pairs:
                pages.rate(port, public, "", 1)  # warm both workers and the kept pages
                pages.rate(port, signed_in, cookie, 1)
                public_rates, signed_in_rates = [], []
                for _ in range(2):
                    public_rates.append(pages.rate(port, public, "", seconds))
                    signed_in_rates.append(pages.rate(port, signed_in, cookie, seconds))
                rates[name, mode] = (
                    statistics.mean(public_rates),
                    statistics.mean(signed_in_rates),
                )
            undo()
            stack.stop_web()
    finally:
        stack.stop()
    print(
        f"\nRequests a second under gunicorn (2 workers, production settings, loopback), "
        f"{world.learning:,} learning items of which {LearningItem.objects.public().count():,} "
        f"public, 4 clients on a core of their own, {seconds} s a run, A B A B: as production "
        f"serves them (a public page read again is the kept one; a signed-in page is rendered), "
        f"and with nothing kept, as on a public page's first view after a write (rendered):"
    )
    print(f"  {'page':16} {'mode':10} {'public /s':>10} {'signed in /s':>13} {'ratio':>6}")
    lowest = 1e9
    for name, _public, _signed_in in pairs:
        for mode in ("production", "rendered"):
            public, signed_in = rates[name, mode]
            ratio = public / signed_in
            if mode == "production":
                lowest = min(lowest, ratio)
            print(f"  {name:16} {mode:10} {public:10.1f} {signed_in:13.1f} {ratio:6.2f}")
    verdict = "within" if lowest >= 5 else "under"
    print(f"  lowest ratio, as production serves them: {lowest:.2f} ({verdict} the goal of 5)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    dashboards.fresh_database()
    world = pages.Pages()
    started = time.perf_counter()
    world.grow_to(args.size)
    item = make_every_third_public()
    print(f"{args.size:,} learning items, built in {time.perf_counter() - started:.0f} s")
    timezone.deactivate()
    measure(world, item, args.seconds)


if __name__ == "__main__":
    main()
