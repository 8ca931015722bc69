"""The signed token in every digest's unsubscribe link and headers."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User

# Kept from when digests lived in the learning app: links in digests already sent still work.
UNSUBSCRIBE_SALT = "learning.digests.unsubscribe"


def unsubscribe_token(user):
    """A signed token naming one person: it cannot be guessed or changed to name another."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token):
    """The person the token was made for, or None for a tampered or unknown token."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_id).first()


def unsubscribe_url(user):
    return settings.SITE_URL + reverse("digests:unsubscribe", args=[unsubscribe_token(user)])
