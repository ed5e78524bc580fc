"""Refusing requests no page of ours can answer, once, before any app sees them.

- A Host header not in ALLOWED_HOSTS: 400, one WARNING line (no traceback): scanners send these
  all day, and Django's own handling logs each as an ERROR with a traceback.
- Methods the site never uses (TRACE, PUT, DELETE, PATCH, CONNECT, anything unknown): 405. A
  class-based view (every reader page) answers 405 too for a method it has no handler for, instead
  of the CSRF check's 403 for a POST it would never have accepted.
- A NUL character in the path, a query parameter or a form field: 400. PostgreSQL refuses NUL in
  text, so every lookup it reached would be a 500; refusing it here covers every lookup at once.
"""

import logging
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed

logger = logging.getLogger(__name__)

# Everything the site's pages, forms, feeds and admin use; anything else is refused.
ACCEPTED_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})
NUL = "\x00"


def contains_nul(request: HttpRequest) -> bool:
    """NUL anywhere in the decoded path, query parameters (names or values) or form fields."""
    if NUL in request.path:
        return True
    parameters = [request.GET]
    if request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        parameters.append(request.POST)
    return any(
        NUL in name or any(NUL in value for value in values)
        for query in parameters
        for name, values in query.lists()
    )


def refused(request: HttpRequest, response: HttpResponse, reason: str) -> HttpResponse:
    """Mark the answer so the request log writes it once, at WARNING, with the reason."""
    request.refused_reason = reason
    return response


class RequestGuardMiddleware:
    """Goes right after the request log, before anything that reads the host, the method or the
    parameters (the HTTPS redirect, the page cache, CSRF, sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            host = request.META.get("HTTP_HOST", request.META.get("SERVER_NAME", ""))
            return refused(
                request,
                HttpResponseBadRequest("Unknown host."),
                f"host not allowed: {host[:200]!r}",
            )
        if request.method not in ACCEPTED_METHODS:
            return refused(
                request,
                HttpResponseNotAllowed(sorted(ACCEPTED_METHODS)),
                f"method not allowed: {request.method[:20]}",
            )
        if contains_nul(request):
            return refused(
                request,
                HttpResponseBadRequest("The address or form contains a NUL character."),
                "NUL character in the request",
            )
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if view_class is None or request.method == "OPTIONS":
            return None
        allowed = self.allowed_methods(view_class)
        if request.method in allowed:
            return None
        return refused(
            request,
            HttpResponseNotAllowed(sorted(allowed)),
            f"method not allowed here: {request.method}",
        )

    @staticmethod
    def allowed_methods(view_class) -> set[str]:
        """What the view answers: its handlers, plus HEAD wherever GET is (View.setup adds it
        per instance, so the class alone does not show it)."""
        names = {name for name in view_class.http_method_names if hasattr(view_class, name)}
        if "get" in names:
            names.add("head")
        return {name.upper() for name in names}
