"""The 403 page. In the admin it keeps the admin's own layout and lists what the user may open
instead (Django's default is a bare "403 Forbidden"); elsewhere Django's default answers."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import defaults

GENERIC_REASON = "Your account may not open this page."


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    in_admin = request.path.startswith(reverse("admin:index"))
    if not (in_admin and user is not None and user.is_active and user.is_staff):
        return defaults.permission_denied(request, exception)
    reason = str(exception) if exception and str(exception) else GENERIC_REASON
    context = {
        **admin.site.each_context(request),
        "title": "You may not open this page",
        "reason": reason,
    }
    response = TemplateResponse(request, "admin/403.html", context, status=403)
    return response.render()
