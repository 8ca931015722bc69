"""Reading settings from environment variables.

Every reader names the variable in its error, so a bad value fails at start-up with a message
an operator can act on rather than a traceback deep inside a request.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def database_config(name, default):
    """Parse a database URL, accepting only the engines the portal supports."""
    import dj_database_url

    url = env_str(name, default)
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must be a sqlite:/// or postgres:// URL (got scheme {scheme!r})."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database, as in postgres://host/portal.")
    if scheme == "sqlite":
        # SQLite has no connection pool to reuse and dislikes long-lived connections
        # shared across threads of the development server.
        config["CONN_MAX_AGE"] = 0
    return config


def redis_url(name):
    """Return a Redis URL or an empty string; anything that is not a Redis URL is refused."""
    url = env_str(name)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must look like redis://host:6379/0 (got {url!r}).")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number: {url!r}.") from None
    return url


def site_url(name, default):
    url = env_str(name, default).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must be an absolute http(s) URL (got {url!r}).")
    return url
