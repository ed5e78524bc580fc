"""Security headers Django does not set itself. The rest (HSTS, nosniff, referrer policy, COOP,
frame denial, CSP) come from Django's own middleware, configured in settings."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self", "https://x"]} → 'camera=(), fullscreen=(self "https://x")'."""
    rendered = []
    for feature, allowed in policy.items():
        origins = " ".join(
            origin if origin in {"self", "*"} else f'"{origin}"' for origin in allowed
        )
        rendered.append(f"{feature}=({origins})")
    return ", ".join(rendered)


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` from settings.PERMISSIONS_POLICY to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
