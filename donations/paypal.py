"""Everything that speaks PayPal: the checkout link readers follow, and IPN parsing and verification.

References: PayPal Payments Standard HTML variables (cmd=_donations, cmd=_xclick-subscriptions) and the
IPN protocol (post the message back, prefixed with cmd=_notify-validate, and read VERIFIED or INVALID).
"""

import codecs
import enum
import logging
import re
import urllib.error
import urllib.request
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from donations.models import DonationSettings

logger = logging.getLogger(__name__)

LIVE_CHECKOUT = "https://www.paypal.com"
SANDBOX_CHECKOUT = "https://www.sandbox.paypal.com"
VERIFY_TIMEOUT_SECONDS = 10


class Frequency(enum.StrEnum):
    ONCE = "once"
    MONTHLY = "monthly"


def checkout_params(
    donation_settings: DonationSettings,
    *,
    amount: Decimal | None,
    frequency: Frequency,
    return_url: str,
    cancel_url: str,
    notify_url: str,
) -> dict[str, str]:
    """The variables PayPal's donation (or monthly subscription) checkout reads, in a stable order."""
    s = donation_settings
    amount_text = f"{amount:.2f}" if amount is not None else ""
    item_name = s.item_name()
    if frequency is Frequency.MONTHLY:
        if not s.paypal_business:
            raise ValueError("Monthly giving needs a PayPal business id.")
        params = {
            "cmd": "_xclick-subscriptions",
            "business": s.paypal_business,
            # "Monthly donation to The Long View": only the first letter is lowered, not the name.
            "item_name": f"Monthly {item_name[:1].lower()}{item_name[1:]}",
            "a3": amount_text,  # the amount billed each period
            "p3": "1",
            "t3": "M",  # every 1 month
            "src": "1",  # recurring until cancelled
            "sra": "1",  # retry a failed payment
        }
    elif s.paypal_business:
        params = {
            "cmd": "_donations",
            "business": s.paypal_business,
            "item_name": item_name,
            "amount": amount_text,
        }
    elif s.paypal_hosted_button_id:
        params = {"cmd": "_s-xclick", "hosted_button_id": s.paypal_hosted_button_id}
        if amount_text:
            params["amount"] = amount_text
    else:
        raise ValueError("PayPal is not set up: add a business id or a hosted button id.")
    params.update(
        {
            "currency_code": s.currency,
            "no_shipping": "1",
            "no_note": "1",
            "rm": "1",  # come back with a plain GET
            "return": return_url,
            "cancel_return": cancel_url,
            "notify_url": notify_url,
        }
    )
    return {key: value for key, value in params.items() if value != ""}


def checkout_url(donation_settings: DonationSettings, **kwargs) -> str:
    """Where the reader's browser goes: PayPal's checkout with every variable in the query string."""
    base = SANDBOX_CHECKOUT if donation_settings.paypal_sandbox else LIVE_CHECKOUT
    return f"{base}/cgi-bin/webscr?" + urlencode(checkout_params(donation_settings, **kwargs))


# What PayPal's own fields look like (IPN variables reference): ids are short and alphanumeric.
NOTIFICATION_FIELD_SHAPES = {
    "txn_id": re.compile(r"[A-Za-z0-9-]{1,64}"),
    "parent_txn_id": re.compile(r"[A-Za-z0-9-]{0,64}"),
    "txn_type": re.compile(r"[a-z_]{0,64}"),
    "payment_status": re.compile(r"[A-Za-z_-]{0,64}"),
    "subscr_id": re.compile(r"[A-Za-z0-9-]{0,64}"),
    "verify_sign": re.compile(r"[A-Za-z0-9._-]{1,255}"),
}


class MalformedNotification(ValueError):
    """The body is not a PayPal IPN message (not urlencoded ASCII, or no transaction fields)."""


def notification_charset(name: str) -> str:
    """The codec for an IPN's `charset` field: a text encoding that reads ASCII as ASCII (PayPal's
    are windows-1252, utf-8, iso-8859-*, shift_jis, big5…). Not idna, punycode, rot13 or utf-16,
    which are codecs too; unknown names fall back to utf-8, as before."""
    try:
        codec = codecs.lookup(name or "utf-8")
    except LookupError:
        return "utf-8"
    if not codec._is_text_encoding or codec.name in {"idna", "punycode", "utf-7"}:
        raise MalformedNotification(f"charset {name[:30]!r} is not a text encoding")
    if "txn_id=0&".encode(codec.name) != b"txn_id=0&":
        raise MalformedNotification(f"charset {name[:30]!r} is not ASCII-compatible")
    return codec.name


def parse_notification(body: bytes) -> dict[str, str]:
    """Decode an IPN body. PayPal names its text encoding in the `charset` field (often windows-1252)."""
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise MalformedNotification("the body is not urlencoded ASCII") from None
    if not text.strip():
        raise MalformedNotification("the body is empty")
    try:
        raw = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True, encoding="latin-1"))
    except ValueError:
        raise MalformedNotification("the body is not urlencoded") from None
    charset = notification_charset(raw.get("charset", ""))
    fields = dict(parse_qsl(text, keep_blank_values=True, encoding=charset, errors="replace"))
    if not (fields.get("txn_id") or fields.get("txn_type")):
        raise MalformedNotification("no txn_id or txn_type")
    for name, shape in NOTIFICATION_FIELD_SHAPES.items():
        if name in fields and not shape.fullmatch(fields[name]):
            raise MalformedNotification(f"{name} is not one PayPal would send")
    if not fields.get("verify_sign"):
        raise MalformedNotification("no verify_sign (PayPal signs every notification)")
    return fields


class Verdict(enum.StrEnum):
    VERIFIED = "VERIFIED"
    INVALID = "INVALID"


class VerifierUnavailable(Exception):
    """PayPal's verification server could not be reached or answered something unexpected."""


def verify_notification(body: str, *, verify_url: str) -> Verdict:
    """Post the message back exactly as received; PayPal answers VERIFIED or INVALID."""
    data = ("cmd=_notify-validate&" + body).encode("ascii")
    request = urllib.request.Request(
        verify_url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "newsroom-ipn-verifier/1.0",  # PayPal rejects requests without one
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=VERIFY_TIMEOUT_SECONDS) as response:
            answer = response.read(64).decode("ascii", errors="replace").strip()
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise VerifierUnavailable(f"{verify_url}: {error}") from error
    try:
        return Verdict(answer)
    except ValueError:
        raise VerifierUnavailable(f"{verify_url} answered {answer[:30]!r}") from None
