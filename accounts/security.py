"""Writing the security log. Every caller goes through security_event_record, which takes only
what is safe to keep: never a password, code or token."""

import logging

from accounts.models import SecurityEvent

logger = logging.getLogger("portal.security")

# Keys that must never reach the log, whatever a caller passes as detail.
SECRET_WORDS = ("password", "token", "code", "secret", "key", "otp")


def security_event_record(*, kind, request=None, user=None, email="", **detail):
    """Record one security event, with the request's user, IP address, path and request id."""
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    safe_detail = {
        key: value
        for key, value in detail.items()
        if not any(word in key.lower() for word in SECRET_WORDS)
    }
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        email=(email or "")[:254],
        ip_address=client_ip(request) if request is not None else None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        path=request.path[:500] if request is not None else "",
        detail=safe_detail,
    )
    logger.info(
        "security %s user=%s path=%s ip=%s request=%s",
        kind,
        user.pk if user else "-",
        event.path or "-",
        event.ip_address or "-",
        event.request_id or "-",
    )
    return event


def client_ip(request):
    # Behind the production proxy, REMOTE_ADDR is the proxy; the proxy sets X-Forwarded-For and
    # we trust only its last hop, which the proxy itself appended.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
