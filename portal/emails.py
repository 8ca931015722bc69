"""Every email the portal sends is built here, from a pair of templates: `<name>.txt` for the
plain text and, where it exists, `<name>.html` for the HTML part."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def email_message(*, to, subject, template, context, headers=None):
    """The message to `to` (one address), its subject prefixed with the portal's name."""
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers=headers,
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
