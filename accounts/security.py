"""Writing the security log. Every caller goes through security_event_record, which takes only
what is safe to keep: never a password, code or token."""

import ipaddress
import logging

from django.conf import settings

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
    """The address a request came from, as the sign-in limits count it and the log keeps it.

    It is the peer's address (REMOTE_ADDR), unless the peer is one of TRUSTED_PROXIES. Then it
    is the right-most address in X-Forwarded-For that is not a trusted proxy: each proxy
    appends the address it was reached from, so the entries to its right were written by our
    proxies, and the client may have written anything to its left. A peer that is not our
    proxy wrote the whole header itself, so the header is not read at all."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    if not _trusted(peer):
        return str(peer)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            # A trusted proxy passed on something that is not an address: count at the last
            # address we can vouch for rather than believe what lies further left.
            break
        if not _trusted(address):
            return str(address)
        peer = address
    return str(peer)


def _address(text):
    """An IP address from "198.51.100.7", "198.51.100.7:443", "2001:db8::1" or
    "[2001:db8::1]:443", IPv4 given as IPv4 when written as IPv6; None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address):
    return any(address in ipaddress.ip_network(proxy) for proxy in settings.TRUSTED_PROXIES)
