"""The parts of django-allauth's private (`internal`) modules the portal relies on, behind one
small module of ours.

allauth makes no promise about its `internal` modules between releases. So its major version
is pinned in pyproject.toml, nothing else imports them (the rehearsal, the benchmarks and the
tests included), and tests/accounts/test_allauth_internals.py pins what each function here
does: an upgrade that moves or changes one fails a test, not production.
"""

from allauth.account.internal.flows import login as _login
from allauth.core.internal import ratelimit as _ratelimit
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes as _RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP as _TOTP
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

# Rate limits (accounts/lockout.py). The counts live in the default cache, under allauth's
# keys, so a sign-in that succeeds can take its attempt back.


def client_address(request):
    """The address a request came from, as the sign-in limits count it."""
    return _ratelimit.get_ip(request)


def rate_consume(request, *, app, action, config, key):
    """Count one attempt against every rate `config[action]` sets for `key`: what it used
    (whose `rollback()` takes it back), or None when a rate is spent, or when its count
    stays locked by another request for over a second (refused, never let through)."""
    return _ratelimit.consume(request, app=app, action=action, config=config, key=key)


def rate_clear(request, *, app, action, config, key):
    """Forget every attempt counted against `key` for `action`."""
    _ratelimit.clear(request, app=app, action=action, config=config, key=key)


def usage_of_all(usages):
    """One usage whose `rollback()` takes back every one of `usages`."""
    return _ratelimit.RateLimitUsage(usage=[one for used in usages for one in used.usage])


def cache_lock(key):
    """A context manager that holds a lock on the cache entry `key`, waiting up to a second
    for another holder; it gives True when it holds the lock and False when it gave up."""
    return _ratelimit.cache_lock(key)


# How this session signed in (accounts/admin_access.py).


def authentication_methods(request):
    """The ways the signed-in person proved who they are in this session, in order:
    "password", "mfa" (an authenticator code or a recovery code), ..."""
    records = _login.get_authentication_records(request, request.user)
    return [record.get("method") for record in records]


def record_authentication(session, user, records):
    """Write into `session` that `user` signed in with `records` (dicts with "method", "at"
    and, for a second factor, "type"), as the sign-in pages do: for the tests and the
    benchmarks, which sign people in without the pages."""
    session[_login.AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_login._AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)


# Authenticators: for the rehearsal's lead, the benchmarks' people and the tests' factories.


def activate_totp(user, secret):
    """Give `user` an authenticator app with the base32 `secret`."""
    return _TOTP.activate(user, secret)


def totp_code(secret, counter):
    """The six-digit code an authenticator app with `secret` shows in 30-second step
    `counter` (the Unix time divided by 30)."""
    return format_hotp_value(hotp_value(secret, counter))


def activate_recovery_codes(user):
    """Give `user` recovery codes; returns those not yet used."""
    return _RecoveryCodes.activate(user).get_unused_codes()
