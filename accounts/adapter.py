from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied

from accounts import lockout
from accounts.middleware import session_signed_in_within
from accounts.models import SecurityEvent
from accounts.security import client_ip, security_event_record


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address or password is not correct.",
    }

    def is_open_for_signup(self, request):
        # People join by invitation only: the portal holds learning from incidents and every
        # account carries a role in a region.
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        # A sign-in (password and code) in the last few minutes is as good as confirming
        # again: allauth on its own counts only confirmations, so someone setting up their
        # authenticator straight after signing in would be asked for the password just typed.
        request = context.request
        if request is not None and session_signed_in_within(
            request, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def pre_authenticate(self, request, **credentials):
        # The portal's own limits replace allauth's per-account lockout, which anyone knowing
        # an address could use to keep its owner out (accounts/lockout.py). Too many failed
        # sign-ins answer with the 429 page (which records the event), not with a form error
        # that looks like any other mistake. allauth takes the attempt back when the password
        # is right, through the usage kept here.
        try:
            self._login_failed_rl_usage = lockout.sign_in_allowed(
                request, lockout.login_of(credentials)
            )
        except lockout.Refused as refused:
            request.sign_in_limit = refused.limit
            raise ImmediateHttpResponse(respond_429(request)) from None

    def get_client_ip(self, request):
        # The address every allauth limit counts (and its sessions list shows): X-Forwarded-For
        # only from TRUSTED_PROXIES. allauth's own setting, ALLAUTH_TRUSTED_PROXY_COUNT, takes
        # an entry of the header whoever sent it, so a client reaching gunicorn directly could
        # name any address it liked.
        address = client_ip(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def send_password_reset_mail(self, user, email, context):
        # Past its limits for the address, the email is not sent, and nothing else differs:
        # the page after the form says "check your email" whether the address has an account,
        # and whether it has had its share of emails, so it tells neither.
        if not lockout.reset_email_allowed(self.request, email):
            security_event_record(
                kind=SecurityEvent.Kind.RATE_LIMITED,
                request=self.request,
                user=user,
                limit="reset_email",
            )
            return
        super().send_password_reset_mail(user, email, context)

    def authentication_failed(self, request, **credentials):
        lockout.sign_in_failed(request, lockout.login_of(credentials))

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # allauth calls this once a password has been reset through the emailed link: the
        # owner has proved they hold the inbox, so the failures counted against the account
        # (perhaps by someone else) no longer stand between them and signing in.
        super()._delete_login_attempts_cached_email(request, **credentials)
        lockout.limits_clear(request, lockout.login_of(credentials))


class MfaAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "The code is not correct: enter the code your authenticator app shows now, "
            "or an unused recovery code"
        ),
    }


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions):
        sessions = list(sessions)
        super().end_sessions(sessions)
        request = context.request
        for session in sessions:
            security_event_record(
                kind=SecurityEvent.Kind.SESSION_ENDED,
                request=request,
                user=session.user,
                ended_ip=session.ip,
                ended_by="user",
            )
