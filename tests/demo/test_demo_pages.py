"""What someone trying the demo (`make run`) sees when they follow a link outside their scope."""

import shlex
import shutil
import subprocess

import pytest
from django.conf import settings as django_settings

import config.settings
from accounts.roles import Role
from config.env import settings_from_environment
from tests.fellows.factories import InitiativeFactory
from tests.roles import person_with, region, sign_in


def make_run_environment():
    """The variables `make run` starts the server with, read from its dry run."""
    dry_run = subprocess.run(
        [shutil.which("make"), "-n", "run", "PORT=8899"],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    server = next(line for line in dry_run.splitlines() if "runserver" in line)
    words = shlex.split(server)
    assignments = [word for word in words[: words.index("run")] if "=" in word]
    return dict(assignment.split("=", 1) for assignment in assignments)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_shows_the_nhs_page_not_found_for_a_record_outside_ones_scope(client, settings):
    environment = make_run_environment()
    settings.DEBUG = settings_from_environment(environment, config.settings.BASE_DIR)["DEBUG"]
    north_initiative = InitiativeFactory(region=region("north"))
    sign_in(client, person_with(Role.FELLOW, "south"))

    response = client.get(f"/initiatives/{north_initiative.pk}/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "nhsuk-header" in page
    assert "URLconf" not in page
    assert "Using the URLconf" not in page


@pytest.mark.slow
def test_a_developer_may_ask_make_run_for_the_debug_pages():
    dry_run = subprocess.run(
        [shutil.which("make"), "-n", "run", "DEBUG=true"],
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "DEBUG=true MFA_REQUIRED=false" in dry_run
