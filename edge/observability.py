"""Structured logs: one JSON line per request, and a request id that follows every log line.

`RequestLogMiddleware` goes first in MIDDLEWARE so its duration covers the whole stack, including
pages served from the page cache. The request id comes from the load balancer's `X-Request-ID`
header when it looks sane, is generated otherwise, and is echoed in the response.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

request_logger = logging.getLogger("newsroom.request")

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Load balancers poll these every few seconds: log them only when they fail.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)


def request_id_for(request: HttpRequest) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = request_id_for(request)
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            current_request_id.reset(token)

    def _log(self, request: HttpRequest, status: int, started: float) -> None:
        if request.path.rstrip("/") in QUIET_PATHS and status < 400:
            return
        # A request the edge refused (edge.guard) is worth a look, once: WARNING, with the reason.
        reason = getattr(request, "refused_reason", "")
        level = logging.ERROR if status >= 500 else logging.WARNING if reason else logging.INFO
        request_logger.log(
            level,
            "%s %s %s%s",
            request.method[:20],
            request.path[:500].replace("\x00", "\\x00"),
            status,
            f" refused: {reason}" if reason else "",
            extra={
                "http": {
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "cache": getattr(request, "page_cache_status", "-"),
                }
            },
        )


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (so tracebacks can be matched to requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the request's
    fields for access lines; tracebacks travel inside the object, never as loose lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        http = getattr(record, "http", None)
        if http:
            entry.update(http)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class SuspiciousRequestFilter(logging.Filter):
    """For django.security.*: a refused hostile request (too many fields, an oversized redirect,
    a broken multipart body) is one WARNING line, not an ERROR with a traceback. The request
    itself already got its 400."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
