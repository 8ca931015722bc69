from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
@never_cache
def health_live(request):
    """The process is up and answering; checks nothing else, so a slow database never
    gets a healthy web container restarted."""
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
@never_cache
def health_ready(request):
    """Ready for traffic: the database answers and, where configured, Redis does too."""
    checks = {"database": check_database()}
    if settings.REDIS_URL:
        checks["redis"] = check_redis()
    down = sorted(name for name, ok in checks.items() if not ok)
    body = {
        "status": "ok" if not down else "unavailable",
        "checks": {name: "ok" if ok else "down" for name, ok in checks.items()},
    }
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means not ready
        return False


def check_redis():
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        return bool(client.ping())
    except redis.RedisError:
        return False


def server_error(request):
    """The 500 page, with the request's reference (its id in the logs) for the person to quote.
    Rendered without context processors: whatever failed may be what they need."""
    context = {"request_id": getattr(request, "request_id", "")}
    return HttpResponseServerError(render_to_string("500.html", context))


def csrf_failure(request, reason=""):
    """A form that came back without a valid CSRF token: most often a page left open too long
    or a sign-in in another tab, so say what to do next."""
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))


@require_GET
def bench_bare(request):
    """Signed in, through every middleware, and nothing more: what bench/pages.py measures the
    pages' throughput against (only routed when BENCH_BARE_VIEW is on)."""
    return HttpResponse("signed in", content_type="text/plain")
