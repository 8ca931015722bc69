import re
import uuid

from django.conf import settings
from django.utils.cache import patch_cache_control

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy is kept only if it is short and plain, so logs cannot be forged.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (the proxy's, or a new one), echoed in the response header so a
    person reporting a problem can quote it and we can find it in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (settings.PERMISSIONS_POLICY) with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in person is sent, pages and downloads alike, is kept by their
    browser or a proxy (`Cache-Control: no-store, private`): after they sign out of a shared
    ward computer, Back must not show the next person what they saw. The directives are
    added to whatever the view set, so a stricter header (Django's `never_cache` sends
    `no-store` too) stays as strict. Pages for people not signed in keep their own caching,
    and static files never get here: WhiteNoise answers them further up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Asked after the view: signing in makes a person's first page theirs, and signing
        # out leaves the sign-in page to anyone.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def indexable(view):
    """Mark a view whose pages search engines may list: every other response is sent with
    `X-Robots-Tag: noindex` (NoIndexMiddleware)."""
    view.indexable = True
    return view


class NoIndexMiddleware:
    """Only the public pages are for search engines; robots.txt asks them to keep away from
    the rest, and this tells any that followed a link there not to list what they found."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.indexable = False
        response = self.get_response(request)
        if not request.indexable:
            response.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.indexable = getattr(view_func, "indexable", False)
