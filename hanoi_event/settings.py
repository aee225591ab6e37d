"""Settings, read from environment variables (see .env.example).

The defaults give a working local run: SQLite, DEBUG on, mail to the console,
Celery tasks in-process. Production sets DJANGO_DEBUG=false and the variables
listed in README.md.
"""

from pathlib import Path

import environ
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="insecure-local-development-key-change-me" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.import_export",
    "unfold.contrib.simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "hanoi_event",
    "delegations",
    "sessions.apps.EventSessionsConfig",
    "accreditation",
    "checkin",
    "protocol",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (strict outside the admin) and Permissions-Policy.
    "hanoi_event.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The account's language, applied at sign-in (cookie written here).
    "hanoi_event.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hanoi_event.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "hanoi_event.middleware.EventTimezoneMiddleware",
]

ROOT_URLCONF = "hanoi_event.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "hanoi_event.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation. Times are stored in UTC; EventTimezoneMiddleware shows
# them in the current event's time zone.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
    ("ar", _("Arabic")),
    ("vi", _("Vietnamese")),
]
# Our catalogues first (manage.py update_catalogues writes there), then the
# translations of third-party strings their packages do not ship (allauth has
# no Vietnamese).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # WhiteNoise's hashed, compressed files (needs collectstatic).
        "BACKEND": "hanoi_event.static_storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads (photos, passports, credentials) are private: never under a public
# URL, served only through views that check permissions.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "private_media")
# MEDIA_STORAGE=s3: uploads in a private S3-compatible bucket (django-storages;
# AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY). See docs/deploy.md for what still reads MEDIA_ROOT.
if env("MEDIA_STORAGE", default="local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Cache: login rate-limit counters and used TOTP codes live here, so with
# several web processes set CACHE_URL=redis://host:6379/1 (shared).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Email: console by default; EMAIL_URL=smtp+tls://user:pass@host:587 for SMTP.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Hanoi Convention <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's public address, for links in emails (no trailing slash).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Seconds before an SMTP connection attempt or command gives up.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# The outbox (hanoi_event.services). Temporary failures retry after
# backoff * 2**(attempt-1) seconds (capped), up to EMAIL_MAX_ATTEMPTS attempts.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_RETRY_BACKOFF_SECONDS = env.float("EMAIL_RETRY_BACKOFF_SECONDS", default=30)
EMAIL_RETRY_BACKOFF_MAX = env.float("EMAIL_RETRY_BACKOFF_MAX", default=3600)
# A row in "sending" longer than this is taken to belong to a dead worker and
# is sent again; keep it well above EMAIL_TIMEOUT.
EMAIL_SENDING_LEASE_SECONDS = env.float("EMAIL_SENDING_LEASE_SECONDS", default=600)
# A row still waiting this long after it was due is handed to the workers again.
EMAIL_REQUEUE_AFTER_SECONDS = env.float("EMAIL_REQUEUE_AFTER_SECONDS", default=300)
EMAIL_SWEEP_LIMIT = env.int("EMAIL_SWEEP_LIMIT", default=10000)
# Messages per delivery task, and outbox rows written per bulk-send chunk.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=50)
EMAIL_BULK_CHUNK_SIZE = env.int("EMAIL_BULK_CHUNK_SIZE", default=500)
# Messages per second across all workers (counted in Redis); 0 = no limit.
EMAIL_RATE_LIMIT = env.int("EMAIL_RATE_LIMIT", default=0)
# Reminders: registration deadline reminders this many days before it.
REMINDER_DEADLINE_DAYS = env.list("REMINDER_DEADLINE_DAYS", cast=int, default=[7, 2])

# Celery: without a broker, tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int(
    "CELERY_WORKER_PREFETCH_MULTIPLIER", default=4
)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Redis going away stops no worker: it reconnects (at startup too: a worker
# started before Redis waits for it), and a delivery batch running when the
# connection drops finishes its messages (cancelling it would cut sends off
# mid-message, inside the duplicate window). Its late acknowledgement is lost
# with the connection; the outbox rows, not the broker, say what was sent.
# The fix for kombu's Redis channel that keeps the worker alive through the
# reconnect is in hanoi_event/celery.py.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Accounts (django-allauth): email login, mandatory verification, rate limits;
# staff must use TOTP two-factor before the admin (StaffTwoFactorMiddleware).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_ADAPTER = "delegations.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# The subject prefix and the site name in allauth's messages are the current
# event's (delegations.adapters.EventSite).
# Per address (key) strict; per IP generous, since a ministry or the venue
# puts many people behind one address. Counters live in the cache: with
# several web processes, point CACHES at a shared Redis.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "30/5m/ip,5/5m/key",
    "signup": "60/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Behind a load balancer every request comes from its address: set
# TRUSTED_PROXY_COUNT to the number of proxies that append X-Forwarded-For
# (1 for one balancer), or the per-IP limits above count all clients as one
# and the registration rush is refused after 60 sign-ups a minute.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Hanoi Convention"

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    # A load balancer probes the health URLs over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]

# Content-Security-Policy (hanoi_event.csp): "true" sends it as Report-Only.
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
# /health/background fails when no worker ran the heartbeat (every 30 s) for
# this long, or beat did not send it for this long.
HEALTH_WORKER_STALE_SECONDS = env.int("HEALTH_WORKER_STALE_SECONDS", default=120)
HEALTH_BEAT_STALE_SECONDS = env.int("HEALTH_BEAT_STALE_SECONDS", default=300)

# Error reporting to Sentry (or a Sentry-compatible server such as GlitchTip):
# off unless SENTRY_DSN is set. No personal data is sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

LOG_FORMAT = env("LOG_FORMAT", default="text")
# LOG_FORMAT=json: one JSON object a line (hanoi_event.logging), for journald
# or a log shipper; the default is plain text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "hanoi_event.logging.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# The API (check-in devices): devices authenticate with their own token
# (checkin.authentication); the OpenAPI schema is drf-spectacular's.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hanoi Convention event platform API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

UNFOLD = {
    "SITE_TITLE": _("Hanoi Convention"),
    "SITE_HEADER": _("Hanoi Convention: event administration"),
    "SITE_SYMBOL": "gavel",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    # The language switcher in the admin's account menu (our set_language:
    # the choice is also kept with the account).
    "SHOW_LANGUAGES": True,
    # The sidebar grouped by what organizers do; technical entries under
    # Settings (hanoi_event.admin_navigation; apps declare their sections).
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "hanoi_event.admin_navigation.sidebar_navigation",
    },
    "SITE_FAVICONS": [
        {
            "rel": "icon",
            "type": "image/svg+xml",
            "href": lambda request: static("favicon.svg"),
        }
    ],
    # Date-only fields get no "hours behind server time" note (admin_extra).
    "SCRIPTS": [lambda request: static("admin_extra/admin.js")],
    # The organizers' dashboard (the admin index): figures from the apps'
    # dashboard contributions (hanoi_event.dashboard).
    "DASHBOARD_CALLBACK": "reports.dashboard.dashboard_callback",
}
