"""Benchmark the send engine against a plain smtplib loop (a benchmark, not a test).

    python manage.py bench_newsletter --subscribers 100000

Seeds subscribers, sends one issue through the real engine (`sending.run_send`, the code the
worker runs: claims, batches, one Delivery row per copy) to a local aiosmtpd sink running in its
own process, then sends the same messages with a bare smtplib loop to the same sink, and prints
messages per second and peak memory for both. The seeded rows are removed afterwards.
"""

import contextlib
import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from articles.models import Article
from newsletter import sending, services
from newsletter.models import Issue, IssueArticle, Subscriber

SEED_CHUNK = 5000
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except OSError:  # not Linux: no sampling
        return 0


class PeakRss:
    """Samples the resident set size every 20 ms while the block runs."""

    def __enter__(self) -> "PeakRss":
        self.start = self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 1e6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_sink():
    """aiosmtpd's discarding Sink handler in its own process, so it does not share our GIL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise CommandError("The aiosmtpd sink did not start.") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class Command(BaseCommand):
    help = (
        "Seed subscribers, send one issue to a local SMTP sink, compare with a plain smtplib loop."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--subscribers", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--keep", action="store_true", help="Keep the seeded rows.")

    def handle(self, *, subscribers: int, batch_size: int | None, keep: bool, **options) -> None:
        if subscribers < 1:
            raise CommandError("--subscribers must be at least 1.")
        tag = uuid.uuid4().hex[:8]
        domain = f"bench-{tag}.invalid"
        self.stdout.write(f"Seeding {subscribers:,} confirmed subscribers (@{domain})…")
        started = time.perf_counter()
        self._seed(subscribers, domain)
        self.stdout.write(f"  seeded in {time.perf_counter() - started:.1f} s")

        issue = Issue.objects.create(
            subject=f"Benchmark issue {tag}", intro="Benchmark.", show_in_archive=False
        )
        for position, pk in enumerate(
            Article.objects.published().newest_first().values_list("pk", flat=True)[:5]
        ):
            IssueArticle.objects.create(issue=issue, article_id=pk, position=position)
        # Send only to the seeded addresses: park everybody else's status for the run.
        bench_only = Subscriber.objects.filter(email__endswith=f"@{domain}")
        try:
            with smtp_sink() as port:
                mailers = {
                    "default": {
                        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
                    }
                }
                overrides = {"MAILERS": mailers}
                if batch_size:
                    overrides["NEWSLETTER_BATCH_SIZE"] = batch_size
                with override_settings(**overrides):
                    engine = self._run_engine(issue, domain)
                    self.stdout.write(
                        f"  {engine['sent']:,} in {engine['seconds']:.1f} s = {engine['rate']:,.0f} msg/s"
                    )
                    plain = self._run_plain_loop(issue, bench_only, port)
        finally:
            if not keep:
                self.stdout.write("Removing the seeded rows…")
                issue.delete()
                for _ in range(1000):
                    chunk = list(bench_only.values_list("pk", flat=True)[:SEED_CHUNK])
                    if not chunk:
                        break
                    Subscriber.objects.filter(pk__in=chunk).delete()

        ratio = engine["rate"] / plain["rate"] if plain["rate"] else 0
        self.stdout.write("")
        self.stdout.write(f"Subscribers:           {subscribers:,}")
        self.stdout.write(
            f"Engine (run_send):     {engine['sent']:,} sent in {engine['seconds']:.1f} s = "
            f"{engine['rate']:,.0f} msg/s; peak RSS {engine['peak_mb']:.0f} MB "
            f"(+{engine['growth_mb']:.1f} MB during the send)"
        )
        self.stdout.write(
            f"Plain smtplib loop:    {plain['sent']:,} sent in {plain['seconds']:.1f} s = "
            f"{plain['rate']:,.0f} msg/s; peak RSS {plain['peak_mb']:.0f} MB "
            f"(+{plain['growth_mb']:.1f} MB during the loop)"
        )
        self.stdout.write(f"Engine / plain rate:   {ratio:.2f}")

    def _seed(self, count: int, domain: str) -> None:
        for start in range(0, count, SEED_CHUNK):
            with transaction.atomic():
                Subscriber.objects.bulk_create(
                    Subscriber(
                        email=f"reader{i}@{domain}",
                        status=Subscriber.Status.CONFIRMED,
                        source=Subscriber.Source.IMPORT,
                    )
                    for i in range(start, min(start + SEED_CHUNK, count))
                )

    def _run_engine(self, issue: Issue, domain: str) -> dict:
        # The audience is every confirmed subscriber; others on this database would be mailed
        # to the sink too, so restrict the issue's list to the seeded domain by preparing it here.
        from newsletter.models import Delivery

        pks = Subscriber.objects.filter(email__endswith=f"@{domain}").order_by("pk")
        last = 0
        while chunk := list(pks.filter(pk__gt=last).values_list("pk", flat=True)[:SEED_CHUNK]):
            Delivery.objects.bulk_create(
                [Delivery(issue=issue, subscriber_id=pk) for pk in chunk], ignore_conflicts=True
            )
            last = chunk[-1]
        Issue.objects.filter(pk=issue.pk).update(
            status=Issue.Status.SENDING, recipients_prepared=True
        )
        self.stdout.write("Sending through the engine…")
        with PeakRss() as memory:
            started = time.perf_counter()
            outcome = sending.run_send(issue.pk)
            seconds = time.perf_counter() - started
        return {
            "sent": outcome.sent,
            "seconds": seconds,
            "rate": outcome.sent / seconds if seconds else 0,
            "peak_mb": memory.peak / 1e6,
            "growth_mb": memory.growth_mb,
        }

    def _run_plain_loop(self, issue: Issue, recipients, port: int) -> dict:
        """The floor: one connection, one sendmail per address, no database writes at all."""
        rendered = services.render_issue(issue)
        self.stdout.write("Sending with a plain smtplib loop…")
        sent = 0
        with PeakRss() as memory:
            started = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", port) as connection:
                for address, token in recipients.values_list("email", "token").iterator(
                    chunk_size=2000
                ):
                    # The same bytes the engine sends, built the same way: the difference
                    # between the two runs is the engine's bookkeeping (claims, marks, checks).
                    personal = {"List-Unsubscribe": f"<{services.unsubscribe_url(token.hex)}>"}
                    data = rendered.mime.build(
                        to=address,
                        personal_headers=personal,
                        text=rendered.personalize(rendered.text, token_hex=token.hex),
                        html=rendered.personalize(rendered.html, token_hex=token.hex),
                    )
                    connection.sendmail("newsroom@localhost", [address], data)
                    sent += 1
            seconds = time.perf_counter() - started
        self.stdout.write(f"  {sent:,} in {seconds:.1f} s = {sent / seconds:,.0f} msg/s")
        return {
            "sent": sent,
            "seconds": seconds,
            "rate": sent / seconds if seconds else 0,
            "peak_mb": memory.peak / 1e6,
            "growth_mb": memory.growth_mb,
        }
