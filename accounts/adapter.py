from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.middleware import session_signed_in_within
from accounts.models import SecurityEvent
from accounts.security import security_event_record


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
        # Too many failed sign-ins answer with the 429 page (which records the event), not
        # with a form error that looks like any other mistake.
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            raise ImmediateHttpResponse(respond_429(request)) from None


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
