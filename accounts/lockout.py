"""Limits on failed sign-ins that slow down guessing without letting anyone lock the owner out
(docs/adr/0020).

Failures are counted for an account at one address, for an account from anywhere, and, at one
address, as the number of different accounts failing there. A browser that has signed in to an
account before carries a signed cookie saying so; its sign-ins to that account are counted on
their own, so neither someone guessing elsewhere nor a busy shared address stops the owner.
The counts live in the default cache (Redis, with the database standing in while it is down),
through django-allauth's rate-limit helpers (accounts/allauth_internals.py), so a successful
sign-in takes its attempt back.

When failures from many addresses pause an account, its owner is emailed a one-time link: the
browser that opens it may sign in to that account past the pause (with the password and the
second factor, and within the limits at its address), and is then remembered like any other.
The emails of password resets to one address are limited here too.
"""

import logging
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import get_random_string, salted_hmac

from accounts import allauth_internals as allauth

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "portal_device"
DEVICE_SALT = "accounts.lockout.device"
DEVICE_MAX_AGE = 90 * 24 * 60 * 60
# Accounts one browser remembers: a shared computer at a trust may be used by several people.
DEVICE_ACCOUNTS = 5
TOLD_FOR = 24 * 60 * 60
# The owner's link past a pause works once, within an hour of being sent; the browser that
# opens it may then sign in past the pause for an hour, in that browser session.
UNLOCK_SALT = "accounts.lockout.unlock"
UNLOCK_MAX_AGE = 60 * 60
UNLOCKED_SESSION_KEY = "portal_unlocked"

APP = "accounts.lockout"


class Refused(Exception):
    """A sign-in refused before its password is checked; `limit` says which limit refused it."""

    def __init__(self, limit):
        super().__init__(limit)
        self.limit = limit


def login_of(credentials):
    return (credentials.get("email") or credentials.get("username") or "").strip().lower()


def _account_mark(login):
    # The cookie names accounts by a keyed hash, so it does not carry the email address.
    return salted_hmac(DEVICE_SALT, login).hexdigest()[:24]


def _device(request):
    """(nonce, account marks) of the browser's device cookie, or None if it has none valid."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
        return str(data["n"]), [str(mark) for mark in data["a"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def trusted_device(request, login):
    """The nonce of this browser if it has signed in to `login` before, else None."""
    device = _device(request)
    if device is None or not login:
        return None
    nonce, marks = device
    return nonce if _account_mark(login) in marks else None


def device_cookie_value(request, login):
    """The cookie to give a browser that has just signed in to `login`: the accounts it
    already remembered, with this one first."""
    nonce, marks = _device(request) or (get_random_string(24), [])
    mark = _account_mark(login)
    marks = [mark] + [other for other in marks if other != mark]
    return signing.dumps({"n": nonce, "a": marks[:DEVICE_ACCOUNTS]}, salt=DEVICE_SALT)


def _consume(request, action, key):
    return allauth.rate_consume(
        request, app=APP, action=action, config=settings.SIGN_IN_LIMITS, key=key
    )


def _address_key(request):
    return f"{APP}:address:{allauth.client_address(request)}"


def _accounts_failing_at(request, now):
    _limit, seconds = settings.SIGN_IN_ADDRESS_ACCOUNTS
    failures = cache.get(_address_key(request), {})
    return {mark: when for mark, when in failures.items() if when > now - seconds}


def _account_limits(request, login):
    """(action, key) of the limits on one account: at this address, and from anywhere."""
    return (("pair", f"{allauth.client_address(request)}:{login}"), ("account", login))


def sign_in_allowed(request, login):
    """Count one sign-in attempt for `login`, or raise Refused. Returns what the attempt used,
    for rollback() when the password turns out right."""
    nonce = trusted_device(request, login)
    if nonce is not None:
        usage = _consume(request, "device", f"{nonce}:{login}")
        if not usage:
            raise Refused("device")
        return usage
    limit, _seconds = settings.SIGN_IN_ADDRESS_ACCOUNTS
    if len(_accounts_failing_at(request, time.time())) >= limit:
        raise Refused("address")
    # The owner's link lets this browser past the pause on the account, and nothing else:
    # the limits at its address still count it.
    unlocked = has_unlock_pass(request, login)
    usages = []
    for action, key in _account_limits(request, login):
        if action == "account" and unlocked:
            continue
        usage = _consume(request, action, key)
        if not usage:
            for used in usages:
                used.rollback()
            _tell_owner(request, login, action)
            raise Refused(action)
        usages.append(usage)
    return allauth.usage_of_all(usages)


def sign_in_failed(request, login):
    """Note at the address that `login` failed, for the limit on different accounts.

    The lock keeps two failures at once from losing each other. When it stays busy for over a
    second (its holder died, or someone floods the address), the failure is noted without it:
    a lost note from another request costs less than letting this one go uncounted, which
    would let a busy lock hide guessing."""
    if not login or trusted_device(request, login) is not None:
        return
    _limit, seconds = settings.SIGN_IN_ADDRESS_ACCOUNTS
    key = _address_key(request)
    with allauth.cache_lock(key) as locked:
        if not locked:
            logger.warning("The failed sign-ins at one address were counted without their lock.")
        now = time.time()
        failures = _accounts_failing_at(request, now)
        failures[_account_mark(login)] = now
        cache.set(key, failures, seconds)


def limits_clear(request, login):
    """Forget the failures counted against `login` (after its password is reset by email)."""
    for action, key in _account_limits(request, login):
        allauth.rate_clear(request, app=APP, action=action, config=settings.SIGN_IN_LIMITS, key=key)


def _tell_owner(request, login, limit):
    """Email the account's owner that its sign-ins were paused by `limit`: once a day at most
    for each limit, so that a pause from many addresses is told with its link even when a pause
    at one address was told earlier that day."""
    from accounts.models import User

    user = User.objects.filter(email__iexact=login, is_active=True).only("pk").first()
    if user is None or not cache.add(f"{APP}:told:{limit}:{user.pk}", True, TOLD_FOR):
        return
    from accounts.services import sign_in_paused_email_send

    sign_in_paused_email_send(
        person_id=user.pk, address=allauth.client_address(request), limit=limit
    )


# The owner's link past a pause of their account (sent with the email above).


class UnlockRefused(Exception):
    """A link that cannot be used; `reason` is "expired", "used" or "invalid"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def unlock_token(user):
    """The signed token of a new one-time link past the pause on `user`'s account."""
    return signing.dumps({"u": user.pk, "n": get_random_string(24)}, salt=UNLOCK_SALT)


