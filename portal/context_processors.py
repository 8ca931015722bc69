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
    items = [
        ("Home", reverse("home")),
        ("Regions and collaboratives", reverse("regions:list")),
    ]
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
