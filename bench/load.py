"""Load on the production stack: locust, headless, against the rehearsal's gunicorn.

    uv run python bench/load.py                          # 50 users for 2 minutes, 20,000 items
    uv run python bench/load.py --users 10 --time 30s --items 2000
    uv run python bench/load.py --page-cache both        # with a person's pages kept, and not

Starts the stack as `make prod-check` does (ops/stack.py: gunicorn with 2 workers in
production mode, two Celery workers, one beat, PostgreSQL, Redis), adds the demo and
published learning items up to --items spread across the regions, and one HEE regional lead
with an authenticator for every simulated user. Each user signs in (password and code) and
then goes round the signed-in home, the lists, a detail page, search and the review queue, and
about one request in ten is a write (a comment on a published item); /health/live is asked in
the same run. Prints requests, error rate, p50 and p95 for each page. With --page-cache both,
the mix runs in turns with pages kept until the next write (PAGE_CACHE_SECONDS=60) and with
none kept (0), and the p95 of each page is compared. That is how decision record 44 measured
the cache of a person's own pages, then removed it: today the setting keeps only the public
pages, which this mix does not visit, so both ways should now come out alike.
It asserts nothing: the goal on our 2-core machines is under 1% errors and p95 under 800 ms.
"""

import argparse
import csv
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops.stack import Stack  # noqa: E402

SEED = """
import datetime, json, pyotp
from django.utils import timezone
from accounts.allauth_internals import activate_totp
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from learning.models import LearningItem
from regions.models import Region
regions = list(Region.objects.in_programme_scheme().order_by("pk"))
leads = []
for n in range({users}):
    user = User.objects.create_user(email=f"load.lead{{n}}@example.org", password={password!r},
                                    full_name=f"Load Lead {{n}}")
    region = regions[n % len(regions)]
    RoleAssignment.objects.create(user=user, role=Role.REGIONAL_LEAD, region=region)
    secret = pyotp.random_base32()
    activate_totp(user, secret)
    leads.append({{"email": user.email, "secret": secret}})
authors = list(User.objects.order_by("pk")[:20])
have = LearningItem.objects.count()
now = timezone.now()
Status, Kind = LearningItem.Status, LearningItem.Kind
items = [
    LearningItem(kind=Kind.BEST_PRACTICE, title=f"Best practice for the load test {{n}}",
                 summary="A structured huddle after sepsis incidents helped staff learn.",
                 body="What we did and what we learnt.", region=regions[n % len(regions)],
                 status=Status.SUBMITTED if n % 50 == 0 else Status.PUBLISHED,
                 published_at=None if n % 50 == 0 else now - datetime.timedelta(minutes=n),
                 created_by=authors[n % len(authors)])
    for n in range(max(0, {items} - have))
]
LearningItem.objects.bulk_create(items, batch_size=2000)
open({accounts!r}, "w").write(json.dumps(leads))
"""

