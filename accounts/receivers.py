"""Security log entries for what allauth and Django announce by signal. Receivers only record:
they hold no other logic. Nothing secret is passed on: a failed sign-in keeps the address
typed, never the password."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from accounts.middleware import session_signed_in_at_set
from accounts.models import SecurityEvent
from accounts.security import security_event_record

Kind = SecurityEvent.Kind


@receiver(auth_signals.user_logged_in, dispatch_uid="security_signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    session_signed_in_at_set(request)
    # DeviceCookieMiddleware gives the browser its cookie for this account on the way out.
    request.signed_in_login = user.email
    security_event_record(kind=Kind.SIGNED_IN, request=request, user=user)


@receiver(auth_signals.user_logged_out, dispatch_uid="security_signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    security_event_record(kind=Kind.SIGNED_OUT, request=request, user=user)


@receiver(auth_signals.user_login_failed, dispatch_uid="security_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    email = credentials.get("email") or credentials.get("username") or ""
    security_event_record(kind=Kind.SIGN_IN_FAILED, request=request, email=email)


@receiver(mfa_signals.authentication_failed, dispatch_uid="security_mfa_failed")
def mfa_code_refused(sender, request, user, authenticator, **kwargs):
    security_event_record(
        kind=Kind.SIGN_IN_FAILED,
        request=request,
        user=user,
        method=authenticator.type,
        reauthentication=bool(kwargs.get("reauthentication")),
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="security_mfa_added")
def mfa_added(sender, request, user, authenticator, **kwargs):
    security_event_record(
        kind=Kind.MFA_ADDED, request=request, user=user, method=authenticator.type
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="security_mfa_removed")
def mfa_removed(sender, request, user, authenticator, **kwargs):
    security_event_record(
        kind=Kind.MFA_REMOVED, request=request, user=user, method=authenticator.type
    )


@receiver(mfa_signals.authenticator_reset, dispatch_uid="security_mfa_reset")
def mfa_reset(sender, request, user, authenticator, **kwargs):
    security_event_record(
        kind=Kind.MFA_RECOVERY_CODES_RESET, request=request, user=user, method=authenticator.type
    )


@receiver(account_signals.password_changed, dispatch_uid="security_password_changed")
@receiver(account_signals.password_set, dispatch_uid="security_password_set")
def password_changed(sender, request, user, **kwargs):
    security_event_record(kind=Kind.PASSWORD_CHANGED, request=request, user=user)


@receiver(account_signals.password_reset, dispatch_uid="security_password_reset")
def password_reset(sender, request, user, **kwargs):
    security_event_record(kind=Kind.PASSWORD_RESET, request=request, user=user)
