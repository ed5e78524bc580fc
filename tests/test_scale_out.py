"""Several machines: two app servers share PostgreSQL and Redis (a publish through one drops the
cached page on the other), and two task workers share the queue without running anything twice.

These start real processes (gunicorn, `manage.py db_worker`) against the test database, so they
need PostgreSQL (and Redis for the page cache): they skip on the SQLite run."""

import asyncio
import http.cookiejar
import re
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from tests.app_servers import (
    PYTHON,
    ROOT,
    app_server,
    free_port,
    production_env,
    uses_collected_static,
)
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
# Behind a load balancer every server sees the site's one host name (the key includes it).
SAME_SITE = {"Host": "localhost"}


@pytest.fixture
def shared_services(using_postgres, tmp_path) -> dict[str, str]:
    """The environment every process shares: the test database and, if given, Redis."""
    if not using_postgres:
        pytest.skip("needs PostgreSQL shared by several processes")
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {"DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "media")}
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    return env


# --- Two app servers ------------------------------------------------------------------------------


class AdminSession:
    """A browser-like session on one server's admin (cookies, CSRF token)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf_from(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            html = response.read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, path: str, data: dict) -> str:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        with self.opener.open(self.base_url + path, data=body, timeout=30) as response:
            return response.read().decode()

    def log_in(self, username: str) -> None:
        token = self.csrf_from("/admin/login/")
        html = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert "Log out" in html or "logout" in html, "admin login failed"

    def article_action(self, action: str, article: Article) -> None:
        changelist = "/admin/articles/article/"
        token = self.csrf_from(changelist)
        self.post(
            changelist,
            {
                "action": action,
                "_selected_action": [str(article.pk)],
                "index": "0",
                "csrfmiddlewaretoken": token,
            },
        )


@uses_collected_static
def test_a_publish_through_one_server_drops_the_cached_page_on_the_other(
    shared_services, static_root
):
    if "REDIS_URL" not in shared_services:
        pytest.skip("the shared page cache needs REDIS_URL")
    ArticleFactory(title="Yesterday's story")
    scoop = ArticleFactory(draft=True, title="Fresh scoop")
    editor = UserFactory(username="chief", is_staff=True, is_superuser=True)
    env = production_env(
        **shared_services, STATIC_ROOT=str(static_root), PAGE_CACHE="1", PAGE_CACHE_SECONDS="600"
    )
    with app_server(env) as server_a, app_server(env) as server_b:
        # Readers on B: the second visit is served from the shared cache.
        assert server_b.get("/", SAME_SITE)[1].get("x-cache") == "miss"
        status, headers, body = server_b.get("/", SAME_SITE)
        assert status == 200 and headers.get("x-cache") == "hit"
        assert b"Fresh scoop" not in body
        assert (
            server_a.get("/", SAME_SITE)[1].get("x-cache") == "hit"
        )  # A sees B's copy: one shared cache

        # The editor publishes on A.
        admin = AdminSession(server_a.url)
        admin.log_in(editor.username)
        admin.article_action("publish_selected", scoop)
        scoop.refresh_from_db()
        assert scoop.status == Article.Status.PUBLISHED

        # B trusts the generation it read for PAGE_CACHE_LOCAL_SECONDS (1 s): poll a little.
        body = wait_for(lambda: server_b.get("/", SAME_SITE)[2], b"Fresh scoop")
        assert b"Fresh scoop" in body
        article_url = scoop.get_absolute_url()
        assert server_b.get(article_url, SAME_SITE)[0] == 200
        assert server_b.get(article_url, SAME_SITE)[1].get("x-cache") == "hit"

        # And unpublishing on A takes it off B at once.
        admin.article_action("unpublish_selected", scoop)
        assert wait_for(lambda: server_b.get(article_url, SAME_SITE)[0], 404) == 404
        assert b"Fresh scoop" not in server_b.get("/", SAME_SITE)[2]


def wait_for(probe, expected, seconds: float = 5.0):
    """Call `probe` until its result is (or contains) `expected`, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = probe()
        matched = expected in result if isinstance(result, bytes) else result == expected
        if matched or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


# --- Two task workers -----------------------------------------------------------------------------


def run_workers(env: dict[str, str], count: int = 2, timeout: int = 120) -> list[str]:
    """Start `count` db_worker processes at once; they exit when the queue is empty."""
    worker_env = production_env(**env)
    processes = [
        subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--batch",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--worker-id",
                f"machine-{n}",
            ],
            cwd=ROOT,
            env=worker_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(count)
    ]
    outputs = []
    for process in processes:
        try:
            outputs.append(process.communicate(timeout=timeout)[0])
        except subprocess.TimeoutExpired:
            process.kill()
            outputs.append(process.communicate()[0])
        assert process.returncode == 0, outputs[-1][-3000:]
    return outputs


def test_two_workers_never_run_the_same_task_twice(shared_services, tmp_path):
    from tests.scale_out_tasks import record_run

    log = tmp_path / "runs.log"
    for number in range(60):
        record_run.enqueue(path=str(log), number=number)
    run_workers(shared_services)
    lines = log.read_text().split()
    numbers = sorted(int(line.split(":")[0]) for line in lines)
    assert numbers == list(range(60)), "every task ran exactly once"
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results)
    assert {r.worker_ids[0] for r in results} == {"machine-0", "machine-1"}, "both took part"


class SlowSink:
    """An SMTP server that takes a few milliseconds per message, as a real one does."""

    def __init__(self):
        self.recipients: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.01)
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted"


def test_two_workers_share_a_newsletter_send_without_duplicates(shared_services):
    from newsletter import tasks
    from newsletter.models import Delivery, Issue, Subscriber

    readers = [f"reader{n}@example.com" for n in range(500)]
    Subscriber.objects.bulk_create(
        Subscriber(email=address, status=Subscriber.Status.CONFIRMED) for address in readers
    )
    ArticleFactory(title="In this issue")
    issue = Issue.objects.create(subject="Weekly edition", intro="Hello readers.")
    sink = SlowSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert tasks.start_send(issue=issue, tasks=4)
        started = time.monotonic()
        run_workers(
            {
                **shared_services,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(port),
                "SITE_URL": "https://news.example.org",
            }
        )
        elapsed = time.monotonic() - started
    finally:
        controller.stop()
    assert sorted(sink.recipients) == sorted(readers), "each reader got exactly one copy"
    deliveries = Delivery.objects.filter(issue=issue)
    assert deliveries.count() == 500
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    sent_by: dict[str, int] = {}
    for result in DBTaskResult.objects.filter(task_path__endswith="send_issue"):
        assert result.status == "SUCCESSFUL", result.traceback
        worker = result.worker_ids[0]
        sent_by[worker] = sent_by.get(worker, 0) + result.return_value["sent"]
    assert sum(sent_by.values()) == 500
    assert len([n for n in sent_by.values() if n]) == 2, (
        f"both workers sent part of it ({sent_by}, {elapsed:.1f} s)"
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
