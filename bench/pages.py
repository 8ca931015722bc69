"""Benchmark: the portal's pages at 20,000 and 200,000 learning items, counted afresh and read
again, then their throughput under gunicorn against a bare signed-in view.

    uv run python bench/pages.py [--sizes 20000 200000] [--repeat 7] [--seconds 3]

Needs PostgreSQL: it creates a scratch database (BENCH_DATABASE, `portal_bench_pages` by
default, on 127.0.0.1 as postgres, dropped and made again: never name a real one) and fills
it as bench/dashboards.py does (learning items over the programme's years and, in proportion,
initiatives, investigations, the register and curriculum), adding what the pages show: each
item's author (the fellows of its region in turn, so about 300 items each at every size) and
its first history entry, 5 people for every 1,000 items (fellows, leads, chairs), one in ten
drafts submitted for review, one in twenty items about falls, and 20 history entries on the
learning item and initiative whose pages are timed.

1. For each page and role, through the test client, rendering every time: the median time
   (of --repeat) at each size, the queries, and the ratio of the largest size to the
   smallest, both counted afresh (the first view after a write: no count made before it is
   used) and read again (the counts kept between writes, portal/counts.py). Each smaller size
   is kept in a copy of the database made when it was built, and the sizes take turns request
   by request, so that the machine's load changing during the run does not show as a ratio
   (bench/dashboards.py `side_by_side`). Goal: at most 1.3, and the same number of queries at
   every size.
2. gunicorn with 2 workers in production settings on loopback (ops/stack.py), against the
   largest size, with the 4 clients on a core of their own (as on another machine): requests
   a second for each key page and for a bare signed-in view (routed only with
   BENCH_BARE_VIEW, which this turns on), measured A B A B for --seconds each, with the ratio
   of each page to the bare view, every page rendered (signed-in pages are never kept,
   docs/adr/0044; the figures are kept between writes). Goal: at least 0.3.
"""

import argparse
import contextlib
import http.client
import json
import os
import shlex
import statistics
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE", "portal_bench_pages")


