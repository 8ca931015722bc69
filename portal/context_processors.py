import rules
from django.conf import settings
from django.urls import reverse

SERVICE_NAME = "Patient safety fellows"


def portal(request):
    return {
        "service_name": SERVICE_NAME,
        "site_url": settings.SITE_URL,
        "mfa_required": settings.MFA_REQUIRED,
        "nav_items": _nav_items(request),
    }


def _nav_items(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # The service name links home and the footer to the regions, so the menu keeps its room
    # for the pages each role works in (a person's digests are with their account).
    items = []
    # Each item appears only to those with the permission for its page. Asking the
    # rules directly skips Django's table permissions, which would cost two queries a page.
    for label, url_name, permission in settings.MENU:
        if rules.has_perm(permission, user):
            items.append((label, reverse(url_name)))
    path = request.path
    return [
        {
            "label": label,
            "url": url,
            "exact": path == url,
            "current": path == url if url == "/" else path.startswith(url),
        }
        for label, url in items
    ]
