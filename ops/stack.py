"""The production stack, natively, without Docker: the Procfile's processes in production mode
on a scratch PostgreSQL database, a Redis of their own, an S3-compatible object store and a
local SMTP sink.

Shared-nothing, as on many machines: two web processes on two ports, the two kinds of worker
(quick work and long work) and beat each run in a working folder of their own with their own
VAR_DIR, so what one writes to its disk the others never see; they share only PostgreSQL,
Redis and the bucket (docs/adr/0040).

`make prod-check` (ops/prod_check.py) drives a journey through it; bench/load.py puts load on
it. Everything runs on loopback ports chosen free in REHEARSAL_PORTS (18000-18999 unless set,
as in 18100-18199), and `Stack.stop()` ends every process it started and drops the scratch
database.
"""

import os
import random
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def port_range():
    raw = os.environ.get("REHEARSAL_PORTS", "18000-18999")
    try:
        first, last = (int(part) for part in raw.split("-"))
    except ValueError:
        raise RuntimeError(f"REHEARSAL_PORTS must look like 18100-18199 (got {raw!r})") from None
    return first, last


def free_port(start=None):
    """A port of REHEARSAL_PORTS that nothing binds now, from a random point on, so two
    rehearsals started together rarely pick the same one (and each checks that its own
    process is the one that got it)."""
    first, last = port_range()
    offset = random.randrange(0, last - first + 1)
    for port in [*range(first + offset, last + 1), *range(first, first + offset)]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001, S110 - not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gave up after {seconds}s waiting for {what}")


class SmtpSink:
    """An SMTP server on loopback that keeps every message it is given, in order."""

    def __init__(self, port):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                message = message_from_bytes(envelope.original_content or envelope.content)
                with sink.lock:
                    sink.messages.append((list(envelope.rcpt_tos), message))
                return "250 Message accepted"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.port = port

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def to(self, address, subject_has=""):
        with self.lock:
            return [
                message
                for recipients, message in self.messages
                if address in recipients and subject_has in (message["Subject"] or "")
            ]