def _dashboards_bench():
    """bench/dashboards.py, which sets Django up on the scratch database and builds the data
    (loaded by its path: its name is the dashboards app's)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_dashboards", ROOT / "bench/dashboards.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dashboards = _dashboards_bench()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import RoleAssignment, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from fellows.models import Initiative  # noqa: E402
from learning.models import LearningItem  # noqa: E402
from regions.models import PatientSafetyCollaborative  # noqa: E402

PEOPLE_PER_THOUSAND = 5
TRACKED = [
    "id", "kind", "title", "summary", "body", "psirf_response_type", "status", "created_at",
    "submitted_at", "published_at", "region_id", "created_by_id",
]  # fmt: skip


class Pages(dashboards.World):
    """The dashboards' world, with what the other pages show."""

    def __init__(self):
        super().__init__()
        self.north = self.regions[0]
        self.north_psc = PatientSafetyCollaborative.objects.filter(primary_region=self.north)[0]
        self.chair = User.objects.create(email="chair.bench@example.org", full_name="Chair")
        RoleAssignment.objects.create(
            user=self.chair, role=Role.PSC_CHAIR, psc=self.north_psc, starts_on=dashboards.FIRST_DAY
        )
        self.people = 0
        self.last_item = 0
        self.detail_item = None
        self.detail_initiative = None

    def grow_to(self, size):
        super().grow_to(size)
        self._people(size * PEOPLE_PER_THOUSAND // 1000)
        with connection.cursor() as cursor:
            last = self.last_item
            # Each item's author is one of its region's fellows, all of them taking turns, so a
            # fellow has about the same number of items at every size (about 300), as people
            # grow with the items. The items built before are shared out again, so the timed
            # fellow's share is the same at both sizes.
            cursor.execute(
                "WITH fellows AS (SELECT region_id, array_agg(user_id ORDER BY user_id) AS ids "
                "FROM accounts_roleassignment WHERE role = 'fellow' GROUP BY region_id) "
                "UPDATE learning_learningitem AS item "
                "SET created_by_id = fellows.ids[1 + numbered.n % array_length(fellows.ids, 1)] "
                "FROM fellows, (SELECT id, region_id, row_number() OVER "
                "(PARTITION BY region_id ORDER BY id) AS n FROM learning_learningitem) AS numbered "
                "WHERE numbered.id = item.id AND fellows.region_id = numbered.region_id"
            )
            cursor.execute("DELETE FROM learning_learningitem_authors")
            cursor.execute(
                "INSERT INTO learning_learningitem_authors (learningitem_id, user_id) "
                "SELECT id, created_by_id FROM learning_learningitem"
            )
            cursor.execute(
                f"INSERT INTO learning_historicallearningitem ({', '.join(TRACKED)}, "  # noqa: S608
                "history_date, history_type, history_user_id) "
                f"SELECT {', '.join(TRACKED)}, created_at, '+', created_by_id "
                "FROM learning_learningitem WHERE id > %s",
                [last],
            )
            cursor.execute(
                "UPDATE learning_learningitem SET title = 'Falls prevention ' || id "
                "WHERE id > %s AND id %% 20 = 0",
                [last],
            )
            cursor.execute(
                "UPDATE learning_learningitem SET status = 'submitted', submitted_at = created_at "
                "WHERE id > %s AND status = 'draft' AND id %% 10 = 0",
                [last],
            )
            cursor.execute("SELECT max(id) FROM learning_learningitem")
            self.last_item = cursor.fetchone()[0]
        if self.detail_item is None:
            self._detail_records()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def _people(self, count):
        unusable = make_password(None)
        roles = [Role.FELLOW, Role.FELLOW, Role.FELLOW, Role.REGIONAL_LEAD, Role.PSC_CHAIR]
        psc_of = {
            region.pk: PatientSafetyCollaborative.objects.filter(primary_region=region).first()
            for region in self.regions
        }
        made = User.objects.bulk_create(
            User(email=f"person{n}@example.org", full_name=f"Person {n}", password=unusable)
            for n in range(self.people, count)
        )
        assignments = []
        for offset, user in enumerate(made):
            n = self.people + offset
            region, role = self.regions[n % len(self.regions)], roles[n % len(roles)]
            scope = {"psc": psc_of[region.pk]} if role == Role.PSC_CHAIR else {"region": region}
            if role == Role.FELLOW:
                scope["psc"] = psc_of[region.pk]
            assignments.append(
                RoleAssignment(user=user, role=role, starts_on=dashboards.FIRST_DAY, **scope)
            )
        RoleAssignment.objects.bulk_create(assignments)
        self.people = max(self.people, count)

    def _detail_records(self):
        """The learning item and initiative whose pages are timed, with 20 changes each."""
        fellow = self.fellows[0]
        published = LearningItem.objects.filter(region=self.north, status="published")
        self.detail_item = published.order_by("pk").first()
        self.detail_initiative = Initiative.objects.filter(region=self.north).order_by("pk").first()
        for number in range(20):
            self.detail_item.summary = f"Summary, as changed for the {number + 1}th time."
            self.detail_item._history_user = fellow
            self.detail_item.save()
            self.detail_initiative.summary = f"Summary, as changed for the {number + 1}th time."
            self.detail_initiative._history_user = fellow
            self.detail_initiative.save()


def pages_of(world):
    fellow, lead, chair, national = world.fellows[0], world.lead, world.chair, world.national
    item, initiative = world.detail_item.pk, world.detail_initiative.pk
    return {
        "home (fellow)": (fellow, "/"),
        "home (lead)": (lead, "/"),
        "home (chair)": (chair, "/"),
        "learning list (fellow)": (fellow, "/learning/"),
        "learning list (lead)": (lead, "/learning/"),
        "learning list (national)": (national, "/learning/"),
        "learning list, page 50 (fellow)": (fellow, "/learning/?page=50"),
        "learning list, north (chair)": (chair, f"/learning/?region={world.north.pk}"),
        "search 'falls' (fellow)": (fellow, "/search/?q=falls"),
        "search 'falls' (lead)": (lead, "/search/?q=falls"),
        "search 'falls' (national)": (national, "/search/?q=falls"),
        "search 'falls', page 5 (fellow)": (fellow, "/search/?q=falls&page=5"),
        "review queue (lead)": (lead, "/review/"),
        "review queue (national)": (national, "/review/"),
        "people (lead)": (lead, "/people/"),
        "people (national)": (national, "/people/"),
        "initiatives (fellow)": (fellow, "/initiatives/"),
        "investigations (lead)": (lead, "/investigations/"),
        "learning item, 21 changes (fellow)": (fellow, f"/learning/{item}/"),
        "initiative, 21 changes (fellow)": (fellow, f"/initiatives/{initiative}/"),
        "north dashboard (lead)": (lead, f"/dashboards/{world.north.slug}/"),
        "national dashboard": (national, "/dashboards/england/"),
        "home (national)": (national, "/"),
        "register (lead)": (lead, "/recommendations/"),
        "register (national)": (national, "/recommendations/"),
        "response rates (lead)": (lead, "/recommendations/response-rates/"),
        "spread (lead)": (lead, "/spread/"),
        "spread (national)": (national, "/spread/"),
        "curriculum entries (lead)": (lead, "/curriculum/"),
        "training (lead)": (lead, "/curriculum/training/"),
        "syllabus coverage (lead)": (lead, "/curriculum/coverage/"),
        "syllabus coverage (national)": (national, "/curriculum/coverage/"),
    }


# Throughput under gunicorn.

SESSIONS = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from accounts.allauth_internals import activate_totp
from accounts.middleware import SIGNED_IN_AT
from accounts.models import User
import time
keys = {}
for email in EMAILS:
    user = User.objects.get(email=email)
    if not user.authenticator_set.exists():
        activate_totp(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = int(time.time())
    session.create()
    keys[email] = session.session_key
print("KEYS" + json.dumps(keys))
"""


HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def browser_cookies(port, session_key):
    """The Cookie header of a browser signed in with `session_key` after its first page: the
    session, and the CSRF cookie that page gave it (the pages' forms carry a token made from
    it, and a kept page is only kept for the cookie it was made with)."""
    cookies = {settings.SESSION_COOKIE_NAME: session_key}
    link = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    link.request("GET", "/digests/preferences/", headers={**HEADERS, "Cookie": _header(cookies)})
    response = link.getresponse()
    response.read()
    link.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    return _header(cookies)


def _header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def rate(port, path, cookie, seconds, connections=4):
    """Requests a second to `path` from `connections` keep-alive clients for `seconds`."""
    done, failures = [], []
    stop_at = time.perf_counter() + seconds
    headers = {**HEADERS, "Cookie": cookie}

    def client():
        count = 0
        link = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop_at:
            link.request("GET", path, headers=headers)
            response = link.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
            count += 1
        link.close()
        done.append(count)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} responses were not 200 ({failures[:3]})")
    return sum(done) / (time.perf_counter() - started)


def descendants(pid):
    """`pid` and every process under it."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        for child in children:
            found += descendants(int(child))
    return found


def separate_cores(stack):
    """Put the clients on the last core and the stack's processes (gunicorn, Redis) on the
    others, so that the load the clients make does not take the server's time: as clients on
    another machine would. PostgreSQL keeps every core. Returns what to call to undo it; on a
    machine of one core, nothing is moved."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return lambda: None
    clients, server = {cores[-1]}, set(cores[:-1])
    for process in stack.processes.values():
        for pid in descendants(process.pid):
            with contextlib.suppress(ProcessLookupError):  # ended since it was listed
                os.sched_setaffinity(pid, server)
    # Threads made after this (the clients) take the calling thread's cores.
    os.sched_setaffinity(0, clients)
    return lambda: os.sched_setaffinity(0, set(cores))


def throughput(world, seconds):
    """Requests a second of the key pages against the bare view, each page rendered."""
    from ops.stack import Stack

    stack = Stack(database_url=os.environ["DATABASE_URL"])
    # The benchmark's own database, already migrated and filled; the stack must not drop it.
    stack.database = dashboards.DATABASE
    stack.database_url = os.environ["DATABASE_URL"]
    environment = stack.environment
    kept_for = {"value": "60"}

    def with_bare_view():
        env = {
            **environment(),
            "BENCH_BARE_VIEW": "true",
            "LOG_LEVEL": "WARNING",
            "PAGE_CACHE_SECONDS": kept_for["value"],
        }
        env.pop("MFA_REQUIRED", None)  # the timing above turns it off; production has it on
        return env

    stack.environment = with_bare_view
    people = {
        "fellow": world.fellows[0],
        "lead": world.lead,
        "chair": world.chair,
        "national": world.national,
    }
    emails = [person.email for person in people.values()]
    measured = [
        ("home (fellow)", "fellow", "/"),
        ("home (lead)", "lead", "/"),
        ("home (chair)", "chair", "/"),
        ("home (national)", "national", "/"),
        ("learning list (fellow)", "fellow", "/learning/"),
        ("initiatives (fellow)", "fellow", "/initiatives/"),
        ("register (lead)", "lead", "/recommendations/"),
        ("spread (lead)", "lead", "/spread/"),
        ("search 'falls' (fellow)", "fellow", "/search/?q=falls"),
        ("review queue (national)", "national", "/review/"),
        ("learning item, 21 changes", "fellow", f"/learning/{world.detail_item.pk}/"),
        ("north dashboard (lead)", "lead", f"/dashboards/{world.north.slug}/"),
        ("national dashboard", "national", "/dashboards/england/"),
    ]
    # Signed-in pages are never kept (docs/adr/0044): each is rendered; the counts are kept
    # between writes, as in production.
    modes = (("rendered", "0"),)
    rates = {}
    try:
        stack.start_redis()
        stack.release()
        out = stack.run(
            f"python manage.py shell -c {shlex.quote(f'EMAILS = {emails!r}' + SESSIONS)}",
            "signing the benchmark's people in",
        )
        keys = json.loads(out.split("KEYS", 1)[1].splitlines()[0])
        for mode, value in modes:
            kept_for["value"] = value
            stack.start_web()
            port = stack.web_port
            cookies = {
                role: browser_cookies(port, keys[person.email]) for role, person in people.items()
            }
            undo = separate_cores(stack)
            for name, role, path in measured:
                cookie = cookies[role]
                rate(port, "/bench/bare/", cookie, 1)  # warm both workers
                rate(port, path, cookie, 1)
                bare, page = [], []
                for _ in range(2):
                    bare.append(rate(port, "/bench/bare/", cookie, seconds))
                    page.append(rate(port, path, cookie, seconds))
                rates[name, mode] = (statistics.mean(bare), statistics.mean(page))
            undo()
            stack.stop_web()
    finally:
        stack.stop()
    print(
        f"\nThroughput under gunicorn (2 workers, production settings, loopback), "
        f"{world.learning:,} learning items, 4 clients on a core of their own, {seconds} s a "
        f"run, A B A B: each page rendered, as every signed-in page is (the figures kept "
        f"between writes), against the bare signed-in view:"
    )
    print(f"  {'page':26} {'bare /s':>8} {'page /s':>8} {'ratio':>6}")
    lowest = 1e9
    for name, _role, _path in measured:
        bare, page = rates[name, "rendered"]
        lowest = min(lowest, page / bare)
        print(f"  {name:26} {bare:8.1f} {page:8.1f} {page / bare:6.2f}")
    verdict = "within" if lowest >= 0.3 else "under"
    print(f"  lowest: {lowest:.2f} ({verdict} the goal of 0.3)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--no-throughput", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    # The pages are timed rendering: a page read again would otherwise be the kept one.
    settings.PAGE_CACHE_SECONDS = 0
    dashboards.fresh_database()
    world = Pages()
    dashboards.side_by_side(pages_of, world, args.sizes, args.repeat, 1.3)
    if not args.no_throughput:
        timezone.deactivate()
        throughput(world, args.seconds)


if __name__ == "__main__":
    main()