def _used_key(nonce):
    return f"{APP}:unlock-used:{nonce}"


def unlock_person(token):
    """The active person whose link `token` is, or raise UnlockRefused. Using nothing up."""
    from accounts.models import User

    try:
        data = signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_MAX_AGE)
        person_id, nonce = int(data["u"]), str(data["n"])
    except signing.SignatureExpired:
        raise UnlockRefused("expired") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise UnlockRefused("invalid") from None
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise UnlockRefused("invalid")
    if cache.get(_used_key(nonce)):
        raise UnlockRefused("used")
    return person, nonce


def unlock_use(request, token):
    """Use the link `token` up and let this browser's session past the pause on its owner's
    account for UNLOCK_MAX_AGE. Returns the owner; raises UnlockRefused.

    The link is marked used in the cache with an add, which only one request can win, for as
    long as the link could still be used; so two browsers opening it at once get one pass."""
    person, nonce = unlock_person(token)
    if not cache.add(_used_key(nonce), True, UNLOCK_MAX_AGE):
        raise UnlockRefused("used")
    request.session[UNLOCKED_SESSION_KEY] = {
        "a": _account_mark(person.email.strip().lower()),
        "until": time.time() + UNLOCK_MAX_AGE,
    }
    return person


def has_unlock_pass(request, login):
    session = getattr(request, "session", None)
    unlock_pass = session.get(UNLOCKED_SESSION_KEY) if session is not None else None
    return bool(
        login
        and isinstance(unlock_pass, dict)
        and unlock_pass.get("a") == _account_mark(login)
        and unlock_pass.get("until", 0) > time.time()
    )


def unlock_pass_end(request):
    """The browser is remembered now (a complete sign-in): its pass is no longer needed."""
    request.session.pop(UNLOCKED_SESSION_KEY, None)


# Password reset emails.


def reset_email_allowed(request, email):
    """Count one password reset email to `email`: False when PASSWORD_RESET_EMAIL_LIMITS are
    spent for that address (or its count stays locked by another request for over a
    second), and the email is not to be sent."""
    usage = allauth.rate_consume(
        request,
        app=APP,
        action="reset_email",
        config={"reset_email": settings.PASSWORD_RESET_EMAIL_LIMITS},
        key=email.strip().lower(),
    )
    return usage is not None
