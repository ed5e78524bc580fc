"""Real services for tests: an SMTP server (aiosmtpd) to send mail through, and the task queue's
own worker code run in this process."""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SinkHandler:
    """Keeps every accepted message; can refuse chosen recipients or hang up at a chosen message."""

    messages: list = field(default_factory=list)
    refuse: dict = field(default_factory=dict)  # address -> "550 ..." reply
    close_at_data: set = field(default_factory=set)  # 1-based numbers of DATA commands answered 421
    data_commands: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_commands += 1
            if self.data_commands in self.close_at_data:
                return "421 Service shutting down"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [message for rcpts, message in self.messages if address in rcpts]

    @property
    def recipients(self) -> list[str]:
        return [rcpt for rcpts, _ in self.messages for rcpt in rcpts]


@pytest.fixture
def smtp_server(settings):
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.SITE_URL = "https://news.example.org"
    handler.port = port
    yield handler
    controller.stop()


def run_queued_tasks(max_tasks: int = 100) -> int:
    """Run ready tasks through django-tasks-db's own worker code, one by one, in this process.

    (`call_command("db_worker")` closes the database connection when done, which would end the
    test's transaction on PostgreSQL, so the worker's `run_task` is driven here one task at a time.)
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    for _ in range(max_tasks):
        result = DBTaskResult.objects.ready().first()
        if result is None:
            break
        result.claim("test-worker")
        worker.run_task(result)
        result.refresh_from_db()
        assert result.status == "SUCCESSFUL", result.traceback
        ran += 1
    return ran
