"""The Procfile and docker-compose.yml run the same processes with the same commands, so a
platform that reads one and a host that runs the other deploy the same portal."""

import json
import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# Procfile process: compose service.
SAME = {
    "release": "migrate",
    "web": "web",
    "worker": "worker",
    "longworker": "longworker",
    "beat": "beat",
}
# Services of the compose file that are not the portal's own processes.
OTHERS = {"redis", "minio", "minio-bucket"}
DEFAULT = re.compile(r"\$\{[A-Z_]+:-([^}]*)\}")


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def with_defaults(command):
    """The command as a shell runs it when none of its variables is set."""
    return DEFAULT.sub(lambda match: match.group(1), command)


def compose_commands():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: service["command"] for name, service in services.items() if "command" in service}


def as_run(command):
    """A compose command as the words it runs when none of its variables is set (compose
    fills them in itself): `sh -c` scripts compared as their script."""
    if command[:2] == ["sh", "-c"]:
        return with_defaults(command[2])
    return [with_defaults(word) for word in command]


def test_every_procfile_process_is_a_compose_service_and_the_other_way_round():
    portal_services = set(compose_commands()) - OTHERS

    assert set(procfile()) == set(SAME)
    assert set(SAME.values()) == portal_services


def test_each_procfile_command_is_its_compose_services_command():
    compose = compose_commands()

    for process, command in procfile().items():
        expected = as_run(compose[SAME[process]])
        ran = with_defaults(command)
        if isinstance(expected, str):
            assert ran == expected, process
        else:
            assert shlex.split(ran) == expected, process


def test_the_image_starts_the_web_process_by_default():
    dockerfile = (ROOT / "Dockerfile").read_text()
    [cmd] = re.findall(r"^CMD (.+)$", dockerfile, flags=re.MULTILINE)

    assert json.loads(cmd) == shlex.split(with_defaults(procfile()["web"]))


def test_gunicorn_believes_forwarded_headers_from_the_trusted_proxies_only():
    compose = compose_commands()["web"]
    procfile_web = shlex.split(procfile()["web"])

    option = "--forwarded-allow-ips"
    assert compose[compose.index(option) + 1] == "${TRUSTED_PROXIES:-127.0.0.1}"
    assert procfile_web[procfile_web.index(option) + 1] == "${TRUSTED_PROXIES:-127.0.0.1}"


def test_a_drifted_command_is_caught():
    drifted = with_defaults(procfile()["worker"]).replace("--concurrency=2", "--concurrency=4")

    assert shlex.split(drifted) != compose_commands()["worker"]


def test_each_kind_of_worker_takes_its_own_queue():
    from django.conf import settings

    queues = {
        name: shlex.split(with_defaults(procfile()[name])) for name in ("worker", "longworker")
    }

    assert "--queues=celery" in queues["worker"]
    assert "--queues=long" in queues["longworker"]
    assert {q.name for q in settings.CELERY_TASK_QUEUES} == {"celery", "long"}
