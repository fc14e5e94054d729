"""Settings shared by every deployment. Everything that differs comes from the environment."""

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF

from openips.config.env import env_bool, env_int, env_list, env_str

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "openips.core",
    "openips.audit",
    "openips.organisations",
    "openips.accounts",
    "openips.clients",
    "openips.employment",
    "openips.casework",
    "openips.interchange",
    "openips.outcomes",
    "openips.fidelity",
    "openips.benefits",
    "openips.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "openips.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
DATABASE_ROUTERS = ["openips.core.reporting.ReportingRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer commits; IMMEDIATE avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
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
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# Sign-in lockout: five failures lock the account, whatever the address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# Per account, and per browser (address + user agent) against password spraying; not per address
# alone, which would lock out a whole trust behind one NAT address.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "openips.accounts.views.locked_out"
AXES_VERBOSE = False

# Two-factor sign-in (TOTP). Production requires it for every account.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = SERVICE_NAME

# Sessions end after 30 idle minutes: every request pushes the expiry on.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
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

# Browser imports with more rows than this run in the background, with their progress shown.
IMPORT_INLINE_ROWS = env_int("OPENIPS_IMPORT_INLINE_ROWS", 5000)
# What one import may be (ADR 0012): the file uploaded; what its files unzip to (CSV, or a
# workbook's XML); its rows in all files together, blank ones included (each is held in memory
# for the checks across rows, about 1.3 KB a row); the problems kept to show (the rest are
# counted); and how long a checked upload waits to be confirmed before it is discarded.
IMPORT_MAX_UPLOAD_BYTES = env_int("OPENIPS_IMPORT_MAX_UPLOAD_MB", 100) * 1024**2
IMPORT_MAX_UNZIPPED_BYTES = env_int("OPENIPS_IMPORT_MAX_UNZIPPED_MB", 300) * 1024**2
IMPORT_MAX_ROWS = env_int("OPENIPS_IMPORT_MAX_ROWS", 300_000)
IMPORT_MAX_PROBLEMS = env_int("OPENIPS_IMPORT_MAX_PROBLEMS", 200)
IMPORT_KEEP_HOURS = env_int("OPENIPS_IMPORT_KEEP_HOURS", 24)
# The first handler stops an upload over IMPORT_MAX_UPLOAD_BYTES from filling a temporary file.
FILE_UPLOAD_HANDLERS = [
    "openips.interchange.uploads.UploadLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
