"""Health and database outages.

- `/healthz`: the process is up and answers (a load balancer's liveness probe). Touches nothing.
- `/readyz`: the database and the cache both answer (readiness: send traffic here). 503 otherwise.
- When the database goes away, readers get `templates/503.html` (no database needed to render it)
  with `Retry-After`, instead of a traceback or the generic 500. Django drops a connection that
  failed at the end of its request, so the site recovers by itself when the database returns (with
  CONN_HEALTH_CHECKS=1 it checks before each request instead, at a round trip per request).
"""

import logging
import sys
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# What psycopg and sqlite raise when the server is unreachable or the connection died.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("readyz: database unreachable", exc_info=True)
        return False


def _cache_ok() -> bool:
    try:
        cache.set("readyz:probe", "ok", 10)
        return cache.get("readyz:probe") == "ok"
    except Exception:
        logger.warning("readyz: cache unreachable", exc_info=True)
        return False


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            **{name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        },
        status=200 if ready else 503,
    )


UNAVAILABLE_MESSAGE = "The site is briefly unavailable. Please try again in a moment."


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if "application/json" in request.headers.get("Accept", ""):
        # Scripts (the signup form's fetch) get the format they asked for.
        response = JsonResponse({"ok": False, "message": UNAVAILABLE_MESSAGE}, status=503)
    else:
        response = HttpResponse(
            loader.render_to_string("503.html", request=None), status=503, content_type="text/html"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Turns a lost database during a view into the short 503 page (one warning line, not a
    traceback per request). Errors outside views reach `server_error_or_outage`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OUTAGE_ERRORS):
            first_line = (str(exception).strip().splitlines() or [""])[0]
            logger.warning("database unavailable: %s", first_line)
            return database_unavailable(request)
        return None


def server_error_or_outage(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the outage page when the uncaught error is a lost database, else Django's."""
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGE_ERRORS):
        return database_unavailable(request)
    return server_error(request, template_name)
