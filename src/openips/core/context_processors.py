from django.http import HttpRequest
from django.templatetags.static import static


def nhsuk(request: HttpRequest) -> dict[str, str]:
    """What the NHS.UK page template reads: the CSP nonce for its inline script, and its assets."""
    # str() makes django-csp generate the nonce and add it to this response's header.
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    return {"cspNonce": nonce, "assetPath": static("nhsuk/assets")}
