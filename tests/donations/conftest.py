"""Real parts for the donations tests: a local PayPal verification server, an SMTP server, the task worker."""

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from donations.models import DonationSettings
from tests.real_services import run_queued_tasks, smtp_server

__all__ = ["run_queued_tasks", "smtp_server"]

PAYPAL_BUSINESS = "donations@example.org"


@dataclass
class Verifier:
    """PayPal's IPN verification endpoint, played by a local HTTP server."""

    url: str
    answer: str = "VERIFIED"
    received: list[str] = field(default_factory=list)


@pytest.fixture
def verifier(settings):
    state = Verifier(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            state.received.append(self.rfile.read(length).decode("ascii"))
            payload = state.answer.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webscr"
    settings.PAYPAL_IPN_VERIFY_URL = state.url
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def verifier_down(settings) -> str:
    """A verification URL on a port nobody listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PAYPAL_IPN_VERIFY_URL = f"http://127.0.0.1:{port}/cgi-bin/webscr"
    return settings.PAYPAL_IPN_VERIFY_URL


@pytest.fixture
def donation_settings(db) -> DonationSettings:
    settings_row, _ = DonationSettings.objects.update_or_create(
        pk=1,
        defaults={
            "paypal_business": PAYPAL_BUSINESS,
            "currency": "USD",
            "suggested_amounts": "10, 25, 50, 100",
            "default_amount": 25,
            "paypal_item_name": "Donation",
            "check_payee": "The Newsroom Editor",
            "check_address": "P.O. Box 1207\nSpringfield, ST 00000",
        },
    )
    return settings_row


def ipn_body(**overrides: str) -> str:
    fields = {
        "txn_type": "web_accept",
        "payment_status": "Completed",
        "txn_id": "9AB12345CD678901E",
        "receiver_email": PAYPAL_BUSINESS,
        "business": PAYPAL_BUSINESS,
        "mc_gross": "25.00",
        "mc_currency": "USD",
        "payer_email": "reader@example.net",
        "first_name": "Ann",
        "last_name": "Reader",
        "payment_date": "20:12:59 Jan 13, 2026 PST",
        "charset": "UTF-8",
        "verify_sign": "AtkOfCXbDm2hu0ZELryHFjY-Vb7PAUvS6nMXgysbElEn9v-1XcmSoGtf",
    }
    fields.update(overrides)
    return urlencode({k: v for k, v in fields.items() if v is not None})


@pytest.fixture
def smtp_sink(smtp_server):
    """A real SMTP server (aiosmtpd) the thank-you mail goes through."""
    return smtp_server
