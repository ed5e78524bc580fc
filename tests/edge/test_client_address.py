"""Which address per-address limits see: the peer's, unless we sit behind proxies we configured."""

import pytest
from django.test import RequestFactory

from edge.client import client_ip


def request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert client_ip(request("198.51.100.1", "203.0.113.5")) == "198.51.100.1"
    # Even from loopback: a client that reaches gunicorn directly cannot pick its address.
    assert client_ip(request("127.0.0.1", "203.0.113.5")) == "127.0.0.1"


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings):
    settings.BEHIND_PROXY, settings.PROXY_COUNT, settings.TRUSTED_PROXIES = True, 1, []
    # nginx appends $remote_addr; whatever the client sent stays on the left and is ignored.
    assert client_ip(request("127.0.0.1", "10.9.9.9, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    # Without the header every reader would share the proxy's bucket; the proxy's own is used.
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"


def test_behind_two_proxies_the_outer_ones_view_counts(settings):
    settings.BEHIND_PROXY, settings.PROXY_COUNT, settings.TRUSTED_PROXIES = True, 2, []
    # client → load balancer (appends client) → nginx (appends load balancer) → gunicorn
    chain = "6.6.6.6, 203.0.113.5, 10.0.0.2"
    assert client_ip(request("127.0.0.1", chain)) == "203.0.113.5"


def test_with_trusted_proxy_addresses_the_first_untrusted_hop_is_the_client(settings):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"]
    assert client_ip(request("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"
    assert client_ip(request("2001:db8::1", "2001:db8::2, 198.51.100.4")) == "198.51.100.4"
    # A peer that is not one of our proxies is the client, whatever it claims.
    assert client_ip(request("198.51.100.9", "203.0.113.5")) == "198.51.100.9"
    # Our proxy wrote something that is not an address: no address, not a guess.
    assert client_ip(request("127.0.0.1", "<script>")) is None


@pytest.mark.parametrize("entry", ["[2001:db8::7]:443", "203.0.113.5:51234", " 203.0.113.5 "])
def test_addresses_with_ports_and_spaces_are_read(settings, entry):
    settings.BEHIND_PROXY, settings.PROXY_COUNT, settings.TRUSTED_PROXIES = True, 1, []
    assert client_ip(request("127.0.0.1", entry)) in {"2001:db8::7", "203.0.113.5"}


@pytest.mark.django_db
def test_a_forged_header_does_not_dodge_the_signup_limit(client, settings):
    """The per-address signup limit, reached straight (no proxy configured) with a new
    X-Forwarded-For on every request: the limit still holds."""
    settings.BEHIND_PROXY = False
    settings.NEWSLETTER_RATE_LIMITS = {**settings.NEWSLETTER_RATE_LIMITS, "ip_burst": (2, 60)}
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0
    statuses = [
        client.post(
            "/newsletter/subscribe/",
            {"email": f"r{n}@example.com", "website": ""},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(4)
    ]
    assert statuses[2:] == [429, 429]
