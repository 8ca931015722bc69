"""Links in email follow the port `make run` serves on, in commands run from another shell."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command

from accounts.roles import Role
from config.env import settings_from_environment
from learning.models import LearningItem
from tests.digests.test_digests import MID_PERIOD, MONDAY_AFTER_CHANGE
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region

BASE_DIR = django_settings.BASE_DIR


def make_run_records_its_address(port, var_dir):
    subprocess.run(
        [shutil.which("make"), "-s", "site-url", f"PORT={port}", f"VAR_DIR={var_dir}"],
        cwd=BASE_DIR,
        check=True,
    )


@pytest.mark.slow
def test_settings_read_the_address_make_run_recorded_when_no_port_is_set(tmp_path):
    make_run_records_its_address(8810, tmp_path)

    from_another_shell = settings_from_environment({"VAR_DIR": str(tmp_path)}, BASE_DIR)
    with_a_port = settings_from_environment({"VAR_DIR": str(tmp_path), "PORT": "8811"}, BASE_DIR)
    with_a_site_url = settings_from_environment(
        {"VAR_DIR": str(tmp_path), "SITE_URL": "https://portal.example.org"}, BASE_DIR
    )

    assert from_another_shell["SITE_URL"] == "http://127.0.0.1:8810"
    assert from_another_shell["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8810"]
    assert with_a_port["SITE_URL"] == "http://127.0.0.1:8811"
    assert with_a_site_url["SITE_URL"] == "https://portal.example.org"


def test_without_a_recorded_address_the_default_port_is_used(tmp_path):
    assert settings_from_environment({"VAR_DIR": str(tmp_path)}, BASE_DIR)["SITE_URL"] == (
        "http://127.0.0.1:8000"
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_digest_sent_by_the_command_links_to_the_port_make_run_serves_on(
    tmp_path, settings, reference_data, no_mfa_required
):
    make_run_records_its_address(8810, tmp_path)
    settings.SITE_URL = settings_from_environment({"VAR_DIR": str(tmp_path)}, BASE_DIR)["SITE_URL"]
    person = person_with(Role.FELLOW, "north")
    LearningItemFactory(
        status=LearningItem.Status.PUBLISHED,
        published_at=MID_PERIOD,
        region=region("north"),
    )

    call_command("send_digests", "--frequency", "weekly", "--now", MONDAY_AFTER_CHANGE.isoformat())

    (message,) = [message for message in mail.outbox if message.to == [person.email]]
    texts = [message.body, message.alternatives[0][0], message.extra_headers["List-Unsubscribe"]]
    links = [link for text in texts for link in re.findall(r"https?://[^\s\"'<>]+", text)]
    assert any("/digests/unsubscribe/" in link for link in links)
    assert any("/learning/" in link for link in links)
    assert all(link.startswith("http://127.0.0.1:8810/") for link in links), links
