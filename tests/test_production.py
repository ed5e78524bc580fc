"""The production profile: health endpoints, request logs, security headers, the database-outage
page, `check --deploy`, static files and storage settings."""

import contextlib
import json
import logging
import re
import socket
import subprocess
import threading

import pytest
from django.db import OperationalError
from django.urls import reverse

from edge import health
from edge.observability import JsonFormatter, RequestIdFilter
from tests.app_servers import PYTHON, ROOT, app_server, production_env, uses_collected_static
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db


# --- Health ---------------------------------------------------------------------------------------


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_fails_when_the_cache_is_unreachable(client, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(health.cache, "set", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_readyz_fails_when_the_database_is_unreachable(client, monkeypatch):
    class DeadConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DeadConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_health_endpoints_are_never_cached_or_logged_when_healthy(client, settings, caplog):
    settings.PAGE_CACHE_ENABLED = True
    with caplog.at_level(logging.INFO, logger="newsroom.request"):
        client.get("/healthz")
        client.get("/readyz")
        client.get("/healthz")
    assert [r for r in caplog.records if r.name == "newsroom.request"] == []
    assert "x-cache" not in client.get("/healthz")


# --- Request logs ---------------------------------------------------------------------------------


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "newsroom.request"]


def test_favicon_ico_leads_to_the_site_icon(client):
    """Browsers fetch /favicon.ico on pages that name no icon (the admin): no 404 in their console."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert "favicon" in response["Location"]


def test_every_request_logs_one_structured_line(client, caplog):
    article = ArticleFactory()
    with caplog.at_level(logging.INFO, logger="newsroom.request"):
        response = client.get(article.get_absolute_url())
    (record,) = _request_records(caplog)
    assert record.http["method"] == "GET"
    assert record.http["path"] == article.get_absolute_url()
    assert record.http["status"] == 200
    assert record.http["duration_ms"] >= 0
    line = JsonFormatter().format(_with_request_id(record))
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["request_id"] == response["X-Request-ID"]
    assert {"method", "path", "status", "duration_ms", "time", "level"} <= entry.keys()


def _with_request_id(record):
    # The filter runs on the handler; outside a request the id is "-", so keep the record's own.
    if not hasattr(record, "request_id"):
        RequestIdFilter().filter(record)
    return record


def test_a_request_id_from_the_load_balancer_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
    assert response["X-Request-ID"] == "lb-1234.abc"


def test_a_missing_or_unsafe_request_id_is_replaced(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    hostile = client.get("/healthz", headers={"X-Request-ID": 'x" injected {json}'})
    assert re.fullmatch(r"[0-9a-f]{32}", hostile["X-Request-ID"])


def test_server_errors_are_logged_at_error_level(client, caplog, monkeypatch):
    from articles import views

    def explode(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(views.HomeView, "get", explode)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO, logger="newsroom.request"):
        assert client.get("/").status_code == 500
    (record,) = _request_records(caplog)
    assert record.levelno == logging.ERROR


# --- Security headers -----------------------------------------------------------------------------


@pytest.fixture
def every_page_type(db):
    category = CategoryFactory(slug="world", name="World")
    author = AuthorFactory(slug="jane", display_name="Jane")
    article = ArticleFactory(primary_category=category, authors=[author], tags=["oil"])
    PageFactory(slug="about")
    day = article.local_date
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": "/category/world/",
        "tag": "/tag/oil/",
        "author": "/author/jane/",
        "page": "/about/",
        "archives": "/archives/",
        "day": f"/{day.year}/{day.month:02d}/{day.day:02d}/",
        "not found": "/no-such-thing/",
        "admin login": reverse("admin:login"),
        "health": "/healthz",
    }


def assert_security_headers(response, label: str) -> None:
    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["X-Frame-Options"] == "DENY", label
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", label
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", label
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy, label
    assert "frame-ancestors 'none'" in policy, label
    assert "object-src 'none'" in policy, label
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, label
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions, label
    assert 'fullscreen=(self "https://www.youtube-nocookie.com"' in permissions, label


@pytest.mark.parametrize("page_cache", [False, True], ids=["uncached", "page-cache"])
def test_security_headers_on_every_page_type(client, settings, every_page_type, page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache
    for label, path in every_page_type.items():
        for _ in range(2):  # the second one comes from the page cache when it is on
            response = client.get(path)
            assert response.status_code in {200, 404}, (label, response.status_code)
            assert_security_headers(response, label)


def test_pages_carry_no_inline_scripts_styles_or_handlers(client, every_page_type):
    for label, path in every_page_type.items():
        if path == "/healthz":
            continue
        html = client.get(path).content.decode()
        # JSON-LD is data, never executed, so CSP does not apply to it.
        inline_scripts = re.findall(
            r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html
        )
        assert inline_scripts == [], label
        assert not re.search(r"<[^>]+\sstyle=", html), label
        assert not re.search(r"<[^>]+\son[a-z]+=", html), label
        assert "<style" not in html, label


# --- The database goes away -----------------------------------------------------------------------


def test_a_lost_database_during_a_view_gives_the_short_503_page(client, monkeypatch):
    from articles import views

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.HomeView, "get_queryset", lost)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Back in a moment" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert_security_headers(response, "503")


def test_a_lost_database_outside_a_view_also_gives_the_503_page(rf, monkeypatch):
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = health.server_error_or_outage(rf.get("/"))
    assert response.status_code == 503
    assert b"Back in a moment" in response.content
    try:
        raise ValueError("a bug")
    except ValueError:
        response = health.server_error_or_outage(rf.get("/"))
    assert response.status_code == 500


class TcpProxy:
    """Forwards a local port to PostgreSQL; `stop()` drops every connection like a dead server."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.running = False

    def start(self) -> None:
        if not self.running:
            self.listener = socket.socket()
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self.running = False
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        self.listener.close()
        for sock in self.connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass
        self.connections.clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@uses_collected_static
def test_the_site_shows_503_while_postgres_is_away_and_recovers_by_itself(
    using_postgres, settings, static_root, tmp_path
):
    if not using_postgres:
        pytest.skip("needs PostgreSQL")
    article = ArticleFactory(title="Survives outages")
    db = settings.DATABASES["default"]
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    env = production_env(
        DATABASE_URL=f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp_path),
        # Both caches off, so every request needs the database (kept pages and parts are served
        # without it, which is the point of keeping them).
        PAGE_CACHE="0",
        FRAGMENT_CACHE="0",
    )
    try:
        with app_server(env) as server:
            assert b"Survives outages" in server.get(article.get_absolute_url())[2]
            proxy.stop()
            status, headers, body = server.get(article.get_absolute_url())
            assert status == 503
            assert b"Back in a moment" in body and b"Traceback" not in body
            assert headers["retry-after"] == str(health.RETRY_AFTER_SECONDS)
            assert server.get("/healthz")[0] == 200  # the process is fine
            assert server.get("/readyz")[0] == 503  # but do not send it traffic
            proxy.start()
            status, _, body = server.get(article.get_absolute_url())
            assert status == 200 and b"Survives outages" in body  # no restart needed
            assert server.get("/readyz")[0] == 200
    finally:
        proxy.stop()


