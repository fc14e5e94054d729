"""The test identity provider: tests/oidc/provider.mjs (the npm package oidc-provider) started in
its own process, and a way through its sign-in page without a browser."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "openips"
CLIENT_SECRET = "test-only-client-secret"

# The provider's people. Logins are what its sign-in page asks for; the emails match (or do not
# match) OpenIPS accounts that the tests give these addresses.
ACCOUNTS: dict[str, dict[str, Any]] = {
    # Signed in with a second factor, as an NHSmail user with Entra ID MFA would be.
    "with-mfa": {"sub": "sub-0001-mfa", "email": "esme@openips.example", "amr": ["pwd", "mfa"]},
    # A password only: OpenIPS still asks for its own security code.
    "password-only": {"sub": "sub-0002-pwd", "email": "lee@openips.example", "amr": ["pwd"]},
    # Someone the provider knows and OpenIPS does not.
    "stranger": {"sub": "sub-0003-unknown", "email": "nobody@openips.example", "amr": ["mfa"]},
    # Tokens for this account are addressed to another service.
    "other-audience": {
        "sub": "sub-0004-aud",
        "email": "esme@openips.example",
        "amr": ["mfa"],
        "audience": "another-service",
    },
    # The provider has not checked that this address is theirs.
    "unverified-email": {
        "sub": "sub-0006-unverified",
        "email": "esme@openips.example",
        "email_verified": False,
        "amr": ["mfa"],
    },
    # A smartcard sign-in, as NHS CIS2 reports it: the level is in acr.
    "smartcard": {
        "sub": "sub-0005-cis2",
        "email": "esme@openips.example",
        "amr": ["sc"],
        "acr": "AAL3_ANY",
    },
}


@dataclass(frozen=True)
class Provider:
    issuer: str
    metadata: dict[str, Any]

    def rp_settings(self, **overrides: Any) -> dict[str, Any]:
        """The OIDC_* settings that point OpenIPS at this provider."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.metadata["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.metadata["token_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.metadata["jwks_uri"],
            "OIDC_OP_USER_ENDPOINT": "",
            **overrides,
        }


@contextmanager
def running_provider(redirect_uris: list[str], id_token_ttl: int = 60) -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("The single sign-on tests need Node.js and `npm ci` in the source tree")
    config = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
            }
        ],
        "accounts": ACCOUNTS,
        "id_token_ttl": id_token_ttl,
    }
    with tempfile.TemporaryDirectory() as folder:
        config_file = Path(folder) / "provider.json"
        config_file.write_text(json.dumps(config))
        errors = (Path(folder) / "stderr.txt").open("w+")
        process = subprocess.Popen(  # noqa: S603  (our own script)
            [node, str(SCRIPT), str(config_file)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if not line:
                errors.seek(0)
                raise RuntimeError(f"The test identity provider did not start:\n{errors.read()}")
            issuer = json.loads(line)["issuer"]
            metadata = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
            yield Provider(issuer, metadata.json())
        finally:
            process.terminate()
            process.wait(timeout=10)
            errors.close()


def sign_in_at_provider(authorize_url: str, login: str) -> str:
    """Go through the provider's sign-in page as a browser would, and return the address it sends
    the browser back to (OpenIPS's callback, with the code and state)."""
    browser = requests.Session()
    provider = urlsplit(authorize_url).netloc
    form = browser.get(authorize_url, timeout=10)
    form.raise_for_status()
    response = browser.post(f"{form.url}/login", data={"login": login}, allow_redirects=False)
    return follow_to_client(browser, response, provider)


def cancel_at_provider(authorize_url: str) -> str:
    browser = requests.Session()
    provider = urlsplit(authorize_url).netloc
    form = browser.get(authorize_url, timeout=10)
    response = browser.get(f"{form.url}/abort", allow_redirects=False)
    return follow_to_client(browser, response, provider)


def follow_to_client(browser: requests.Session, response: requests.Response, provider: str) -> str:
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if urlsplit(location).netloc != provider:
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"The provider did not send the browser back: {response.text[:500]}")
