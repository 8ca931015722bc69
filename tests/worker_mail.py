"""Email backends for tests: one that writes each message to a file a little slowly, so a test
running a real Celery worker can stop it part way through a run, and one that always fails."""

import smtplib
import time

from django.core.mail.backends.filebased import EmailBackend

SECONDS_A_MESSAGE = 0.4


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(SECONDS_A_MESSAGE)
        return super().send_messages(email_messages)


class FailingBackend(EmailBackend):
    """A mail relay that is down: every send fails as a dropped SMTP connection does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
