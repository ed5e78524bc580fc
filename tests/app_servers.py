"""Real app-server processes for production tests: gunicorn with the repo's config, in production
mode (DEBUG off, collected static files), on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SECRET = "test-only-secret-key-" + "x" * 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",  # plain HTTP on loopback; the HTTPS settings are checked by check --deploy
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(overrides)
    return env


# Tests that use the `static_root` fixture (tests/conftest.py) run in one test process, so the
# files are collected once (15-20 s on the test machine).
uses_collected_static = pytest.mark.xdist_group("collected-static")


def collect_static(static_root: Path) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(static_root), DATABASE_URL="sqlite:///:memory:"),
        check=True,
        timeout=120,
    )


@dataclass
class AppServer:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        """(status, lower-cased headers, body), without following redirects or raising on 4xx/5xx."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=20) as response:
                return response.status, _headers(response), response.read()
        except urllib.error.HTTPError as error:
            return error.code, _headers(error), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _headers(response) -> dict:
    return {name.lower(): value for name, value in response.headers.items()}


@contextmanager
def app_server(env: dict[str, str], *, workers: int = 1) -> Iterator[AppServer]:
    port = free_port()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    log = open(ROOT / "test-artifacts" / f"gunicorn-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={
            **env,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": "1",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = AppServer(port, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log.name}")
            try:
                if server.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log.name}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
