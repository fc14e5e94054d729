"""Role checks for views. Which records a user sees is the scoped queries' job, not this one's."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from openips.accounts.roles import Capability

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def requires(capability: Capability) -> Callable[[View], View]:
    """Refuse (403) a signed-in user whose role lacks the capability."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.can(capability):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
