"""Every email the portal sends is built here, from a pair of templates: `<name>.txt` for the
plain text and, where it exists, `<name>.html` for the HTML part.

Sending one writes it to the outbox, a table of django-mailer's, in the transaction of the
change it tells of (docs/adr/0030): an email is never lost to a broker or a worker. After the
commit a task sends what is queued; beat sends it every minute anyway, and tries again what
the mail server refused. MAILER_EMAIL_BACKEND is the backend that really sends.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from mailer.backend import DbBackend

from portal.queueing import enqueue

OUTBOX = "portal.emails.OutboxBackend"


class OutboxBackend(DbBackend):
    """Writes each message to the outbox, and asks for the outbox to be sent after the commit."""

    def send_messages(self, email_messages):
        written = super().send_messages(email_messages)
        if written:
            transaction.on_commit(lambda: enqueue("portal.tasks.send_queued_mail"))
        return written


def direct_connection():
    """A connection that sends at once, past the outbox: for the digests, which keep their
    own record of each delivery, its claim and its retries."""
    if settings.EMAIL_BACKEND == OUTBOX:
        return get_connection(settings.MAILER_EMAIL_BACKEND)
    return get_connection()


def email_message(*, to, subject, template, context, headers=None, connection=None):
    """The message to `to` (one address), its subject prefixed with the portal's name."""
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers=headers,
        connection=connection,
    )
    try:
        html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        pass
    else:
        message.attach_alternative(html, "text/html")
    return message


def email_send(**kwargs):
    """Build and send one message (see email_message); raises what the mail backend raises."""
    return email_message(**kwargs).send()
