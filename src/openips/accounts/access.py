"""Role checks for views. Which records a user sees is the scoped queries' job, not this one's."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase

from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
View = Callable[Concatenate[AuthenticatedHttpRequest, P], R]


def requires(capability: Capability) -> Callable[[View[P, R]], View[P, R]]:
    """Refuse (403) a signed-in user whose role lacks the capability."""

    def decorator(view: View[P, R]) -> View[P, R]:
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
