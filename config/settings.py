"""Handvat settings: one file, driven by environment variables.

With no environment at all it runs embedded: SQLite and kombu's filesystem
broker under ``var/``, so ``make run`` needs no server. ``DATABASE_URL`` and
``CELERY_BROKER_URL`` switch it to PostgreSQL and Redis. Every variable is
listed in ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    # Values already in the environment win, so CI can override the file.
    env.read_env(BASE_DIR / ".env", overwrite=False)


def _path(name: str, default: Path) -> Path:
    """A folder from the environment; a relative one is taken from the project root."""
    return BASE_DIR / env.str(name, default=str(default))


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 - only reachable with DEBUG on

# Encryption at rest (people/crypto.py): Fernet keys, newest first; every key
# decrypts, the first encrypts. Without them a key is derived from SECRET_KEY,
# which `check --deploy` refuses: set real ones in production and back them up
# apart from the database.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
FIELD_ENCRYPTION_KEYS_DERIVED = not FIELD_ENCRYPTION_KEYS
if FIELD_ENCRYPTION_KEYS_DERIVED:
    import base64
    import hashlib

    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"handvat-field-encryption:" + SECRET_KEY.encode()).digest()).decode()
    ]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "simple_history",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "people.auth",
    "people",
    "notifications",
    "prevention",
    "doxing_cases",
    "aftercare",
    "exports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Security (people/auth/middleware.py): idle timeout, then the second
    # factor, then no-store on every page, then the rate limits.
    "people.auth.middleware.IdleTimeoutMiddleware",
    "people.auth.middleware.SecondFactorMiddleware",
    "people.auth.middleware.NoStoreMiddleware",
    "people.auth.middleware.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Logs a case page read that its view did not log (people/privacy/middleware.py).
    "people.privacy.middleware.CaseReadLogMiddleware",
    # django-axes turns a locked-out login into its lockout page; it goes last.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # web, worker and beat write to one file: WAL lets readers run beside a
        # writer, and IMMEDIATE takes the write lock at BEGIN so two concurrent
        # transactions queue instead of one failing half-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not :memory:) so that a Celery worker started by an integration
    # test sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default=str(VAR_DIR / "test-db.sqlite3"))}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
        "POSTGRES_JIT", default=False
    ):
        # PostgreSQL's JIT compiler spent 0.6 s compiling one statistics query
        # that runs in 0.1 s without it (benchmarks/README.md).
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username is refused before its password is checked.
    "people.auth.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no shared anonymous user row
GUARDIAN_MONKEY_PATCH_USER = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time -------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"  # shown to people; the database keeps UTC
USE_TZ = True
LANGUAGE_COOKIE_NAME = "handvat_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files -----------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = _path("STATIC_ROOT", VAR_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need `collectstatic` first: the production image does
        # that at build time and sets STATIC_MANIFEST; development and tests
        # serve the files as they are.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Without a collected manifest (development, tests) whitenoise serves straight from static/.
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=False)
WHITENOISE_AUTOREFRESH = DEBUG
# Case files (screenshots, evidence) never get a public URL: they live here
# and are served only by views that check access and log the read.
PRIVATE_MEDIA_ROOT = _path("PRIVATE_MEDIA_ROOT", VAR_DIR / "private")
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES + 2

# --- Celery ------------------------------------------------------------------
CELERY_FS_ROOT = _path("CELERY_FS_ROOT", VAR_DIR / "celery")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "control", "processed"):
        (CELERY_FS_ROOT / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_ROOT / "queue"),
        "data_folder_out": str(CELERY_FS_ROOT / "queue"),
        "control_folder": str(CELERY_FS_ROOT / "control"),
        "processed_folder": str(CELERY_FS_ROOT / "processed"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    # Longer than any countdown the project uses; the minute dispatcher makes
    # long ETAs unnecessary.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="handvat")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that enqueues work must not hang when the broker is away.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "dispatch-reminders": {
        "task": "notifications.tasks.dispatch_reminders",
        "schedule": 60.0,
        # A run takes at most REMINDER_DISPATCH_SECONDS; one that waited longer is stale.
        "options": {"expires": 55},
    },
    "purge-kept-uploads": {
        "task": "doxing_cases.tasks.purge_kept_uploads",
        "schedule": 3600.0,
    },
    "create-takedown-follow-ups": {
        "task": "doxing_cases.tasks.create_takedown_follow_ups",
        "schedule": 15 * 60.0,
    },
    # Retention: notice 30 days ahead, then erasure of closed cases (at night, UTC).
    "apply-retention": {
        "task": "doxing_cases.tasks.apply_retention",
        "schedule": crontab(hour=1, minute=30),
    },
}

# Reminders: how many the dispatcher takes per transaction, how long one run
# may take, and how e-mails are retried (seconds, doubling, at most 15 min apart).
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=500)
REMINDER_DISPATCH_SECONDS = env.int("REMINDER_DISPATCH_SECONDS", default=50)
REMINDER_EMAIL_RETRIES = env.int("REMINDER_EMAIL_RETRIES", default=5)
REMINDER_EMAIL_BACKOFF = env.int("REMINDER_EMAIL_BACKOFF", default=30)
# An e-mail queued (or last tried) longer ago than this, and neither sent nor
# failed, lost its task: the dispatcher queues it again. Above the longest back-off.
REMINDER_EMAIL_LOST_AFTER = env.int("REMINDER_EMAIL_LOST_AFTER", default=20 * 60)

# Aftercare: alerts before a flare-up moment (days before; 0 is the day itself),
# and the default follow-up conversations (months after the move to aftercare).
HANDVAT_FLARE_UP_OFFSETS = env.list("HANDVAT_FLARE_UP_OFFSETS", cast=int, default=[14, 2, 0])
HANDVAT_FOLLOW_UP_MONTHS = env.list("HANDVAT_FOLLOW_UP_MONTHS", cast=int, default=[1, 3, 6, 12])

# Prevention: training counts for this many months; people who joined less than
# this many days ago are shown apart (they may not have had the chance yet);
# a refresher reminder goes out this many days before the training expires.
HANDVAT_TRAINING_VALID_MONTHS = env.int("HANDVAT_TRAINING_VALID_MONTHS", default=24)
HANDVAT_TRAINING_GRACE_DAYS = env.int("HANDVAT_TRAINING_GRACE_DAYS", default=90)
HANDVAT_TRAINING_REFRESHER_DAYS = env.int("HANDVAT_TRAINING_REFRESHER_DAYS", default=30)
HANDVAT_SELF_SCAN_MONTHS = env.int("HANDVAT_SELF_SCAN_MONTHS", default=6)

# Wall-clock time of reminders planned for a day (check-ins, next contacts).
HANDVAT_REMINDER_TIME = env.str("HANDVAT_REMINDER_TIME", default="09:00")

# --- E-mail --------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Handvat <handvat@localhost>")

# --- Security ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# HSTS is only ever sent over HTTPS; with DEBUG off it defaults to a year.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# The container's own health probe talks plain HTTP to gunicorn.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: forms carry it
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- Login: second factor, lockout, idle timeout, single sign-on, rate limits ---
# Roles that must pass a TOTP code (people/access.py › must_use_second_factor);
# staff and superusers always must. Others may turn it on themselves.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Handvat")
# Logged out after this many seconds without a request: privileged roles sooner.
HANDVAT_IDLE_TIMEOUT_PRIVILEGED = env.int("HANDVAT_IDLE_TIMEOUT_PRIVILEGED", default=30 * 60)
HANDVAT_IDLE_TIMEOUT = env.int("HANDVAT_IDLE_TIMEOUT", default=2 * 3600)
# django-axes: after 5 failed logins a username, and apart from that an address,
# is locked for HANDVAT_LOCKOUT_MINUTES. A successful login from an address
# clears its failures, so an office behind one address is not locked out by
# a few typing errors spread over the day.
AXES_FAILURE_LIMIT = env.int("HANDVAT_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("HANDVAT_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "people.auth.views.lockout"  # the calm page, registration/lockout.html
AXES_VERBOSE = False  # its log lines carry usernames; people/auth logs the lockout by user id
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "people.auth.ratelimit.client_address"
# Behind a proxy, the client address is the last one the proxy added to X-Forwarded-For.
HANDVAT_TRUSTED_PROXIES = env.int("HANDVAT_TRUSTED_PROXIES", default=1 if SECURE_PROXY_SSL_HEADER else 0)
# Rate limits on POSTs: view name -> (per user, per address, seconds). The
# login's "user" is the username typed in. Counted in the default cache: set
# CACHE_URL to Redis in production so that every gunicorn process shares them.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
HANDVAT_RATE_LIMITS = {
    "login": (
        env.int("HANDVAT_LOGIN_LIMIT_PER_USER", default=10),
        env.int("HANDVAT_LOGIN_LIMIT_PER_ADDRESS", default=50),
        env.int("HANDVAT_LOGIN_LIMIT_SECONDS", default=15 * 60),
    ),
    "two_factor_verify": (
        env.int("HANDVAT_LOGIN_LIMIT_PER_USER", default=10),
        env.int("HANDVAT_LOGIN_LIMIT_PER_ADDRESS", default=50),
        env.int("HANDVAT_LOGIN_LIMIT_SECONDS", default=15 * 60),
    ),
    "cases:report_new": (
        env.int("HANDVAT_REPORT_LIMIT_PER_USER", default=20),
        env.int("HANDVAT_REPORT_LIMIT_PER_ADDRESS", default=200),
        env.int("HANDVAT_REPORT_LIMIT_SECONDS", default=3600),
    ),
}
HANDVAT_RATE_LIMITS["admin:login"] = HANDVAT_RATE_LIMITS["login"]
# Single sign-on with OpenID Connect (mozilla-django-oidc): off unless the
# organisation's identity provider is configured. Users are matched by e-mail
# address and never created; privileged roles still pass their TOTP code.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
HANDVAT_OIDC_ENABLED = all(
    (OIDC_RP_CLIENT_ID, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT)
)
if HANDVAT_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("mozilla_django_oidc.auth.OIDCAuthenticationBackend")

# --- Logging: ids only, never personal data -----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO: thirty lines per PDF.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # django-axes logs every login at INFO (masked); people/auth logs lockouts by user id.
        "axes": {"level": "WARNING"},
    },
}

# --- Handvat ------------------------------------------------------------------
HANDVAT_DEMO_PASSWORD = "handvat-demo-2026"  # noqa: S105 - demo data only, printed by `make run`
HANDVAT_TRIAGE_PAGE_SIZE = 25
# The first contact with the employee is due this many hours after a report.
HANDVAT_FIRST_CONTACT_HOURS = env.int("HANDVAT_FIRST_CONTACT_HOURS", default=24)
HANDVAT_FIRST_CONTACT_HOURS_URGENT = env.int("HANDVAT_FIRST_CONTACT_HOURS_URGENT", default=2)
# Statistics and the national export: a group smaller than this is never shown
# (feedback scores, cells of the anonymised export).
HANDVAT_SUPPRESSION_THRESHOLD = env.int("HANDVAT_SUPPRESSION_THRESHOLD", default=5)
# The national export's role group of each team, by team name (JSON), e.g.
# {"Handhaving Centrum": "enforcement"}; a team not listed is guessed from its name.
HANDVAT_ROLE_GROUPS = env.json("HANDVAT_ROLE_GROUPS", default={})
# The access log (who read which case) is kept this many days, then may be
# deleted. Two years: long enough to answer a complaint or subject-access
# request about a case, and to investigate a breach found months later; short
# enough that the log does not become a lasting record of who worked on what.
# On PostgreSQL a trigger refuses earlier deletion; it takes the value when the
# people migrations run (`manage.py access_log_guard` re-installs it after a change).
HANDVAT_ACCESS_LOG_RETENTION_DAYS = env.int("HANDVAT_ACCESS_LOG_RETENTION_DAYS", default=730)
# Alert the privacy officer when one user opens more than this many cases they
# are not involved in (no grant, not their own) within an hour.
HANDVAT_ACCESS_ALERT_THRESHOLD = env.int("HANDVAT_ACCESS_ALERT_THRESHOLD", default=5)
# Retention (README, "Retention"): days a kind of data is kept. "case": a closed
# case with everything of it, counted from its closing; a legal hold suspends it.
# Default five years; the organisation must confirm it (see README). Override as
# JSON, e.g. HANDVAT_RETENTION={"case": 2557}.
HANDVAT_RETENTION = {"case": 5 * 365 + 1, **env.json("HANDVAT_RETENTION", default={})}
# The coordinator is told this many days before a case is erased; never erased sooner after the notice.
HANDVAT_RETENTION_NOTICE_DAYS = env.int("HANDVAT_RETENTION_NOTICE_DAYS", default=30)
FORM_RENDERER = "config.forms.FormRenderer"
