"""The test suite: SQLite unless DATABASE_URL says otherwise; fast password hashing."""

import os
import tempfile

from openips.config.settings.base import *  # noqa: F403
from openips.config.settings.base import DATABASES, STORAGES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the live server's threads then get their own connections and real
    # transactions, as in production, rather than sharing the test's one connection.
    _test = os.path.join(tempfile.gettempdir(), f"openips-test-{os.getpid()}")
    DATABASES["default"]["TEST"] = {"NAME": f"{_test}.sqlite3"}
    # Named as the settings name it beside a main database, so a worker started by a test with
    # DATABASE_URL set to the test database finds this one too.
    DATABASES["progress"]["TEST"] = {"NAME": f"{_test}-progress.sqlite3"}

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OTP_REQUIRED = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Serve static files straight from the finders, so tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Messages: the log backend unless a test points at its own Notify; retries without waiting.
NOTIFY_API_KEY = ""
NOTIFY_CALLBACK_TOKEN = "test-callback-token"  # noqa: S105
NOTIFY_RETRY_SECONDS = 0.0
