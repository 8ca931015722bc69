"""`make prod-check`: rehearse the production stack natively and drive a person's journey
through it over HTTP. Fails (exit 1) naming the step that failed; stops every process it
started and drops its scratch database whatever happens; prints a summary.

The stack (ops/stack.py): the Procfile's release phase, two gunicorns (web A and web B) with
2 workers each, two Celery workers of quick work, one of long work and one beat, each in a
working folder of its own, in PORTAL_ENV=production on a scratch PostgreSQL database, a Redis
of its own, an S3-compatible store (moto's server) and an SMTP sink. The journey alternates
between web A and web B. Run with `uv run python ops/prod_check.py`.
"""

import datetime
import json
import re
import secrets
import shlex
import sys
import time
import traceback
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402

from ops.browser import Browser, option_value, text_of  # noqa: E402
from ops.stack import Stack, wait_until  # noqa: E402

PASSWORD = "rehearsal " + secrets.token_urlsafe(12)
LEAD = "lead.rehearsal@example.org"
FELLOW = "fellow.rehearsal@example.org"
CHAIR = "chair.rehearsal@example.org"
CHAIRED_PSC = "north-east-north-cumbria"
TITLE = "Rehearsal: huddles after deterioration incidents"


# The last authenticator code each secret signed in with (sign_in).
CODES_USED = {}


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


