"""Settings for the portal: one module, driven by environment variables.

The defaults suit a developer's machine (`make run`): SQLite under var/, tasks run in-process,
email written to files under var/mail/. Setting PORTAL_ENV=production switches on the checks
and cookie rules a real deployment needs; see README.md for every variable.
"""

import os
from pathlib import Path

from csp.constants import NONE, SELF
from kombu import Queue

from config.env import settings_from_environment
from portal.structured_logs import REQUEST_STARTED_LEVEL, configure_structlog

BASE_DIR = Path(__file__).resolve().parent.parent
# Every setting an environment variable decides (the database, Redis and the cache, email,
# production's checks and cookie rules...) comes from one function, so the tests can try other
# environments without starting a process. A bad or unsafe value stops the start with
# ImproperlyConfigured naming the variable. It only reads: the folders are made here.
from_environment = settings_from_environment(os.environ, BASE_DIR)
globals().update(from_environment)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "csp",
    "django_structlog",
    "mailer",
    "portal",
    "accounts",
    "regions",
    "taxonomy",
    "fellows",
    "learning",
    "discussion",
    "digests",
    "register",
    "curriculum",
    "search",
    "dashboards",
    "reports",
    "public_pages",
    "imports",
    "demo",
    "ops",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    # Before everything else but the request's id: a public page kept for visitors without a
    # session is answered here (portal/page_cache.py, docs/adr/0036).
    "portal.page_cache.KeptForEveryoneMiddleware",
    # One log line per request, with the id given just above (portal/structured_logs.py).
    "django_structlog.middlewares.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.NoIndexMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Just after the person is known, so it sees every response made for them below it.
    "portal.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After allauth's and messages: a session past its 12 hours ends (with a message), then an
    # account without a second factor is sent to set one up before it can reach anything else.
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    "accounts.middleware.DeviceCookieMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# The header menu, in order: (label, URL name, permission). Each item shows only to those with
# the permission for its page (portal/context_processors.py). It is wiring, so it names the
# apps here rather than in the kernel they stand on. What each role came for comes first (a
# narrow window folds the last items under "More"): a lead's dashboard and review queue, a
# chair's reports.
MENU = [
    ("Dashboard", "dashboard-own", "dashboards.view"),
    ("Review", "learning:review-queue", "learning.view_review_queue"),
    ("Reports", "reports:request", "reports.request"),
    ("Initiatives", "fellows:list", "fellows.view_initiatives"),
    ("Learning", "learning:item-list", "learning.view_learningitems"),
    ("Investigations", "learning:investigation-list", "learning.view_investigations"),
    ("Recommendations", "register:recommendation-list", "register.view_recommendations"),
    ("Spread", "register:spread", "register.view_spread"),
    ("Curriculum", "curriculum:entry-list", "curriculum.view"),
    ("Search", "search:results", "search.search"),
    ("Import", "imports:start", "imports.import"),
    ("People", "accounts:people", "accounts.view_people"),
    ("Digest runs", "digests:runs", "digests.view_runs"),
]

