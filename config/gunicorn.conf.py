"""Gunicorn settings: `gunicorn config.wsgi` picks this file up (it is named on the command line
by `-c config/gunicorn.conf.py`, or found as ./gunicorn.conf.py only from the repo root, so the
README always passes `-c`). Every value can be overridden by environment variables."""

import gc
import multiprocessing
import os

# Listen on loopback by default; behind a proxy set BIND=0.0.0.0:8000 (or a unix socket).
bind = os.environ.get("BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))

# Workers: the usual 2 × cores + 1 (pages spend part of their time waiting on PostgreSQL and
# Redis); WEB_CONCURRENCY overrides it, as on most platforms.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads let one worker keep several keep-alive connections and overlap database waits; with
# threads > 1 gunicorn uses the gthread worker.
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is killed (the worker is replaced): a hung query must not
# hold a worker forever. The proxy's timeout should be a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (with jitter, so they do not all restart together): bounds the
# effect of any slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
# And recycle a worker whose memory has grown past GUNICORN_MAX_WORKER_MEMORY_MB (checked after
# each request; it finishes what it is doing, then a fresh one takes its place). Python rarely
# hands freed memory back, so one huge request would otherwise keep a worker large for good.
max_worker_memory_mb = int(os.environ.get("GUNICORN_MAX_WORKER_MEMORY_MB", "512"))


def _resident_mb() -> float:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except (OSError, ValueError, IndexError):
        return 0.0  # not Linux: no recycling on memory


def post_request(worker, req, environ, resp) -> None:
    resident = _resident_mb()
    if max_worker_memory_mb and resident > max_worker_memory_mb and worker.alive:
        worker.log.warning(
            "worker %s uses %.0f MB (limit %s MB): recycling it",
            worker.pid,
            resident,
            max_worker_memory_mb,
        )
        worker.alive = False


# Load the application once in the master so workers start fast and share memory.
preload_app = True


def pre_fork(server, worker) -> None:
    """Freeze what the master has loaded (Django, the URLs, the templates) before each fork, as
    the gc module's documentation advises: a worker's full collections then skip those objects
    instead of walking over a hundred thousand of them now and then, and leave their memory
    pages shared with the master."""
    gc.freeze()


# Worker heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The proxy in front terminates TLS and sets X-Forwarded-*; trust it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to stderr/stdout for the process manager. Django already writes one JSON line per
# request (edge/observability.py), so gunicorn's own access log is off unless asked for; when on
# (GUNICORN_ACCESS_LOG=-), it is JSON too and carries the same request id.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s", "user_agent": "%(a)s"}'
)
