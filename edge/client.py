"""The reader's address, for per-address limits, taken only from what we can trust.

Without a proxy (BEHIND_PROXY off) it is the peer's address (`REMOTE_ADDR`): `X-Forwarded-For`
is whatever the client typed. Behind proxies (BEHIND_PROXY=1) each proxy appends the address it
was reached from to `X-Forwarded-For`, so the chain read from the right is trustworthy only as far
as our own proxies go:

- `TRUSTED_PROXIES` (addresses or networks): walk from the peer leftwards past every trusted
  proxy; the first address that is not one is the client. A peer that is not a trusted proxy is
  itself the client, whatever it sends.
- otherwise `PROXY_COUNT` (default 1): the client is the address the outermost of that many
  proxies saw. Only sound when the app server cannot be reached except through them.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.9:51234
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as text, or None when even the peer's address is not an address."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not settings.BEHIND_PROXY:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [_address(part) for part in forwarded.split(",")] if forwarded.strip() else []
    chain.append(peer)
    if settings.TRUSTED_PROXIES:
        networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
        if not _is_trusted(peer, networks):
            return peer
        for address in reversed(chain[:-1]):
            if address is None or not _is_trusted(address, networks):
                return address  # None: what our proxy wrote is not an address
        return chain[0]  # every hop is one of ours: the request started inside
    # PROXY_COUNT proxies: the outermost appended the client's address at chain[-(count + 1)].
    position = max(len(chain) - 1 - settings.PROXY_COUNT, 0)  # fewer hops: the farthest we have
    return chain[position]