database = from_environment["DATABASES"]["default"]
if database["ENGINE"].endswith("sqlite3"):
    # The embedded database lives under var/, which a fresh clone does not have yet.
    Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # A covering index's extra columns are PostgreSQL's (each initiative's latest IHI score,
    # fellows.ProgressUpdate); the embedded database makes the same index without them.
    SILENCED_SYSTEM_CHECKS = [*from_environment.get("SILENCED_SYSTEM_CHECKS", []), "models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts: email address as the login, and no open sign-up (people are invited).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Safety fellows] "
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A password reset link works for an hour (Django's default is three days): it is sent to an
# inbox that may be read by others, and a person resetting a password does so at once.
PASSWORD_RESET_TIMEOUT = 60 * 60
ACCOUNT_FORMS = {
    "login": "accounts.allauth_forms.PlainLoginForm",
    "reset_password": "accounts.allauth_forms.PlainResetPasswordForm",
    "reset_password_from_key": "accounts.allauth_forms.PlainResetPasswordKeyForm",
    "reauthenticate": "accounts.allauth_forms.PlainReauthenticateForm",
    "change_password": "accounts.allauth_forms.PlainChangePasswordForm",
}
# A reset asked for an address with no account sends nothing: the portal is by invitation, so
# its form must not become a way to send our email to anyone.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Sensitive pages decorated with reauthentication_required ask for the password (or an
# authenticator code) again when the last sign-in or confirmation is older than this.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Brute-force protection, counted in the default cache (Redis when REDIS_URL is set, so every
# web process shares the counts; the database while Redis is down). The address counted is
# the peer's, or the client's as TRUSTED_PROXIES pass it on (AccountAdapter.get_client_ip).
ACCOUNT_RATE_LIMITS = {
    # Sign-in attempts of any outcome from one address: a flood guard (each costs a password
    # hash), above what a trust's staff behind one proxy would reach.
    "login": "60/m/ip",
    # Reset requests from one address: a flood guard. allauth's limit per email address is
    # left out because it answers with the 429 page, which would tell whoever asks that the
    # address's limit is reached; PASSWORD_RESET_EMAIL_LIMITS below stops the emails instead.
    "reset_password": "20/m/ip",
    "reauthenticate": "10/m/user",
}
# Password reset emails to one address: at most 3 an hour and 10 a day, so the form cannot
# fill someone's inbox. One over the limit is not sent, and the page says the same "check your
# email" as ever (AccountAdapter.send_password_reset_mail, accounts.lockout).
PASSWORD_RESET_EMAIL_LIMITS = "3/h/key,10/d/key"  # noqa: S105 - rates, not a password
# Failed sign-ins are limited by accounts.lockout instead of allauth's "login_failed", so that
# a lockout cannot be used to keep an owner out (docs/adr/0020): 5 failures in 5 minutes for
# one account at one address, 50 in an hour for one account from anywhere, and 5 in 5 minutes
# for a browser that has signed in to that account before (counted on their own: the others do
# not stop it).
SIGN_IN_LIMITS = {
    "pair": "5/5m/key",
    "account": "50/h/key",
    "device": "5/5m/key",
}
# One address is refused once this many different accounts have failed there within this many
# seconds: credential stuffing, not a trust's staff mistyping behind one proxy.
SIGN_IN_ADDRESS_ACCOUNTS = (30, 10 * 60)

# Two-factor authentication: an authenticator app (TOTP) with recovery codes. Every account
# must have one unless MFA_REQUIRED is off, which only the local demo may do.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Patient safety fellows"
# Accept the code before and after the current one too: phone clocks drift, and a code typed
# as it changes should not fail. Each code still works once only.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "accounts.adapter.MfaAdapter"
MFA_FORMS = {
    "activate_totp": "accounts.allauth_forms.CodeActivateTOTPForm",
    "authenticate": "accounts.allauth_forms.CodeAuthenticateForm",
    "reauthenticate": "accounts.allauth_forms.CodeReauthenticateForm",
}
USERSESSIONS_ADAPTER = "accounts.adapter.UserSessionsAdapter"

# Sessions end after 30 minutes without a request, and 12 hours after sign-in at most
# (SESSION_MAX_AGE_SECONDS). accounts.middleware.SessionLifetimeMiddleware enforces both and
# saves the session at most once a minute to do so, not on every request (docs/adr/0023).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_MAX_AGE_SECONDS = 12 * 60 * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
if not from_environment["PRODUCTION"]:
    from_environment["STATIC_ROOT"].mkdir(parents=True, exist_ok=True)
# The design system's stylesheet refers to its icons at /assets/...; WhiteNoise serves that
# folder at the site root so the vendored CSS can stay exactly as published.
WHITENOISE_ROOT = BASE_DIR / "static" / "vendor" / "nhsuk" / "root"

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"

# The broker, the result backend and whether tasks run in-process follow REDIS_URL.
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
# Nothing reads task results (what a task did is recorded in the database), and storing them
# makes queueing from a web request contact the result store as well as the broker.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Each task names its own time limits (a test sees that every one does); these are for a
# task that forgets.
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
# Two queues, each with workers of its own in production (the Procfile's worker and
# longworker): long work (reports, imports) waits on "long", so a national PDF or a large
# import never holds up an invitation, a password reset or a digest on "celery". A worker
# started without --queues (make run, the tests) takes both (docs/adr/0040).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("long")]
LONG_TASKS = [
    "reports.tasks.make_report",
    "imports.tasks.check_import",
    "imports.tasks.run_import",
]
CELERY_TASK_ROUTES = {name: {"queue": "long"} for name in LONG_TASKS}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hang a web request for long; work left behind is picked up
# by periodic sweeps instead.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # The folders of the queue `make run` keeps as files, when it does (config/env.py).
    **from_environment["TASK_QUEUE_FOLDERS"],
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

# The outbox of email (portal/emails.py, django-mailer): rows are locked one at a time in the
# database, not with a file, so workers on many machines never send one twice; a message the
# mail server refused is tried again up to five times.
MAILER_USE_FILE_LOCK = False
MAILER_EMAIL_MAX_RETRIES = 5

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp, docs/adr/0016): only our own scripts, styles and
# images, nothing inline, never framed, forms posting only to us. The design system's
# stylesheet loads its Frutiger fonts from the NHS's asset host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The authenticator set-up page draws its QR code as a data: image (allauth's own).
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features the portal never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Structured logs (portal/structured_logs.py, docs/adr/0017): request and task lines from
# django-structlog, the request id carried into the tasks a request queues.
configure_structlog()
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = REQUEST_STARTED_LEVEL
