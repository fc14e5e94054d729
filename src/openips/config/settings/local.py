"""A laptop: `make run`. Secure defaults, with two-factor sign-in relaxed for the demo."""

import secrets

from openips.config.env import env_bool
from openips.config.settings.base import *  # noqa: F403
from openips.config.settings.base import SECRET_KEY, VAR_DIR

# The demo relaxes two-factor sign-in and says so on every page. Set OTP_REQUIRED=true to try it.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=False)

if not SECRET_KEY:
    # One random key per checkout, kept under var/ (never committed).
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
