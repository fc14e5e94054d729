from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail")


urlpatterns = [path("boom/", boom), path("", include("openips.config.urls"))]
handler500 = "openips.core.views.server_error"