@uses_collected_static
def test_a_server_whose_database_is_unreachable_answers_503_not_a_traceback(static_root, tmp_path):
    env = production_env(
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",  # port 9: nothing listens
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp_path),
    )
    with app_server(env) as server:
        status, headers, body = server.get("/")
        assert status == 503
        assert b"Back in a moment" in body
        assert "content-security-policy" in headers
        assert server.get("/readyz")[0] == 503


# --- Static files in production -------------------------------------------------------------------


@uses_collected_static
def test_production_serves_hashed_compressed_static_files_with_far_future_caching(
    static_root, tmp_path
):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp_path),
    )
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    with app_server(env) as server:
        status, _, body = server.get("/")
        assert status == 200
        stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, "the page links the hashed stylesheet"
        status, headers, _ = server.get(
            stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip, br"}
        )
        assert status == 200
        assert "max-age=315360000" in headers["cache-control"]
        assert "immutable" in headers["cache-control"]
        assert headers.get("content-encoding") in {"gzip", "br"}


# --- Deployment checks and settings ---------------------------------------------------------------


def _manage(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_the_production_profile():
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        HTTPS="1",
        BEHIND_PROXY="1",
        ALLOWED_HOSTS="news.example.org",
        EMAIL_HOST="smtp.example.org",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage(["check"], SECRET_KEY="", DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _setting(expression: str, **env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"from django.core.files.storage import storages; print({expression})"
    )
    result = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env=production_env(DJANGO_SETTINGS_MODULE="config.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_https_settings_follow_the_environment():
    secure = "(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0)"
    assert _setting(secure, HTTPS="1") == "(True, True, True, True)"
    assert _setting("settings.SECURE_PROXY_SSL_HEADER", HTTPS="1", BEHIND_PROXY="1") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert _setting("getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)", HTTPS="1") == "None"


def test_uploads_go_to_s3_when_a_bucket_is_configured():
    storage = "type(storages['default']).__name__"
    assert _setting(storage, AWS_STORAGE_BUCKET_NAME="newsroom-media") == "S3Storage"
    assert _setting(storage) == "FileSystemStorage"
