"""Benchmark: planning and rendering digests for 1,000 and then 10,000 subscribers.

    uv run python bench/digests.py [--counts 1000 10000] [--items 60] [--sample 1000]

Runs on a fresh temporary SQLite database (or BENCH_DATABASE_URL, which it fills with
test people: never point it at a real database), with tasks and email kept in this process.
Plans every subscriber's delivery, then claims, works out, renders and sends an evenly spread
sample of them (all of them with --sample 0). Prints the time and queries of planning (batched
inserts, so they grow by one a batch) and per digest; queries per digest stay the same.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="digest-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK}/bench.sqlite3")
os.environ.pop("REDIS_URL", None)
os.environ["VAR_DIR"] = WORK
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
import io  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import RoleAssignment, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from digests import periods, services  # noqa: E402
from digests.models import DigestFrequency  # noqa: E402
from learning.models import LearningItem  # noqa: E402
from regions.models import PatientSafetyCollaborative, Region  # noqa: E402

START = datetime.datetime(2026, 3, 30, 7, 0, tzinfo=periods.LONDON)


def setup():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a scratch database: no need to wait for the disk
            cursor.execute("PRAGMA synchronous=OFF")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    mail.outbox = []
    services._queue_on_commit = lambda ids: None  # this script sends, not a worker


def add_people(upto, regions):
    """Fellows spread across the regions, up to `upto` people in all."""
    have = User.objects.count()
    unusable = make_password(None)
    people = User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.org", full_name=f"Bench Fellow {n}", password=unusable)
            for n in range(have, upto)
        ],
        batch_size=2000,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=person,
                role=Role.FELLOW,
                region=regions[n % len(regions)][0],
                psc=regions[n % len(regions)][1],
                starts_on=datetime.date(2025, 1, 1),
            )
            for n, person in enumerate(people)
        ],
        batch_size=2000,
    )


def add_items(count, regions, when):
    authors = list(User.objects.order_by("pk")[:20])
    for n in range(count):
        region = regions[n % len(regions)][0]
        item = LearningItem.objects.create(
            kind=LearningItem.Kind.BEST_PRACTICE,
            title=f"Best practice {n}",
            summary="A structured huddle after incidents helped staff recover and learn.",
            region=region,
            status=LearningItem.Status.PUBLISHED,
            published_at=when + datetime.timedelta(minutes=n),
            created_by=authors[n % len(authors)],
        )
        item.authors.set(authors[n % len(authors) : n % len(authors) + 2])


def measure(function):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--sample", type=int, default=1000, help="digests to render (0: all)")
    options = parser.parse_args()

    setup()
    regions = [
        (region, PatientSafetyCollaborative.objects.filter(primary_region=region).first())
        for region in Region.objects.in_programme_scheme().order_by("name")
    ]
    regions = [(region, psc) for region, psc in regions if psc]
    print(
        f"Database: {connection.vendor}; regions: {len(regions)}; "
        f"entries a week: {options.items}; digests rendered a count: {options.sample or 'all'}"
    )
    print(
        f"{'subscribers':>11} {'plan s':>8} {'plan queries':>12} {'sent':>7} {'skipped':>7} "
        f"{'ms/digest':>9} {'queries/digest':>14}"
    )
    rows = []
    for week, count in enumerate(options.counts):
        now = START + datetime.timedelta(days=7 * (week + 1))
        add_people(count, regions)
        add_items(options.items, regions, when=now - datetime.timedelta(days=6))
        run, plan_seconds, plan_queries = measure(
            lambda now=now: services.digest_run_plan(frequency=DigestFrequency.WEEKLY, now=now)
        )
        ids = list(run.deliveries.values_list("pk", flat=True))
        if options.sample and len(ids) > options.sample:
            step = len(ids) / options.sample
            ids = [ids[int(n * step)] for n in range(options.sample)]
        per_digest_queries = set()
        total = 0.0
        outcomes = {}
        for delivery_id in ids:
            status, seconds, queries = measure(
                lambda delivery_id=delivery_id: services.digest_delivery_send(
                    delivery_id=delivery_id
                )
            )
            total += seconds
            outcomes[status] = outcomes.get(status, 0) + 1
            if status == services.Status.SENT:
                per_digest_queries.add(queries)
            if len(mail.outbox) > 500:
                mail.outbox = []
        queries = max(per_digest_queries) if per_digest_queries else 0
        rows.append((count, queries))
        print(
            f"{count:>11,} {plan_seconds:>8.2f} {plan_queries:>12} "
            f"{outcomes.get('sent', 0):>7,} {outcomes.get('skipped', 0):>7,} "
            f"{1000 * total / len(ids):>9.2f} {queries:>14}"
            + ("" if len(per_digest_queries) <= 1 else f" (varied: {sorted(per_digest_queries)})")
        )
    (small, small_q), (large, large_q) = rows[0], rows[-1]
    print(
        f"Subscribers x{large / small:g}: queries per digest x{large_q / small_q:g} "
        f"({small_q} -> {large_q})"
    )
    print(f"Finished at {timezone.localtime():%H:%M:%S}.")
    if "BENCH_DATABASE_URL" not in os.environ:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
