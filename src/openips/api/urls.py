"""The one NinjaAPI, mounted at /api/v1/ by config/urls.py."""

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI
from ninja.security import SessionAuth

from openips.api import contacts, employment, episodes, health, staff
from openips.api.base import TokenAuth

api = NinjaAPI(
    title="OpenIPS API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url=None,  # the interactive docs load scripts from elsewhere, which the CSP forbids
)
for module in (episodes, contacts, employment, health, staff):
    api.add_router("/", module.router)

patterns, app, namespace = api.urls
# The API answers 401 itself; it must not be redirected to the sign-in page.
for pattern in patterns:
    if pattern.callback is not None:
        pattern.callback = login_not_required(pattern.callback)
