"""Email goes through an outbox (portal/emails.py): written with the change it tells of, sent
after the commit, once, and never lost to a broker that is down."""

import pytest
from django.core import mail
from django.db import transaction
from mailer.models import Message

from accounts.roles import Role
from config.celery_app import app as celery_app
from learning.models import LearningItem
from learning.services import learning_item_publish
from portal import emails
from portal.emails import direct_connection, email_send
from portal.tasks import send_queued_mail
from tests.learning.factories import LearningItemFactory
from tests.roles import person_with, region

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def outbox(settings):
    """As in production: every email goes to the outbox, and memory stands for the mail
    server."""
    settings.EMAIL_BACKEND = emails.OUTBOX
    settings.MAILER_EMAIL_BACKEND = LOCMEM


def a_message(to="someone@example.org"):
    email_send(
        to=to,
        subject="Sign-ins to your account were paused",
        template="emails/sign_in_paused",
        context={"person": None, "address": "192.0.2.1", "reset_url": "https://example.org/"},
    )


def test_an_email_is_written_with_the_change_and_sent_once_after_the_commit(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        a_message()
        assert Message.objects.count() == 1  # in the outbox, in the same transaction
        assert mail.outbox == []

    assert [message.to for message in mail.outbox] == [["someone@example.org"]]
    assert not Message.objects.exists()
    send_queued_mail()  # beat's minute comes round: nothing is sent twice
    assert len(mail.outbox) == 1


def test_a_change_that_is_rolled_back_sends_no_email(outbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        a_message()
        raise RuntimeError("the change failed")

    assert not Message.objects.exists()
    assert mail.outbox == []


def test_an_email_asked_for_while_the_broker_is_down_waits_for_beat(
    outbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(emails, "enqueue", lambda *args: None)  # Redis is down
    with django_capture_on_commit_callbacks(execute=True):
        a_message()
    assert Message.objects.count() == 1
    assert mail.outbox == []

    send_queued_mail()  # beat, once Redis is back

    assert [message.to for message in mail.outbox] == [["someone@example.org"]]


def test_publishing_writes_the_authors_email_in_the_steps_transaction(
    outbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(emails, "enqueue", lambda *args: None)  # Redis is down
    lead = person_with(Role.REGIONAL_LEAD, "north")
    author = person_with(Role.FELLOW, "north")
    item = LearningItemFactory(
        status=LearningItem.Status.SUBMITTED, created_by=author, region=region("north")
    )

    with django_capture_on_commit_callbacks(execute=True):
        learning_item_publish(item=item, by=lead)

    assert [message.to_addresses for message in Message.objects.all()] == [[author.email]]


def test_digests_are_sent_past_the_outbox_with_the_backend_that_really_sends(outbox):
    assert type(direct_connection()).__module__ == "django.core.mail.backends.locmem"


def test_the_national_team_reads_the_outbox_in_the_admin_and_nobody_else_does(
    admin_client, client, outbox, django_capture_on_commit_callbacks
):
    a_message("waiting@example.org")

    page = admin_client.get("/admin/mailer/message/")
    assert page.status_code == 200
    assert "waiting@example.org" in page.content.decode()
    assert admin_client.get("/admin/mailer/messagelog/").status_code == 200
    client.force_login(person_with(Role.REGIONAL_LEAD, "north"))
    assert client.get("/admin/mailer/message/").status_code in {302, 403}


def test_beat_sends_the_outbox_every_minute_and_tries_refused_mail_again_every_ten():
    schedule = celery_app.conf.beat_schedule
    assert schedule["send-queued-mail"] == {
        "task": "portal.tasks.send_queued_mail",
        "schedule": 60.0,
    }
    retry = schedule["retry-deferred-mail"]
    assert retry["task"] == "portal.tasks.retry_deferred_mail"
    assert retry["schedule"].minute == set(range(0, 60, 10))


def test_beat_sweeps_the_reports_every_half_minute_and_reminds_every_hour_of_the_day():
    schedule = celery_app.conf.beat_schedule
    assert schedule["sweep-reports"]["schedule"] == 30.0
    reminders = schedule["overdue-recommendation-reminders"]["schedule"]
    assert (reminders.minute, reminders.hour) == ({0}, set(range(8, 19)))