class S3Server:
    """An S3-compatible object store on loopback (moto's server, a development dependency),
    in a process of its own, with one empty bucket: what the portal's processes share in
    production besides PostgreSQL and Redis (docs/adr/0040)."""

    BUCKET = "portal-files"
    REGION = "eu-west-2"
    KEY = "rehearsal"  # moto takes any credentials; these only have to be the same everywhere

    def __init__(self, port, log_path):
        self.port = port
        self.log_path = Path(log_path)
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def environment(self):
        """The variables that point a portal process at this store (config/env.py)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.BUCKET,
            "AWS_S3_ENDPOINT_URL": self.url,
            "AWS_S3_REGION_NAME": self.REGION,
            "AWS_ACCESS_KEY_ID": self.KEY,
            "AWS_SECRET_ACCESS_KEY": self.KEY,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=self.REGION,
            aws_access_key_id=self.KEY,
            aws_secret_access_key=self.KEY,
        )

    def start(self):
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"moto's server exited:\n{self.log_path.read_text()[-2000:]}")
            self.client().list_buckets()
            return True

        wait_until(answers, 60, "the S3-compatible server")
        self.client().create_bucket(
            Bucket=self.BUCKET, CreateBucketConfiguration={"LocationConstraint": self.REGION}
        )

    def object_keys(self):
        answer = self.client().list_objects_v2(Bucket=self.BUCKET)
        return [item["Key"] for item in answer.get("Contents", [])]

    def read(self, key):
        return self.client().get_object(Bucket=self.BUCKET, Key=key)["Body"].read()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None


class Stack:
    def __init__(self, database_url=None, web_workers=2, workers=2, log=print):
        self.log = log
        self.base_database = database_url or os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        )
        if not self.base_database.startswith(("postgres://", "postgresql://")):
            raise RuntimeError("the rehearsal needs PostgreSQL: set DATABASE_URL to postgres://")
        self.web_workers = web_workers
        self.workers = workers
        self.dir = Path(tempfile.mkdtemp(prefix="portal-rehearsal-"))
        self.processes = {}
        self.database = f"portal_rehearsal_{os.getpid()}_{secrets.token_hex(3)}"
        parts = urlsplit(self.base_database)
        self.database_url = parts._replace(path=f"/{self.database}").geturl()
        self.redis_port = free_port()
        self.smtp_port = free_port()
        self.web_port = free_port()
        self.web_port_b = free_port()
        while self.web_port_b == self.web_port:
            self.web_port_b = free_port()
        self.url = f"http://127.0.0.1:{self.web_port}"
        self.url_b = f"http://127.0.0.1:{self.web_port_b}"
        self.smtp = None
        self.s3 = None
        self.database_made = False

    # The environment every process of the stack gets: production, as docker-compose.yml sets.
    def environment(self):
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "CI"))
        }
        env.update(
            PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
            PORTAL_ENV="production",
            SECRET_KEY=self.secret_key,
            DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=f"https://127.0.0.1:{self.web_port}",
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port),
            EMAIL_USE_TLS="false",
            STATIC_ROOT=str(self.dir / "staticfiles"),
            VAR_DIR=str(self.dir / "var"),
            HOST="127.0.0.1",
            # The rehearsal's clients play the TLS proxy, from loopback: the load test gives
            # each simulated person an address of their own in X-Forwarded-For.
            TRUSTED_PROXIES="127.0.0.1",
            PORT=str(self.web_port),
            WEB_CONCURRENCY=str(self.web_workers),
            BEAT_SCHEDULE=str(self.dir / "celerybeat-schedule"),
            PYTHONUNBUFFERED="1",
        )
        if self.s3:
            env.update(self.s3.environment())
        return env

    secret_key = secrets.token_urlsafe(64)

    def run(self, command, what, **extra_env):
        """Run a one-off command of the stack (as the release phase does), with `extra_env`
        added to its environment; fail naming it."""
        result = subprocess.run(  # noqa: S603 - our own commands
            ["sh", "-c", command],  # noqa: S607
            cwd=ROOT,
            env={**self.environment(), **extra_env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{what} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout + result.stderr

    def spawn(self, name, command, own_folder=False, **extra_env):
        """Start `command` as process `name`; with `own_folder`, in a working folder of its own
        with a VAR_DIR of its own, as on a machine of its own: the code is found through
        PYTHONPATH, as an image's installed code would be."""
        log = self.dir / f"{name}.log"
        env = {**self.environment(), **extra_env}
        cwd = ROOT
        if own_folder:
            cwd = self.dir / name
            (cwd / "var").mkdir(parents=True, exist_ok=True)
            env.update(VAR_DIR=str(cwd / "var"), PYTHONPATH=str(ROOT))
            env["BEAT_SCHEDULE"] = str(cwd / "celerybeat-schedule")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own commands
            ["sh", "-c", f"exec {command}"],  # noqa: S607
            cwd=cwd,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return log

    def folder_of(self, name):
        return self.dir / name

    def alive(self, name):
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            raise RuntimeError(f"{name} exited:\n{self.log_of(name)[-2000:]}")
        return True

    def log_of(self, name):
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # Starting.
    def start_database(self):
        self.psql(f'CREATE DATABASE "{self.database}"')
        self.database_made = True

    def psql(self, sql):
        parts = urlsplit(self.base_database)
        env = {**os.environ}
        if parts.password:
            env["PGPASSWORD"] = parts.password
        command = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
        command += ["-U", parts.username or "postgres", "-d", "postgres", "-qAtc", sql]
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=60)  # noqa: S603

    def start_redis(self):
        self.spawn(
            "redis",
            f"redis-server --bind 127.0.0.1 --port {self.redis_port} --save '' --appendonly no",
        )
        wait_until(
            lambda: (
                self.alive("redis")
                and "Ready to accept" in self.log_of("redis")
                and self.redis_answers()
            ),
            20,
            "the rehearsal's Redis",
        )

    def stop_redis(self):
        self.end("redis")

    def redis_answers(self):
        import redis

        return redis.Redis(port=self.redis_port, socket_connect_timeout=0.5).ping()

    def start_s3(self):
        """The S3-compatible store, with an empty bucket, before any portal process starts."""
        self.s3 = S3Server(free_port(), self.dir / "s3.log")
        self.s3.start()

    def start_smtp(self):
        self.smtp = SmtpSink(self.smtp_port)
        self.smtp.start()

    def release(self):
        """The compose `migrate` service and the Procfile's release phase, then the static
        files the image collects at build time."""
        self.run(procfile()["release"], "migrations and reference data")
        self.run("python manage.py collectstatic --no-input", "collectstatic")

    # The web processes, as on two machines: A at `url`, B at `url_b`.
    WEBS = {"web-a": "web_port", "web-b": "web_port_b"}

    def start_web(self):
        for name, port in self.WEBS.items():
            self.spawn(name, procfile()["web"], own_folder=True, PORT=str(getattr(self, port)))
        for name, port in self.WEBS.items():
            listening = f"Listening at: http://127.0.0.1:{getattr(self, port)}"
            wait_until(
                lambda name=name, listening=listening: (
                    self.alive(name) and listening in self.log_of(name)
                ),
                60,
                f"gunicorn {name} to bind",
            )
        for url in (self.url, self.url_b):
            wait_until(lambda url=url: self.get("/health/live", url) == 200, 60, "gunicorn")

    def stop_web(self):
        for name in self.WEBS:
            self.end(name)

    def worker_names(self):
        """Workers of quick work (the Procfile's worker), then the one of long work."""
        return [f"worker-{number}" for number in range(1, self.workers + 1)] + ["longworker"]

    def start_workers(self):
        for name in self.worker_names():
            kind = "longworker" if name == "longworker" else "worker"
            command = f"{procfile()[kind]} -n {name}-{self.web_port}@%h"
            self.spawn(name, command, own_folder=True)
        for name in self.worker_names():
            wait_until(lambda name=name: "ready" in self.log_of(name), 90, f"{name} to be ready")

    def start_beat(self):
        self.spawn("beat", procfile()["beat"], own_folder=True)
        wait_until(lambda: "beat" in self.log_of("beat").lower(), 30, "beat to start")

    def get(self, path, url=None):
        try:
            with urllib.request.urlopen((url or self.url) + path, timeout=5) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    # Stopping.
    def end(self, name, timeout=30):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop(self):
        for name in list(self.processes):
            self.end(name)
        if self.smtp:
            self.smtp.stop()
            self.smtp = None
        if self.s3:
            self.s3.stop()
        if self.database_made:
            self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self.database_made = False

    def command_lines(self):
        return {name: shlex.join(p.args) for name, p in self.processes.items()}
