"""An email backend for tests that run a real Celery worker: each message is written to a file
the test reads, a little slowly, so a test can stop the worker part way through a run."""

import time

from django.core.mail.backends.filebased import EmailBackend

SECONDS_A_MESSAGE = 0.4


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(SECONDS_A_MESSAGE)
        return super().send_messages(email_messages)
