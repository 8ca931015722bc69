"""Reading settings from environment variables.

Every reader names the variable in its error, so a bad value fails at start-up with a message
an operator can act on rather than a traceback deep inside a request.

settings_from_environment reads and checks them all from the mapping it is given, and touches
nothing else, so the tests try a start-up's environment without starting a process.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from portal.structured_logs import FORMATS, logging_config

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(environ, name, default=""):
    return environ.get(name, default).strip()


def env_bool(environ, name, default=False):
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(environ, name, default):
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_list(environ, name, default=()):
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def address_networks(environ, name):
    """IP addresses or networks, comma-separated, each as a network ("10.0.0.5/32"); anything
    else is refused, "*" included: trusting every sender is what the list is there to avoid.
    A network with host bits set (10.0.0.5/16) is refused as gunicorn refuses it, since
    gunicorn reads the same variable."""
    networks = []
    for part in env_list(environ, name):
        try:
            networks.append(str(ipaddress.ip_network(part)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks separated by commas, as in "
                f"10.0.0.5,10.1.0.0/16 (got {part!r})."
            ) from None
    return networks


def database_config(environ, name, default):
    """Parse a database URL, accepting only the engines the portal supports."""
    import dj_database_url

    url = env_str(environ, name, default)
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


def redis_url(environ, name):
    """Return a Redis URL or an empty string; anything that is not a Redis URL is refused."""
    url = env_str(environ, name)
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


def site_url(environ, name, default):
    url = env_str(environ, name, default).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must be an absolute http(s) URL (got {url!r}).")
    return url


# `make run` writes the address it serves at here, so a command run later from another shell
# (send_digests, without PORT) puts the same address in its links.
SITE_URL_FILE = "site_url"


def local_site_url(environ, var_dir):
    """The address of the local server: PORT when set, else what `make run` last recorded."""
    if environ.get("PORT", "").strip():
        return f"http://127.0.0.1:{env_int(environ, 'PORT', 8000)}"
    try:
        recorded = (var_dir / SITE_URL_FILE).read_text().strip()
    except OSError:
        recorded = ""
    return recorded or "http://127.0.0.1:8000"


# The object store's variables are django-storages' own names, which operators of an
# S3-compatible store know; credentials may instead come from the machine's role, as boto3
# finds them.
STORAGE_VARIABLES = {
    "AWS_STORAGE_BUCKET_NAME": "bucket_name",
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_ACCESS_KEY_ID": "access_key",
    "AWS_SECRET_ACCESS_KEY": "secret_key",
}


def file_storage(environ):
    """Where reports and uploaded files are kept: an S3-compatible bucket when
    AWS_STORAGE_BUCKET_NAME is set, which every web process and worker reads and writes
    wherever it runs (docs/adr/0040); otherwise MEDIA_ROOT, a folder under VAR_DIR, which
    only processes on one machine share."""
    if not env_str(environ, "AWS_STORAGE_BUCKET_NAME"):
        # A store named without its bucket is a mistake, not a wish for the local folder.
        for name in ("AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME"):
            if env_str(environ, name):
                raise ImproperlyConfigured(
                    f"{name} is set but AWS_STORAGE_BUCKET_NAME is not: name the bucket."
                )
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = env_str(environ, "AWS_S3_ENDPOINT_URL")
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            "AWS_S3_ENDPOINT_URL must be an http(s) URL, as in http://minio:9000 "
            f"(got {endpoint!r})."
        )
    options = {
        option: env_str(environ, name)
        for name, option in STORAGE_VARIABLES.items()
        if env_str(environ, name)
    }
    options.update(
        # Private objects, never a public URL: every download passes the portal's scope
        # check and is logged, then is streamed by the web process.
        default_acl=None,
        querystring_auth=True,
        file_overwrite=False,
        # Path-style addresses (endpoint/bucket/key) work with every S3-compatible store.
        addressing_style="path" if endpoint else None,
    )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def settings_from_environment(environ, base_dir):
    """Every setting the environment decides, by name, as config/settings.py takes them.

    Reads only `environ` (and the local address `make run` records under VAR_DIR) and touches
    nothing else; raises ImproperlyConfigured naming the
    variable. As in a settings module, every upper-case name assigned here is a setting.
    """
    VAR_DIR = Path(env_str(environ, "VAR_DIR", str(base_dir / "var")))

    PORTAL_ENV = env_str(environ, "PORTAL_ENV", "local").lower()
    if PORTAL_ENV not in {"local", "production"}:
        raise ImproperlyConfigured(f"PORTAL_ENV must be local or production (got {PORTAL_ENV!r}).")
    PRODUCTION = PORTAL_ENV == "production"

    DEBUG = env_bool(environ, "DEBUG", default=not PRODUCTION)
    SECRET_KEY = env_str(environ, "SECRET_KEY")
    ALLOWED_HOSTS = env_list(
        environ, "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"]
    )

    if PRODUCTION:
        if not SECRET_KEY:
            raise ImproperlyConfigured("SECRET_KEY must be set when PORTAL_ENV=production.")
        if len(SECRET_KEY) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
        # As Django's own deploy check (security.W009): a long key of few different
        # characters ("x" * 60) is as guessable as a short one.
        if len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
            raise ImproperlyConfigured(
                "SECRET_KEY must be random in production: make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
            )
        if DEBUG:
            raise ImproperlyConfigured("DEBUG must be off when PORTAL_ENV=production.")
        if not ALLOWED_HOSTS:
            raise ImproperlyConfigured(
                "ALLOWED_HOSTS must list the site's host names in production."
            )
    elif not SECRET_KEY:
        # Only ever used on a developer's machine: production refuses to start without its own.
        SECRET_KEY = "local-development-only-not-secret-" + "x" * 32  # noqa: S105

    SITE_URL = site_url(environ, "SITE_URL", local_site_url(environ, VAR_DIR))
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

    DATABASES = {
        "default": database_config(
            environ, "DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
        )
    }

    # The proxies whose X-Forwarded-For is believed (accounts.security.client_ip), for the
    # sign-in limits and the security log: a request from any other peer counts at the peer's
    # own address, whatever header it sends, or anyone reaching gunicorn could spread their
    # failures over made-up addresses. Production sits behind a TLS proxy, and without naming
    # it every person would count at the proxy's one address, where a few failures would stop
    # everyone; so production refuses to start without it.
    TRUSTED_PROXIES = address_networks(environ, "TRUSTED_PROXIES")
    if PRODUCTION and not TRUSTED_PROXIES:
        raise ImproperlyConfigured(
            "TRUSTED_PROXIES must name the TLS proxy in front of the portal (its address or "
            "network) when PORTAL_ENV=production."
        )

    # Two-factor authentication: every account must have one unless MFA_REQUIRED is off,
    # which only the local demo may do.
    MFA_REQUIRED = env_bool(environ, "MFA_REQUIRED", default=True)
    if PRODUCTION and not MFA_REQUIRED:
        raise ImproperlyConfigured("MFA_REQUIRED cannot be false when PORTAL_ENV=production.")

    STATIC_ROOT = Path(env_str(environ, "STATIC_ROOT", str(base_dir / "staticfiles")))
    if not PRODUCTION:
        # Served straight from the source folders on a developer's machine and in tests.
        WHITENOISE_USE_FINDERS = True
        WHITENOISE_AUTOREFRESH = DEBUG
    STORAGES = {
        "default": file_storage(environ),
        "staticfiles": {
            "BACKEND": (
                "whitenoise.storage.CompressedManifestStaticFilesStorage"
                if PRODUCTION
                else "django.contrib.staticfiles.storage.StaticFilesStorage"
            )
        },
    }
    MEDIA_ROOT = VAR_DIR / "media"

    CRISPY_FAIL_SILENTLY = not DEBUG

    # Redis is optional: without it tasks run in-process and the cache is per process, unless
    # TASK_QUEUE_DIR names a folder (`make run` sets it): then tasks are queued as files there
    # for the worker `make run` starts beside the server (kombu's filesystem transport), and
    # the cache is a folder both processes share, so a request never waits for a report and
    # the worker counts what the web process wrote (docs/adr/0035).
    REDIS_URL = redis_url(environ, "REDIS_URL")
    TASK_QUEUE_DIR = env_str(environ, "TASK_QUEUE_DIR")
    if TASK_QUEUE_DIR and not Path(TASK_QUEUE_DIR).is_absolute():
        TASK_QUEUE_DIR = str(base_dir / TASK_QUEUE_DIR)
    # With Redis, the cache falls back on the database's cache table while Redis is down, so
    # sign-in and its rate limits keep working (docs/adr/0018); `createcachetable` makes it.
    FALLBACK_CACHE = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache_fallback",
        "KEY_PREFIX": "portal",
    }
    if REDIS_URL:
        CACHES = {
            "default": {
                "BACKEND": "portal.cache.RedisCacheWithFallback",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": "portal",
                "FALLBACK": "fallback",
                "RETRY_AFTER": 10,
                # A Redis that does not answer must cost a request a second, not a minute.
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            },
            "fallback": FALLBACK_CACHE,
        }
    elif TASK_QUEUE_DIR:
        CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(Path(TASK_QUEUE_DIR) / "cache"),
            },
            "fallback": FALLBACK_CACHE,
        }
    else:
        CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "fallback": FALLBACK_CACHE,
        }

    CELERY_BROKER_URL = REDIS_URL or ("filesystem://" if TASK_QUEUE_DIR else "memory://")
    CELERY_RESULT_BACKEND = REDIS_URL or None
    CELERY_TASK_ALWAYS_EAGER = not REDIS_URL and not TASK_QUEUE_DIR
    TASK_QUEUE_FOLDERS = {}
    if TASK_QUEUE_DIR and not REDIS_URL:
        queue = Path(TASK_QUEUE_DIR)
        TASK_QUEUE_FOLDERS = {
            "data_folder_in": str(queue / "messages"),
            "data_folder_out": str(queue / "messages"),
            "control_folder": str(queue / "control"),
            "processed_folder": str(queue / "processed"),
            "store_processed": False,
        }
        for folder in ("messages", "control", "processed", "cache"):
            (queue / folder).mkdir(parents=True, exist_ok=True)

    # Email: SMTP when EMAIL_HOST is set, otherwise one file a message under var/mail/.
    EMAIL_HOST = env_str(environ, "EMAIL_HOST")
    DEFAULT_FROM_EMAIL = env_str(
        environ, "DEFAULT_FROM_EMAIL", "Safety fellows portal <noreply@example.org>"
    )
    SERVER_EMAIL = DEFAULT_FROM_EMAIL
    if EMAIL_HOST:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_PORT = env_int(environ, "EMAIL_PORT", 587)
        EMAIL_HOST_USER = env_str(environ, "EMAIL_HOST_USER")
        EMAIL_HOST_PASSWORD = env_str(environ, "EMAIL_HOST_PASSWORD")
        EMAIL_USE_TLS = env_bool(environ, "EMAIL_USE_TLS", default=True)
        EMAIL_TIMEOUT = env_int(environ, "EMAIL_TIMEOUT", 20)
    elif PRODUCTION:
        raise ImproperlyConfigured("EMAIL_HOST must be set in production: invitations go by email.")
    else:
        EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        EMAIL_FILE_PATH = VAR_DIR / "mail"
    # Another backend by its dotted path (a test worker writes its mail where the test reads it).
    # It is the one that really sends: every email is first written to the outbox, in the
    # transaction of the change it tells of, and sent from there (portal/emails.py).
    MAILER_EMAIL_BACKEND = env_str(environ, "EMAIL_BACKEND", EMAIL_BACKEND)
    EMAIL_BACKEND = "portal.emails.OutboxBackend"

    if PRODUCTION:
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_SSL_REDIRECT = env_bool(environ, "SECURE_SSL_REDIRECT", default=True)
        SECURE_REDIRECT_EXEMPT = [r"^health/"]
        SECURE_HSTS_SECONDS = env_int(environ, "SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
        SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        # Not on the browsers' preload list: that list commits every subdomain of the domain
        # the portal is served under, for months, and is for the domain's owner to decide
        # (docs/adr/0019). The deploy check's warning about it is answered there.
        SECURE_HSTS_PRELOAD = False
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

    # How long a public page is kept for visitors who have not signed in while nothing changes
    # (portal/page_cache.py, docs/adr/0036 and 0044); 0 keeps nothing.
    PAGE_CACHE_SECONDS = env_int(environ, "PAGE_CACHE_SECONDS", 60)
    if PAGE_CACHE_SECONDS < 0:
        raise ImproperlyConfigured("PAGE_CACHE_SECONDS must be 0 or more seconds.")

    # A signed-in page that does nothing, for bench/pages.py to measure the other pages
    # against: off everywhere else.
    BENCH_BARE_VIEW = env_bool(environ, "BENCH_BARE_VIEW", default=False)

    # JSON lines in production (for the log service), readable text on a developer's machine.
    LOG_FORMAT = env_str(environ, "LOG_FORMAT", "json" if PRODUCTION else "text").lower()
    if LOG_FORMAT not in FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text (got {LOG_FORMAT!r}).")
    LOGGING = logging_config(env_str(environ, "LOG_LEVEL", "INFO"), LOG_FORMAT)

    return {name: value for name, value in locals().items() if name.isupper()}
