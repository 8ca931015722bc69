"""`make prod-check`: rehearse the production stack natively and drive a person's journey
through it over HTTP. Fails (exit 1) naming the step that failed; stops every process it
started and drops its scratch database whatever happens; prints a summary.

The stack (ops/stack.py): the Procfile's release phase, gunicorn with 2 workers, two Celery
workers and one beat, in PORTAL_ENV=production on a scratch PostgreSQL database, a Redis of
its own and an SMTP sink. Run with `uv run python ops/prod_check.py`.
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
TITLE = "Rehearsal: huddles after deterioration incidents"


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
        self.step("SMTP sink", s.start_smtp)
        self.step("release: migrations, reference data, static files", s.release)
        self.step("check --deploy --fail-level WARNING", self.check_deploy)
        self.step("gunicorn, 2 workers, production mode", s.start_web)
        self.step("two Celery workers", s.start_workers)
        self.step("one Celery beat", s.start_beat)

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
        self.fellow = Browser(s.url)
        self.step("the fellow sets a password and an authenticator", self.fellow_joins)
        self.step("the fellow submits a learning item", self.fellow_submits)
        self.step("the lead hears of it by email, sent by a worker", self.lead_is_told)
        self.step("the task's log line carries the request's id", self.task_log_has_request_id)
        self.step("the lead publishes it", self.lead_publishes)
        self.step("the digest arrives once each, with unsubscribe headers", self.digest)
        self.step("request logs are JSON lines", self.json_request_logs)
        self.step("/health/ready is 503 naming Redis while it is down", self.redis_outage)

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
        browser.submit({"code": pyotp.TOTP(secret).now()})
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
        for number in range(1, self.stack.workers + 1):
            for line in self.stack.log_of(f"worker-{number}").splitlines():
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
        lines = [line for line in self.stack.log_of("web").splitlines() if line.startswith("{")]
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
        for name in ("web", "worker-1", "worker-2", "beat"):
            print(f"\n-- last lines of {name}:\n{rehearsal.stack.log_of(name)[-2500:]}")
    finally:
        rehearsal.stack.stop()
        rehearsal.steps.append(("every process stopped, scratch database dropped", "ok", 0.0))
    rehearsal.summary(outcome)
    return code


if __name__ == "__main__":
    sys.exit(main())
