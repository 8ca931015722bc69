"""Two rules every signed-in request must pass: a session lasts 12 hours at most from sign-in,
and (when MFA_REQUIRED is on) an account has a second factor before it can reach any page.
And the cookie that lets a browser's owner through a lockout, given at sign-in."""

import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from accounts import lockout
from accounts.models import SecurityEvent
from accounts.security import security_event_record

SIGNED_IN_AT = "portal_signed_in_at"
# A marker cookie holding nothing but "1", set while someone is signed in and outliving the
# session: a request without a session that still carries it comes from someone whose session
# ran out while they were away, who is then told why they must sign in again. Signing out
# removes it.
WAS_SIGNED_IN = "portal_was_signed_in"
IDLE_MESSAGE = (
    "You were signed out because you had not used the portal for 30 minutes. Sign in again "
    "to carry on."
)

# What a person without an authenticator may still reach: setting one up (which may ask them
# to confirm their password first), signing out, and what pages and probes need.
MFA_SET_UP_PREFIXES = (
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/static/",
    "/assets/",
    "/health/",
)


# Set in the session of a sign-in that still owes its second factor (an authenticator not yet
# set up): DeviceCookieMiddleware gives the device cookie once it is set up.
DEVICE_OWED = "portal_device_owed"

# When the session last saw a request, to the minute: the idle limit is kept here rather than
# by saving the session on every request, which made every page a write.
SEEN_AT = "portal_seen_at"
TOUCH_EVERY_SECONDS = 60


def session_signed_in_at_set(request):
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def session_signed_in_within(request, seconds):
    return time.time() - request.session.get(SIGNED_IN_AT, 0) <= seconds


class SessionLifetimeMiddleware:
    """End a session after 30 minutes without a request (SESSION_COOKIE_AGE) and 12 hours after
    sign-in, however active it has been, and say why on the sign-in page.

    The time of the last request is kept in the session but written at most once a minute
    (TOUCH_EVERY_SECONDS), so a page is a write only when that minute has passed. A session
    is therefore ended between 29 and 30 minutes after its last request, never later: the
    cookie and the stored session expire SESSION_COOKIE_AGE after the last write, and this
    middleware refuses a session whose last request it saw more than that long ago."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_signed_in = request.COOKIES.get(WAS_SIGNED_IN) == "1"
        if was_signed_in and not request.user.is_authenticated:
            messages.info(request, IDLE_MESSAGE)
        response = self._checked(request)
        if request.user.is_authenticated:
            response.set_cookie(
                WAS_SIGNED_IN,
                "1",
                max_age=settings.SESSION_MAX_AGE_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif was_signed_in:
            response.delete_cookie(WAS_SIGNED_IN, samesite="Lax")
        return response

    def _checked(self, request):
        # A session without a sign-in time (one from before this rule) counts as too old.
        if request.user.is_authenticated and not session_signed_in_within(
            request, settings.SESSION_MAX_AGE_SECONDS
        ):
            user = request.user
            logout(request)
            security_event_record(
                kind=SecurityEvent.Kind.SESSION_ENDED,
                request=request,
                user=user,
                reason="twelve_hours",
            )
            messages.info(request, "You have been signed out because you signed in 12 hours ago.")
            return redirect_to_login(request.get_full_path())
        if request.user.is_authenticated:
            now = time.time()
            seen_at = request.session.get(SEEN_AT, request.session.get(SIGNED_IN_AT, 0))
            if now - seen_at > settings.SESSION_COOKIE_AGE:
                user = request.user
                logout(request)
                security_event_record(
                    kind=SecurityEvent.Kind.SESSION_ENDED, request=request, user=user, reason="idle"
                )
                messages.info(request, IDLE_MESSAGE)
                return redirect_to_login(request.get_full_path())
            if now - seen_at >= TOUCH_EVERY_SECONDS:
                request.session[SEEN_AT] = int(now)
        return self.get_response(request)


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(MFA_SET_UP_PREFIXES)
            and not is_mfa_enabled(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class DeviceCookieMiddleware:
    """After a complete sign-in (password and second factor), remember in a signed cookie that
    this browser has signed in to the account, so a lockout others cause does not stop it
    (accounts/lockout.py).

    A sign-in is complete once the second factor is given where MFA_REQUIRED asks for one. An
    account that has not set up its authenticator yet is signed in on its password alone and
    sent to set one up: its browser is remembered only once the set-up is done, or a password
    alone would buy a way past every pause. Until then the session notes that the cookie is
    owed, and each of its requests (the set-up pages) checks whether it has been earned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        login = getattr(request, "signed_in_login", None)
        if login is None and request.user.is_authenticated:
            login = request.user.email if request.session.get(DEVICE_OWED) else None
        if not login:
            return response
        if not sign_in_complete(request):
            request.session[DEVICE_OWED] = True
            return response
        request.session.pop(DEVICE_OWED, None)
        lockout.unlock_pass_end(request)
        response.set_cookie(
            lockout.DEVICE_COOKIE,
            lockout.device_cookie_value(request, login.lower()),
            max_age=lockout.DEVICE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


def sign_in_complete(request):
    user = request.user
    return user.is_authenticated and (not settings.MFA_REQUIRED or is_mfa_enabled(user))
