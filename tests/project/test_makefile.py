"""The Makefile's targets that need a tool the machine may not have say so plainly."""

import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow


def make(*arguments):
    return subprocess.run(
        [shutil.which("make"), "-s", *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_compose_check_without_docker_compose_says_what_to_install():
    result = make("compose-check", "DOCKER_COMPOSE=no-such-docker-compose")

    assert result.returncode != 0
    assert "make compose-check needs no-such-docker-compose" in result.stderr
    assert "apt-get install docker-compose" in result.stderr
