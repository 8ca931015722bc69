"""`make run` starts Django as few times as it can and runs the system checks once: the
behaviour that makes a cold start quick (the time itself is measured, not asserted: README)."""

import io
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from regions.models import Region


@pytest.mark.slow
def test_make_run_starts_django_twice_and_the_server_skips_the_checks():
    dry_run = subprocess.run(
        [shutil.which("make"), "-n", "run", "PORT=8899"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in dry_run.splitlines() if "manage.py" in line]

    assert len(commands) == 2, commands
    assert "prepare_demo" in commands[0]
    assert "runserver 127.0.0.1:8899 --skip-checks" in commands[1]


@pytest.mark.django_db(transaction=True)
def test_prepare_demo_migrates_loads_the_reference_data_and_seeds_the_demo(reference_data):
    out = io.StringIO()

    call_command("prepare_demo", stdout=out)

    assert "No migrations to apply" in out.getvalue()
    assert Region.objects.filter(slug="north").exists()
    assert User.objects.filter(email="fellow.north@example.org").exists()
