"""The public pages are kept for visitors who have not signed in, a minute at most while
nothing in the portal changes (docs/adr/0036): one copy serves everyone without a session.

Every save, delete or change of links of any model except the session table moves a
generation number on, so the next request after any write in the portal renders afresh: no
visitor sees a page older than a change once it has committed. The number moves on once the
write has committed, so a page another request rendered while the write was under way (from
the data before it) is never read again; and at the write itself, for a read later in the same
transaction. A write no model signal reports (a bulk load, an UPDATE) calls pages_changed().
When the cache cannot be reached, or Redis is down, the page is rendered as if nothing were
kept.

A signed-in person's pages were kept for their session in the same way (docs/adr/0027), until
a realistic mix showed it cut little: one write in ten empties every kept page (docs/adr/
0044)."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from portal.counts import first_generation, move_on

logger = logging.getLogger(__name__)

GENERATION = "pages:generation"
# Writes to these do not change what a page shows: the session is touched once a minute by
# the idle limit (accounts/middleware.py), which would otherwise empty everyone's pages.
UNWATCHED_APPS = {"sessions"}


def kept_for_everyone(view):
    """Mark a public view whose page may be kept for every visitor who has not signed in
    (KeptForEveryoneMiddleware): such a page holds nothing of the person (no form token, no
    name, no message), so one copy serves everyone until the next write."""
    view.kept_for_everyone = True
    return view


# What a kept public response must not repeat: its cookies, and the id of the request that
# made it (RequestIdMiddleware, outside this one, gives each request its own).
_NOT_KEPT_HEADERS = {"set-cookie", "x-request-id"}


class KeptForEveryoneMiddleware:
    """Serve a public page kept for visitors without a session, before any other middleware
    runs: the session, the person, the security checks and the request log cost a public
    page more than its kept copy does. Only a request with no session cookie is answered from
    here, so nobody signed in is ever sent a page made for someone else; the whole response
    (the security headers included) is kept, as the middleware below made it, for at most
    PAGE_CACHE_SECONDS and never past the next write (the generation of ADR 27)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        found = _read(key)
        if found is not None:
            status, headers, content = found
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if (
            getattr(request, "kept_for_everyone", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not _signed_in(request)
        ):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _NOT_KEPT_HEADERS
            ]
            _keep(key, (response.status_code, headers, response.content))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.kept_for_everyone = getattr(view_func, "kept_for_everyone", False)

    @staticmethod
    def _key(request):
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            # Plain HTTP is sent on to HTTPS by the security middleware below, never answered.
            or (settings.SECURE_SSL_REDIRECT and not request.is_secure())
            or _redis_is_down()
        ):
            return None
        try:
            generation = cache.get_or_set(GENERATION, first_generation, timeout=None)
        except Exception:  # noqa: BLE001 - a cache outage costs speed, never the page
            logger.warning("The cache could not be read; rendering the page.", exc_info=True)
            return None
        made_of = "\n".join([request.get_host(), request.get_full_path(), str(generation)])
        return "public-pages:" + hashlib.sha256(made_of.encode()).hexdigest()


def _signed_in(request):
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _read(key):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not be read; rendering the page.", exc_info=True)
        return None


def _keep(key, page):
    try:
        cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not keep a page.", exc_info=True)


def _redis_is_down():
    return getattr(cache, "redis_is_down", False)


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_written, dispatch_uid=f"page-cache-{signal}")


def _written(sender, using=None, **kwargs):
    if sender._meta.app_label not in UNWATCHED_APPS:
        pages_changed(using)


def pages_changed(using=None):
    """Call inside the transaction of a write that no model signal reports (a bulk load)."""
    # At the write, for a read later in the same transaction (each test runs inside one):
    # Redis counts atomically, but while it is down the cache is a database table, whose row
    # would stay locked by this transaction until it commits and make every writer queue.
    if not _redis_is_down():
        _next_generation()
    connection = transaction.get_connection(using)
    # Once a transaction is enough: an import of thousands of rows asks once, not per row.
    # (A savepoint rolled back takes its callbacks with it, so a later write asks again.)
    if not any(func is _next_generation for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_next_generation, using=using)


def _next_generation():
    move_on(GENERATION)