class Rehearsal:
    def __init__(self):
        self.stack = Stack()
        self.steps = []
        self.lead_secret = pyotp.random_base32()
        self.chair_secret = pyotp.random_base32()
        self.facts = {}

    def step(self, name, function):
        started = time.monotonic()
        print(f"-- {name}", flush=True)
        try:
            function()
        except Exception as error:
            self.steps.append((name, "FAILED", time.monotonic() - started))
            raise Failed(f"{name}: {error}") from error
        self.steps.append((name, "ok", time.monotonic() - started))

    # The steps.
    def start(self):
        s = self.stack
        self.step("scratch PostgreSQL database", s.start_database)
        self.step("a Redis of the rehearsal's own", s.start_redis)
        self.step("an S3-compatible store with an empty bucket", s.start_s3)
        self.step("SMTP sink", s.start_smtp)
        self.step("release: migrations, reference data, static files", s.release)
        self.step("check --deploy --fail-level WARNING", self.check_deploy)
        self.step("web A and web B: gunicorn, 2 workers each, own folders", s.start_web)
        self.step("two workers of quick work and one of long work, own folders", s.start_workers)
        self.step("one Celery beat, own folder", s.start_beat)

    def check_deploy(self):
        output = self.stack.run(
            "python manage.py check --deploy --fail-level WARNING", "check --deploy"
        )
        check("no issues" in output, output)

    def journey(self):
        s = self.stack
        self.step("a regional lead with an authenticator", self.make_lead)
        self.lead = Browser(s.url)
        self.step("the lead signs in with a password and a code", self.lead_signs_in)
        self.step("the lead invites a safety fellow", self.lead_invites)
        self.fellow = Browser(s.url_b)  # the fellow on web B, the lead on web A
        self.step("the fellow sets a password and an authenticator", self.fellow_joins)
        self.step("the fellow submits a learning item", self.fellow_submits)
        self.step("the lead hears of it by email, sent by a worker", self.lead_is_told)
        self.step("the task's log line carries the request's id", self.task_log_has_request_id)
        self.step("the lead publishes it", self.lead_publishes)
        self.step("the digest arrives once each, with unsubscribe headers", self.digest)
        self.step("request logs are JSON lines", self.json_request_logs)
        self.step("a PSC chair with an authenticator", self.make_chair)
        self.chair = Browser(s.url)
        self.step("the chair asks for a quarterly report on web A", self.chair_asks)
        self.step("a worker in another folder makes it into the bucket", self.report_is_made)
        self.step("the chair downloads it through web B, as stored", self.chair_downloads_on_b)
        self.step("a password reset is emailed while long reports are made", self.reset_first)
        self.step("the expiry sweep deletes the files from the bucket", self.expiry)
        self.step("/health/ready is 503 naming Redis while it is down", self.redis_outage)

    def make_chair(self):
        self.stack.run(
            f"python manage.py rehearsal_lead {shlex.quote(CHAIR)} --chair-of {CHAIRED_PSC}",
            "creating the chair",
            REHEARSAL_PASSWORD=PASSWORD,
            REHEARSAL_TOTP_SECRET=self.chair_secret,
        )

    def ask_for_report(self, browser, scope, quarter, format):
        page = browser.get("/reports/")
        check(page.status == 200, page)
        page = browser.submit(
            {
                "scope": option_value(page.text, "scope", scope),
                "quarter": quarter,
                "format": format,
            },
            form="/reports/",
        )
        match = re.match(r"^/reports/(\d+)/$", page.url)
        check(match, f"not asked for: {page} {re.findall(r'error-message[^>]*>(.*?)<', page.text)}")
        return match.group(1)

    def chair_asks(self):
        self.sign_in(self.chair, CHAIR, self.chair_secret)
        self.report = self.ask_for_report(self.chair, "North East", "2025/26 Q3", "xlsx")

    def report_status(self, browser, report):
        page = browser.get(f"/reports/{report}/")
        check(page.status == 200, page)
        status = text_of(page.text, "report-status")
        check(status, f"no status on the report's page: {page.text[:500]}")
        return status

    def report_is_made(self):
        wait_until(
            lambda: self.report_status(self.chair, self.report) in ("Ready", "Failed"),
            120,
            "the report to be made",
        )
        check(self.report_status(self.chair, self.report) == "Ready", "the report failed")
        keys = [key for key in self.stack.s3.object_keys() if key.startswith("reports/")]
        check(len(keys) == 1 and keys[0].endswith(".xlsx"), f"in the bucket: {keys}")
        self.report_key = keys[0]
        # Made by the worker of long work, in its own folder: nothing on any process's disk.
        made_by = self.stack.log_of("longworker")
        check("reports.tasks.make_report" in made_by, "the long worker did not make it")
        on_disk = [
            path for path in self.stack.dir.rglob("media/*") if path.is_file()
        ]  # any VAR_DIR/media of any process
        check(not on_disk, f"files on a process's disk: {on_disk}")

    def chair_downloads_on_b(self):
        on_b = Browser(self.stack.url_b)
        on_b.cookies = self.chair.cookies  # the same person's session, on the other machine
        page = on_b.request("GET", f"/reports/{self.report}/download/")
        check(page.status == 200, page)
        check("attachment" in page.headers.get("Content-Disposition", ""), page.headers)
        stored = self.stack.s3.read(self.report_key)
        check(page.body == stored, f"{len(page.body)} bytes downloaded, {len(stored)} stored")
        check(stored[:2] == b"PK", "not a workbook")
        self.facts["report downloaded through web B"] = f"{len(stored)} bytes, as stored"

    def reset_first(self):
        # The lead asks for a year of the region's reports, on web B: minutes of long work
        # for its worker, one at a time.
        self.sign_in_again_on_b()
        asked = [
            self.ask_for_report(self.lead_b, "North", f"2025/26 Q{quarter}", format)
            for quarter in (1, 2, 3, 4)
            for format in ("pdf", "xlsx", "csv")
        ]
        last = asked[-1]
        # Then the fellow forgets their password, on web A.
        forgetful = Browser(self.stack.url)
        forgetful.get("/accounts/password/reset/")
        page = forgetful.submit({"email": FELLOW}, form="/accounts/password/reset/")
        check(page.status == 200, page)
        sink = self.stack.smtp
        wait_until(lambda: sink.to(FELLOW, "assword"), 60, "the password reset email")
        status = self.report_status(self.lead_b, last)
        check(
            status in ("Waiting to start", "Being made"),
            f"the last report was {status!r} when the reset email came",
        )
        self.facts["last long report when the reset email came"] = status
        wait_until(
            lambda: self.report_status(self.lead_b, last) in ("Ready", "Failed"),
            600,
            "the long reports to be made",
        )
        check(self.report_status(self.lead_b, last) == "Ready", "the last report failed")

    def sign_in_again_on_b(self):
        self.lead_b = Browser(self.stack.url_b)
        self.sign_in(self.lead_b, LEAD, self.lead_secret)

    def expiry(self):
        check(self.report_key in self.stack.s3.object_keys(), "gone before its time")
        sweep = (
            "import datetime; from django.utils import timezone; "
            "from reports.services import reports_sweep; "
            "print(reports_sweep(now=timezone.now() + datetime.timedelta(days=8)))"
        )
        output = self.stack.run(f"python manage.py shell -c {shlex.quote(sweep)}", "the sweep")
        left = [key for key in self.stack.s3.object_keys() if key.startswith("reports/")]
        check(not left, f"still in the bucket after the sweep: {left} ({output.strip()})")
        on_b = Browser(self.stack.url_b)
        on_b.cookies = self.chair.cookies
        page = on_b.request("GET", f"/reports/{self.report}/download/")
        check(page.status == 404, f"an expired report downloaded: {page}")

    def make_lead(self):
        self.stack.run(
            f"python manage.py rehearsal_lead {shlex.quote(LEAD)}",
            "creating the lead",
            REHEARSAL_PASSWORD=PASSWORD,
            REHEARSAL_TOTP_SECRET=self.lead_secret,
        )

    def sign_in(self, browser, email, secret):
        browser.get("/accounts/login/")
        browser.submit({"login": email, "password": PASSWORD})
        check(browser.page.url.endswith("/accounts/2fa/authenticate/"), browser.page)
        # A code is taken once (a used code is refused): a second sign-in with the same
        # authenticator within its 30 seconds waits for the next code, as a person would.
        totp = pyotp.TOTP(secret)
        while totp.now() == CODES_USED.get(secret):
            time.sleep(1)
        CODES_USED[secret] = code = totp.now()
        browser.submit({"code": code})
        check(browser.page.status == 200 and browser.page.url == "/", browser.page)

    def lead_signs_in(self):
        self.sign_in(self.lead, LEAD, self.lead_secret)
        check("Sign out" in self.lead.page.text, "not signed in")
        # Secure cookies only, so the session never travels over plain HTTP, and a request
        # the proxy did not mark as HTTPS is sent to HTTPS.
        session = [h for h in self.lead.set_cookie_headers if h.startswith("sessionid=")]
        check(session and all("Secure" in h and "HttpOnly" in h for h in session), session)
        plain = Browser(self.stack.url)
        response = plain.get(
            "/accounts/login/", headers={"X-Forwarded-Proto": "http"}, follow=False
        )
        check(response.status == 301, f"plain HTTP was not redirected: {response}")
        check(response.headers.get("Location", "").startswith("https://"), response.headers)

    def lead_invites(self):
        page = self.lead.get("/people/invitations/new/")
        check(page.status == 200, page)
        values = {
            "full_name": "Rehearsal Fellow",
            "email": FELLOW,
            "role": option_value(page.text, "role", "Safety fellow"),
            "region": option_value(page.text, "region", "North"),
            "psc": option_value(page.text, "psc", "North East and North Cumbria"),
        }
        page = self.lead.submit(values, form="/people/invitations/new/")
        check("Invitation for Rehearsal Fellow" in page.text, f"not invited: {page}")

    def fellow_joins(self):
        sink = self.stack.smtp
        wait_until(lambda: sink.to(FELLOW), 60, "the invitation email")
        body = sink.to(FELLOW)[0].get_payload(decode=True) or b""
        if sink.to(FELLOW)[0].is_multipart():
            body = sink.to(FELLOW)[0].get_payload(0).get_payload(decode=True)
        link = re.search(r"https?://\S+?(/invitation/\S+/)", body.decode()).group(1)
        page = self.fellow.get(link)
        check(page.status == 200, page)
        page = self.fellow.submit({"password1": PASSWORD, "password2": PASSWORD})
        check(page.url.endswith("/accounts/2fa/totp/activate/"), page)
        secret = text_of(page.text, "authenticator_secret").replace(" ", "")
        self.fellow_secret = secret
        page = self.fellow.submit({"code": pyotp.TOTP(secret).now()})
        check("recovery codes" in page.text.lower(), page)
        page = self.fellow.get("/")  # the recovery codes page's Continue is a link home
        check(page.url == "/" and page.status == 200, page)

    def fellow_submits(self):
        page = self.fellow.get("/learning/add/")
        check(page.status == 200, page)
        page = self.fellow.submit(
            {
                "kind": "best_practice",
                "title": TITLE,
                "summary": "A five-minute huddle after each deterioration incident.",
                "body": "A huddle within a day of the incident, with the whole team.",
            },
            form="/learning/add/",
        )
        match = re.match(r"^/learning/(\d+)/$", page.url)
        check(match, f"not saved: {page} {re.findall(r'error-message[^>]*>(.*?)<', page.text)}")
        self.item = match.group(1)
        self.fellow.get(f"/learning/{self.item}/submit/")
        self.submit_request_id = "rehearsal-submit-" + secrets.token_hex(6)
        page = self.fellow.submit(
            form=f"/learning/{self.item}/submit/",
            headers={"X-Request-ID": self.submit_request_id},
        )
        check(page.status == 200, page)

    def lead_is_told(self):
        wait_until(lambda: self.stack.smtp.to(LEAD), 60, "the lead's email")

    def task_lines(self):
        lines = []
        for name in self.stack.worker_names():
            for line in self.stack.log_of(name).splitlines():
                if line.startswith("{"):
                    lines.append(json.loads(line))
        return lines

    def task_log_has_request_id(self):
        def found():
            return [
                line
                for line in self.task_lines()
                if line.get("request_id") == self.submit_request_id
                and line.get("event") == "task_succeeded"
            ]

        wait_until(found, 30, f"a task_succeeded line with request_id {self.submit_request_id}")
        line = found()[0]
        check("duration_ms" in line and "time" in line and "level" in line, line)
        self.facts["task log line"] = json.dumps(line)[:200]

    def lead_publishes(self):
        page = self.lead.get(f"/learning/{self.item}/publish/")
        check(page.status == 200, page)
        page = self.lead.submit(form=f"/learning/{self.item}/publish/")
        check(page.status == 200, page)
        page = self.lead.get(f"/learning/{self.item}/")
        check("Published" in page.text, "not published")

    def digest(self):
        london = ZoneInfo("Europe/London")
        today = datetime.datetime.now(london).date()
        monday = today + datetime.timedelta(days=(7 - today.weekday()) or 7)
        now = datetime.datetime.combine(monday, datetime.time(7, 0), london).isoformat()
        # Twice, as a beat and an operator both might: the digest must still arrive once.
        for _ in range(2):
            self.stack.run(
                f"python manage.py send_digests --frequency weekly --now {now}", "send_digests"
            )
        sink = self.stack.smtp
        for person in (LEAD, FELLOW):
            wait_until(lambda p=person: sink.to(p, "new learning"), 90, f"{person}'s digest")
        time.sleep(5)  # time for a second copy to arrive, if the workers were to send one
        for person in (LEAD, FELLOW):
            digests = sink.to(person, "new learning")
            check(len(digests) == 1, f"{person} got {len(digests)} digests")
            message = digests[0]
            check(message["List-Unsubscribe"], "no List-Unsubscribe header")
            check(message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", message)
            check(TITLE in message.as_string(), "the item is not in the digest")

    def json_request_logs(self):
        logs = "\n".join(self.stack.log_of(name) for name in self.stack.WEBS)
        lines = [line for line in logs.splitlines() if line.startswith("{")]
        parsed = [json.loads(line) for line in lines]
        finished = [line for line in parsed if line.get("event") == "request_finished"]
        check(finished, "no request_finished line")
        for field in ("time", "level", "request_id", "path", "status", "duration_ms"):
            check(all(field in line for line in finished), f"a request line lacks {field}")
        submitted = [line for line in finished if line["request_id"] == self.submit_request_id]
        check(submitted, "the submit request's line is missing")
        # The person by their id (a request turned away before sign-in has none).
        check(isinstance(submitted[0].get("user_id"), int), f"no user id: {submitted[0]}")
        check(not any("@" in str(line.get("user_id")) for line in finished), "an email logged")
        self.facts["request log lines"] = len(finished)

    def ready(self):
        from urllib.request import urlopen

        try:
            with urlopen(self.stack.url + "/health/ready", timeout=5) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except Exception as error:  # noqa: BLE001
            if hasattr(error, "code"):
                return error.code, json.loads(error.read())
            raise

    def redis_outage(self):
        check(self.ready()[0] == 200, f"not ready before: {self.ready()}")
        self.stack.stop_redis()
        wait_until(lambda: self.ready()[0] == 503, 30, "503 with Redis stopped")
        status, body = self.ready()
        check(body.get("down") == ["redis"], body)
        self.facts["/health/ready with Redis down"] = f"{status} {json.dumps(body)}"
        self.stack.start_redis()
        wait_until(lambda: self.ready()[0] == 200, 30, "200 with Redis back")

    def summary(self, outcome):
        print("\n== Production rehearsal summary")
        for name, result, seconds in self.steps:
            print(f"  {result:6} {seconds:6.1f}s  {name}")
        for name, value in self.facts.items():
            print(f"  {name}: {value}")
        print(f"  processes: {', '.join(self.processes_seen)}")
        print(f"== {outcome}")


def main():
    rehearsal = Rehearsal()
    outcome, code = "passed", 0
    rehearsal.processes_seen = []
    try:
        rehearsal.start()
        rehearsal.processes_seen = sorted(rehearsal.stack.processes)
        rehearsal.journey()
    except Failed as failure:
        outcome, code = f"FAILED at {failure}", 1
        traceback.print_exc()
        for name in [*rehearsal.stack.WEBS, *rehearsal.stack.worker_names(), "beat", "s3"]:
            print(f"\n-- last lines of {name}:\n{rehearsal.stack.log_of(name)[-2500:]}")
    finally:
        rehearsal.stack.stop()
        rehearsal.steps.append(("every process stopped, scratch database dropped", "ok", 0.0))
    rehearsal.summary(outcome)
    return code


if __name__ == "__main__":
    sys.exit(main())
