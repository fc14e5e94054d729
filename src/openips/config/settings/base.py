"""Settings shared by every deployment. Everything that differs comes from the environment."""

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from openips.config.env import env_bool, env_float, env_int, env_list, env_numbers, env_str

django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parents[2]
PROJECT_DIR = PACKAGE_DIR.parents[1]
VAR_DIR = Path(env_str("OPENIPS_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = "OpenIPS"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "openips.core",
    "openips.audit",
    "openips.governance",
    "openips.record",
    "openips.organisations",
    "openips.accounts",
    "openips.clients",
    "openips.employment",
    "openips.casework",
    "openips.interchange",
    "openips.outcomes",
    "openips.fidelity",
    "openips.mhsds",
    "openips.research",
    "openips.benefits",
    "openips.messaging",
    "openips.fhir",
    "openips.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openips.accounts.middleware.PrivateResponsesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "openips.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "openips.accounts.middleware.TwoFactorRequiredMiddleware",
    "openips.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "openips.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "openips.config.urls"
WSGI_APPLICATION = "openips.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "openips.config.jinja2.environment",
            "context_processors": ["openips.core.context_processors.nhsuk"],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.Jinja2"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openips.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if env_str("REPORTING_DATABASE_URL", ""):
    # A read replica for report queries only (see openips.core.reporting).
    DATABASES["reporting"] = dj_database_url.parse(
        env_str("REPORTING_DATABASE_URL", ""),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
DATABASE_ROUTERS = [
    "openips.interchange.routers.ProgressRouter",
    "openips.core.reporting.ReportingRouter",
]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer commits; IMMEDIATE avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A background import's progress is written outside the import's own transaction, on a
    # connection of its own (ADR 0027). An import holds SQLite's one write lock until it
    # commits, so there the progress lives in a small database file beside the main one.
    _main = Path(DATABASES["default"]["NAME"])
    DATABASES["progress"] = {
        **DATABASES["default"],
        "NAME": str(_main.with_name(f"{_main.stem}-progress{_main.suffix}")),
    }
else:
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
for alias in DATABASES.values():
    if alias["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles a query for up to 200 ms before it runs; our report queries
        # take less than that to run, so JIT only ever made them slower (docs/performance.md).
        alias.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "openips.accounts.oidc.NHSIdentityBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# The proxies (addresses or networks) in front of the app servers, such as the load balancer.
# Only a request from one of these may say, in X-Forwarded-For, whom it came from.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Sign-in lockout: five failures lock the account, whatever the address. Not by address: behind
# a trust's NAT or our own balancer one address is many people, and one attacker would lock
# them all out. Addresses are rate-limited instead (accounts/throttle.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when addresses are not among its lockout parameters; they are limited, separately
# and at a higher threshold, by SIGN_IN_ADDRESS_LIMIT below.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_CLIENT_IP_CALLABLE = "openips.audit.addresses.client_ip"
# Password spraying: this many failed sign-ins from one address within the window pauses
# sign-in from that address (not the accounts) until the window has passed.
SIGN_IN_ADDRESS_LIMIT = env_int("SIGN_IN_ADDRESS_LIMIT", 50)
SIGN_IN_ADDRESS_WINDOW_MINUTES = env_int("SIGN_IN_ADDRESS_WINDOW_MINUTES", 15)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "openips.accounts.views.locked_out"
AXES_VERBOSE = False

# Personal API tokens last this many days unless their owner chooses fewer, or more up to the
# maximum.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

# Two-factor sign-in (TOTP). Production requires it for every account.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = SERVICE_NAME

# Single sign-on with the trust's identity provider: Entra ID for NHSmail, or NHS CIS2 (OpenID
# Connect through mozilla-django-oidc; ADR 0013, docs/operations.md). Off unless OIDC_RP_CLIENT_ID
# is set. Accounts are matched to existing ones, never created.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")  # optional: adds the userinfo claims
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = (
    {"acr_values": env_str("OIDC_ACR_VALUES")} if env_str("OIDC_ACR_VALUES") else {}
)
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH", default=False)
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
# Clock difference allowed when checking an ID token's times.
OIDC_LEEWAY_SECONDS = env_int("OIDC_LEEWAY_SECONDS", 60)
# The first sign-in matches this claim to this field of an existing account (email or username).
OIDC_MATCH_CLAIM = env_str("OIDC_MATCH_CLAIM", "email")
OIDC_MATCH_FIELD = env_str("OIDC_MATCH_FIELD", "email")
# The provider's second factor stands in for our TOTP when the ID token's amr holds one of these
# methods or its acr is one of these levels; otherwise the person still gives an OpenIPS code.
# "otp" alone is one factor (an emailed or texted code), so only "mfa" counts by default.
OIDC_SECOND_FACTOR_AMR = env_list("OIDC_SECOND_FACTOR_AMR", "mfa")
# The provider's email claim matches an account only when email_verified is true, or when the
# provider's addresses are the organisation's own directory (Entra ID for NHSmail): set this.
OIDC_EMAIL_IS_AUTHORITATIVE = env_bool("OIDC_EMAIL_IS_AUTHORITATIVE", default=False)
OIDC_SECOND_FACTOR_ACR = env_list("OIDC_SECOND_FACTOR_ACR")
if OIDC_RP_CLIENT_ID:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on needs {', '.join(_missing)} as well")

# Sessions end after 30 idle minutes: every request pushes the expiry on. Whatever the activity,
# a session ends this long after sign-in (accounts.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "https://assets.nhs.uk"],  # the NHS.UK frontend's Frutiger font
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Data-subject rights: a person may be anonymised this many years after their last discharge.
RETENTION_YEARS_AFTER_DISCHARGE = env_int("RETENTION_YEARS_AFTER_DISCHARGE", 6)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("nhsuk", PROJECT_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk")]
# Uploaded imports wait here between checking and importing; every app server must see the same
# files (shared storage, or a django-storages backend such as S3: docs/operations.md).
MEDIA_ROOT = Path(env_str("OPENIPS_UPLOAD_DIR", str(VAR_DIR / "uploads")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "ERROR"}},
}

# Background work runs on Django's tasks framework, queued as rows in this database and run by
# `openips worker` processes (ADR 0026). A task is enqueued when the write that asks for it
# commits (`core.tasks.on_commit`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# The schedule (ADR 0028): `openips schedule`, called every few minutes by a timer, queues each
# job when its time comes (a cron expression, in TIME_ZONE), once however often it is called.
SCHEDULE = {
    "anonymise-past-retention": {
        "task": "openips.governance.tasks.anonymise_past_retention",
        "cron": "30 2 * * *",
    },
    "discard-stale-uploads": {
        "task": "openips.interchange.tasks.discard_stale_uploads",
        "cron": "*/15 * * * *",
    },
    "remove-expired-downloads": {
        "task": "openips.interchange.tasks.remove_expired_downloads",
        "cron": "5 * * * *",
    },
    "appointment-reminders": {  # tomorrow's planned appointments, to clients who agreed
        "task": "openips.messaging.tasks.send_appointment_reminders",
        "cron": "0 10 * * *",
    },
    "weekly-summaries": {  # what the caseload prompts say is due, to each ES and team leader
        "task": "openips.messaging.tasks.send_weekly_summaries",
        "cron": "0 7 * * mon",
    },
}

# Browser imports with more rows than this run in the background, with their progress shown.
IMPORT_INLINE_ROWS = env_int("OPENIPS_IMPORT_INLINE_ROWS", 5000)
# A background import reports progress at least this often; one silent for longer has lost its
# worker (its transaction rolled back), and is shown as failed.
IMPORT_STALL_SECONDS = env_int("OPENIPS_IMPORT_STALL_SECONDS", 180)
# What one import may be (ADR 0012): the file uploaded; what its files unzip to (CSV, or a
# workbook's XML); its rows in all files together, blank ones included (each is held in memory
# for the checks across rows, about 1.3 KB a row); the problems kept to show (the rest are
# counted); and how long a checked upload waits to be confirmed before it is discarded.
IMPORT_MAX_UPLOAD_BYTES = env_int("OPENIPS_IMPORT_MAX_UPLOAD_MB", 100) * 1024**2
IMPORT_MAX_UNZIPPED_BYTES = env_int("OPENIPS_IMPORT_MAX_UNZIPPED_MB", 300) * 1024**2
IMPORT_MAX_ROWS = env_int("OPENIPS_IMPORT_MAX_ROWS", 300_000)
IMPORT_MAX_PROBLEMS = env_int("OPENIPS_IMPORT_MAX_PROBLEMS", 200)
IMPORT_KEEP_HOURS = env_int("OPENIPS_IMPORT_KEEP_HOURS", 24)
# A workbook prepared in the background is kept this long for the person who asked for it.
DOWNLOAD_KEEP_HOURS = env_int("OPENIPS_DOWNLOAD_KEEP_HOURS", 24)
# An MHSDS extract with more care contacts than this is written by a worker, not the request.
MHSDS_INLINE_CONTACTS = env_int("OPENIPS_MHSDS_INLINE_CONTACTS", 20_000)
# The reliable change of each client-reported outcome measure, where a deployment uses its own
# (for example "reqol_10=5,swemwbs=3,core_10=6,dialog=1", the defaults): clients/measures.py.
RELIABLE_CHANGE = env_numbers("OPENIPS_RELIABLE_CHANGE")
# One file a request (the import's): so the per-file cap below bounds what a request may write.
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# The first handler stops an upload over IMPORT_MAX_UPLOAD_BYTES from filling a temporary file.
FILE_UPLOAD_HANDLERS = [
    "openips.interchange.uploads.UploadLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


# ---------------------------------------------------------------------------------------------
# Messages through GOV.UK Notify (docs/messaging.md, ADR 0030): appointment reminders to clients
# who agreed to messages, and a weekly caseload summary to specialists and team leaders.
# With no API key nothing is sent: each message is logged and marked so on the record.
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# The bearer token typed into Notify's callback settings: receipts without it are refused.
NOTIFY_CALLBACK_TOKEN = env_str("NOTIFY_CALLBACK_TOKEN")
# Each template's id in Notify; the placeholders each takes are in messaging/catalogue.py.
NOTIFY_TEMPLATES = {
    "appointment_reminder_sms": env_str("NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS"),
    "appointment_reminder_email": env_str("NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL"),
    "weekly_summary_email": env_str("NOTIFY_TEMPLATE_WEEKLY_SUMMARY_EMAIL"),
}
# A call to Notify waits this long for an answer; one answered 429 or 5xx is tried again, up to
# NOTIFY_ATTEMPTS calls in all, waiting NOTIFY_RETRY_SECONDS, then twice that, and so on.
NOTIFY_TIMEOUT_SECONDS = env_int("NOTIFY_TIMEOUT_SECONDS", 10)
NOTIFY_ATTEMPTS = env_int("NOTIFY_ATTEMPTS", 3)
NOTIFY_RETRY_SECONDS = env_float("NOTIFY_RETRY_SECONDS", 1.0)
# Where people open OpenIPS: the weekly summary links to the caseload there.
OPENIPS_SITE_URL = env_str("OPENIPS_SITE_URL", "http://127.0.0.1:8000")
if NOTIFY_API_KEY and not all(NOTIFY_TEMPLATES.values()):
    _unset = [name for name, value in NOTIFY_TEMPLATES.items() if not value]
    raise ImproperlyConfigured(f"NOTIFY_API_KEY is set: set the template ids too ({_unset})")
