"""Who reaches the Django admin: an active staff account of the national team, signed in
with its second factor in this session (unless MFA_REQUIRED is off, as in the local demo).

The admin edits reference data and reads the security log for the whole country, so being
staff is not enough, and neither is a password alone."""

from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.core.exceptions import PermissionDenied

from accounts.allauth_internals import authentication_methods
from accounts.rules import is_national_team


def signed_in_with_second_factor(request):
    return "mfa" in authentication_methods(request)


def may_use_admin(request):
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not is_national_team(user):
        return False
    return not settings.MFA_REQUIRED or signed_in_with_second_factor(request)


def admin_login(login_view):
    """The admin's login view, reached only through the portal's sign-in (its rate limits and
    second factor); a signed-in person the admin is not for gets the 403 page, logged."""
    through_portal = secure_admin_login(login_view)

    @wraps(login_view)
    def view(request, *args, **kwargs):
        if request.user.is_authenticated and not may_use_admin(request):
            raise PermissionDenied
        return through_portal(request, *args, **kwargs)

    return view
