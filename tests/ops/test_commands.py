"""The steps the production rehearsal and the backup drill run inside the portal are management
commands (ops/management/commands/), not code passed to a shell as a string."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from accounts.roles import Role
from learning.models import LearningItem
from tests.accounts.auth_helpers import sign_in
from tests.learning.factories import LearningItemFactory

pytestmark = pytest.mark.django_db

SECRET = "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF"


def test_the_rehearsal_lead_leads_the_north_and_signs_in_with_a_password_and_a_code(
    client, monkeypatch
):
    monkeypatch.setenv("REHEARSAL_PASSWORD", "a rehearsal password 2026")
    monkeypatch.setenv("REHEARSAL_TOTP_SECRET", SECRET)

    call_command("rehearsal_lead", "lead.rehearsal@example.org", stdout=io.StringIO())

    lead = User.objects.get(email="lead.rehearsal@example.org")
    (assignment,) = lead.assignments.all()
    assert (assignment.role, assignment.region.slug) == (Role.REGIONAL_LEAD, "north")
    lead.set_password("fellows-demo-2026")  # the factories' password, for the helper below
    lead.save()
    assert sign_in(client, lead, secret=SECRET).url == "/"


def test_the_rehearsal_chair_chairs_the_psc_named(monkeypatch):
    monkeypatch.setenv("REHEARSAL_PASSWORD", "a rehearsal password 2026")
    monkeypatch.setenv("REHEARSAL_TOTP_SECRET", SECRET)

    call_command(
        "rehearsal_lead",
        "chair.rehearsal@example.org",
        "--chair-of",
        "north-east-north-cumbria",
        stdout=io.StringIO(),
    )

    chair = User.objects.get(email="chair.rehearsal@example.org")
    (assignment,) = chair.assignments.all()
    assert (assignment.role, assignment.psc.slug) == (Role.PSC_CHAIR, "north-east-north-cumbria")


def test_the_rehearsal_lead_needs_its_password_and_secret_from_the_environment(monkeypatch):
    monkeypatch.delenv("REHEARSAL_PASSWORD", raising=False)
    monkeypatch.setenv("REHEARSAL_TOTP_SECRET", SECRET)

    with pytest.raises(CommandError, match="REHEARSAL_PASSWORD"):
        call_command("rehearsal_lead", "lead.rehearsal@example.org", stdout=io.StringIO())
    assert not User.objects.filter(email="lead.rehearsal@example.org").exists()


def test_the_rehearsal_lead_names_a_region_that_does_not_exist(monkeypatch):
    monkeypatch.setenv("REHEARSAL_PASSWORD", "a rehearsal password 2026")
    monkeypatch.setenv("REHEARSAL_TOTP_SECRET", SECRET)

    with pytest.raises(CommandError, match="atlantis"):
        call_command(
            "rehearsal_lead", "lead@example.org", "--region", "atlantis", stdout=io.StringIO()
        )


def test_the_drill_edits_the_first_learning_item_and_adds_an_account():
    first = LearningItemFactory(title="Huddles after falls")
    LearningItemFactory(title="A later item")

    call_command("backup_drill_edits", stdout=io.StringIO())

    first.refresh_from_db()
    assert first.title == "Huddles after falls (edited before the backup drill)"
    assert LearningItem.objects.get(title="A later item")
    assert User.objects.filter(email="drill@example.org").exists()
    assert first.history.latest().title == first.title  # in the history like any other edit


def test_the_drill_says_so_when_there_is_nothing_to_edit():
    with pytest.raises(CommandError, match="seed the demo"):
        call_command("backup_drill_edits", stdout=io.StringIO())