LOCUSTFILE = """
import json, os, random, re
import pyotp
import requests
from locust import HttpUser, between, task

ACCOUNTS = json.load(open(os.environ["LOAD_ACCOUNTS"]))
PASSWORD = os.environ["LOAD_PASSWORD"]
TAKEN = []
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Lead(HttpUser):
    wait_time = between(1, 3)

    def go(self, path, name=None, data=None):
        method = self.client.post if data is not None else self.client.get
        response = method(path, name=name or path, data=data)
        # Behind the TLS proxy cookies are Secure; here they travel over loopback HTTP, so
        # the client is told they may.
        for cookie in self.client.cookies:
            cookie.secure = False
        return response

    def on_start(self):
        # As the proxy would mark it, with the HTTPS referer CSRF then asks for.
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.client.headers["Referer"] = self.host.replace("http://", "https://") + "/"
        account = ACCOUNTS[len(TAKEN) % len(ACCOUNTS)]
        TAKEN.append(account)
        # Each simulated person from an address of their own, as the proxy would pass it on:
        # the sign-in rate limits count per address.
        self.client.headers["X-Forwarded-For"] = f"10.0.{len(TAKEN) // 250}.{len(TAKEN) % 250}"
        # Signing in (its password hashing) is not browsing: with SIGN_IN_UNTIMED it goes
        # through a session of its own that locust does not time, and its cookies are handed on.
        signing = requests.Session() if os.environ.get("SIGN_IN_UNTIMED") else self.client
        signing.headers.update(self.client.headers)

        def step(path, data=None):
            if signing is self.client:
                return self.go(path, "sign in", data)
            url = self.host + path
            response = signing.get(url) if data is None else signing.post(url, data=data)
            for cookie in signing.cookies:
                cookie.secure = False
            return response

        page = step("/accounts/login/")
        page = step("/accounts/login/", {
            "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),
            "login": account["email"], "password": PASSWORD})
        step("/accounts/2fa/authenticate/", {
            "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),
            "code": pyotp.TOTP(account["secret"]).now()})
        if signing is not self.client:
            self.client.cookies.update(signing.cookies)
        page = self.go("/learning/")
        self.details = re.findall(r'href="(/learning/\\d+/)"', page.text) or ["/learning/1/"]

    @task(3)
    def home(self):
        self.go("/", "/ (home)")

    @task(3)
    def learning(self):
        self.go("/learning/")

    @task(2)
    def investigations(self):
        self.go("/investigations/")

    @task(2)
    def initiatives(self):
        self.go("/initiatives/")

    @task(3)
    def detail(self):
        self.go(random.choice(self.details), "/learning/<id>/")

    @task(2)
    def search(self):
        self.go("/search/?q=sepsis", "/search/?q=")

    @task(2)
    def review(self):
        self.go("/review/")

    @task(2)
    def live(self):
        self.go("/health/live")

    @task(2)
    def comment(self):
        # The write of the mix, about one request in ten: a comment on a published item, with
        # the token made from the session's CSRF cookie, as the item page's form carries it.
        item = random.choice(self.details)
        token = self.client.cookies.get("csrftoken", "")
        self.go(f"{item}comments/add/", "comment (write)", {
            "csrfmiddlewaretoken": token, "body": "Useful: we are trying this on our wards."})
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--time", default="2m")
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument(
        "--page-cache",
        choices=["on", "off", "both"],
        default="on",
        help="keep pages until the next write (PAGE_CACHE_SECONDS=60, as production: today "
        "only the public pages), keep none (0), or run the mix each way and compare their p95",
    )
    parser.add_argument(
        "--turns", type=int, default=2, help="with --page-cache both: runs each way, in turns"
    )
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-load-"))
    stack = Stack()
    password = "load test " + "p" * 8
    try:
        print("Starting the stack...", flush=True)
        stack.start_database()
        stack.start_redis()
        stack.start_smtp()
        stack.start_s3()  # the processes keep to their own folders: files go to the bucket
        stack.release()
        # seed_demo refuses production (its accounts have a published password); this scratch
        # database is dropped at the end, so it is seeded as a developer's machine would be.
        stack.run("PORTAL_ENV=local python manage.py seed_demo", "the demo")
        accounts = work / "accounts.json"
        seed = SEED.format(
            users=options.users, password=password, items=options.items, accounts=str(accounts)
        )
        print(f"Seeding {options.items} learning items and {options.users} leads...", flush=True)
        stack.run(f"python manage.py shell -c {shlex.quote(seed)}", "seeding")
        environment = stack.environment
        kept_for = {"value": "60"}
        stack.environment = lambda: {**environment(), "PAGE_CACHE_SECONDS": kept_for["value"]}
        stack.start_workers()
        stack.start_beat()
        locustfile = work / "locustfile.py"
        locustfile.write_text(LOCUSTFILE)
        runs = {"on": ["on"], "off": ["off"], "both": ["on", "off"] * options.turns}
        p95 = {}
        for turn, run in enumerate(runs[options.page_cache]):
            kept_for["value"] = "60" if run == "on" else "0"
            stack.start_web()
            prefix = work / f"stats-{turn}-{run}"
            command = [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless"]
            command += ["-u", str(options.users), "-r", "10", "-t", options.time]
            command += ["--host", stack.url, "--csv", str(prefix), "--only-summary"]
            env = {
                **stack.environment(),
                "LOAD_ACCOUNTS": str(accounts),
                "LOAD_PASSWORD": password,
                **({"SIGN_IN_UNTIMED": "1"} if options.page_cache == "both" else {}),
            }
            print(f"locust: {options.users} users for {options.time} on {stack.url}, "
                  f"pages kept: {run}", flush=True)  # fmt: skip
            subprocess.run(command, cwd=work, env=env, capture_output=True, timeout=3600)  # noqa: S603
            p95.setdefault(run, []).append(report(prefix, options, run))
            stack.stop_web()
        if len(p95) == 2:
            compare(p95)
    finally:
        stack.stop()


def report(prefix, options, run):
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text().splitlines()))
    print(
        f"\nLoad: {options.users} users for {options.time}, {options.items} learning items, "
        f"pages kept for the session: {run}"
    )
    print(f"{'page':22} {'requests':>9} {'errors':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        requests = int(row["Request Count"])
        errors = int(row["Failure Count"])
        rate = 100 * errors / requests if requests else 0.0
        print(f"{row['Name'][:22]:22} {requests:9d} {rate:7.2f}% {row['50%']:>8} {row['95%']:>8}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in list(csv.DictReader(failures.read_text().splitlines()))[:5]:
            print(f"  failure: {json.dumps(row)[:200]}")
    print("Goal on 2 cores: under 1% errors and p95 under 800 ms (printed, never asserted).")
    return {row["Name"]: float(row["95%"]) for row in rows}


def compare(p95):
    """The p95 of each page with pages kept and without (the median over the turns), and how
    much keeping them cut it. Signing in is not timed in these runs, so "Aggregated" is the
    browsing mix. Decision record 44: the page cache stays only if it cuts the p95 of the
    whole mix by at least 30%."""
    print("\np95 (ms) with a person's pages kept until the next write, and with none kept,")
    print("the median of the turns (the home, the learning list and search are the kept pages):")
    print(f"{'page':22} {'kept':>8} {'not kept':>9} {'cut':>6}")
    for name in p95["on"][0]:
        kept = statistics.median(turn.get(name, 0) for turn in p95["on"])
        fresh = statistics.median(turn.get(name, 0) for turn in p95["off"])
        if not fresh:
            continue
        print(f"{name[:22]:22} {kept:8.0f} {fresh:9.0f} {100 * (1 - kept / fresh):5.0f}%")


if __name__ == "__main__":
    main()
