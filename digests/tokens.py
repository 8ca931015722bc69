"""The signed token in every digest's unsubscribe link and headers."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.models import User
from digests.models import DigestKind

# Kept from when digests lived in the learning app: links in digests already sent still work.
UNSUBSCRIBE_SALT = "learning.digests.unsubscribe"


def unsubscribe_token(user, kind=DigestKind.LEARNING):
    """A signed token naming one person and the emails it stops: it cannot be guessed or
    changed to name another. A digest's token names the person alone, as it always has."""
    if kind == DigestKind.LEARNING:
        return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)
    return signing.dumps([user.pk, str(kind)], salt=UNSUBSCRIBE_SALT)


def unsubscribe_for_token(token):
    """The person the token was made for and the kind of email it stops, or (None, None)
    for a tampered or unknown token."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None, None
    user_id, kind = payload if isinstance(payload, list) else (payload, DigestKind.LEARNING)
    if kind not in DigestKind.values:
        return None, None
    return User.objects.filter(pk=user_id).first(), DigestKind(kind)


def user_for_unsubscribe_token(token):
    """The person the token was made for, or None for a tampered or unknown token."""
    return unsubscribe_for_token(token)[0]


def unsubscribe_url(user, kind=DigestKind.LEARNING):
    return settings.SITE_URL + reverse("digests:unsubscribe", args=[unsubscribe_token(user, kind)])
