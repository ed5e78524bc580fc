"""Issue mail assembled from parts made once per issue, so a send of 100,000 copies does not
rebuild the same MIME structure 100,000 times.

Per recipient only four headers and the two personalised bodies change. The bodies go out in
base64, so the personal links can be put in before encoding without any line-length care. Any
address that is not plain ASCII takes Django's ordinary path instead (it knows IDNA and SMTPUTF8).
"""

import base64
import email.message
import email.policy
import email.utils
import uuid

from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME


class PreparedMessage:
    """What a Django mail backend needs from `EmailMessage.message()`: the bytes to send."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, *args, **kwargs) -> bytes:
        return self.data

    def as_string(self, *args, **kwargs) -> str:
        return self.data.decode("utf-8", errors="replace")

    def get_charset(self) -> None:
        return None


class PreparedEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose MIME form was assembled ahead (see `IssueMime`). It keeps
    subject, body, recipients and headers, so every backend (SMTP, console, locmem) handles it."""

    def __init__(self, *args, prepared: bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepared = prepared

    def message(self, *, policy=email.policy.default) -> PreparedMessage:
        return PreparedMessage(self._prepared)


def _b64(text: str) -> bytes:
    return base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")


class IssueMime:
    """The fixed part of an issue's messages: headers common to all and the part boundaries."""

    def __init__(self, *, subject: str, from_email: str, static_headers: dict[str, str]):
        self.boundary = f"=_newsletter_{uuid.uuid4().hex}"
        head = email.message.EmailMessage(policy=email.policy.SMTP)
        head["Subject"] = subject
        head["From"] = from_email
        for name, value in static_headers.items():
            head[name] = value
        head["MIME-Version"] = "1.0"
        head["Content-Type"] = f'multipart/alternative; boundary="{self.boundary}"'
        # Headers only (serialising the message would add an empty multipart body).
        self.head = b"".join(head.policy.fold_binary(name, value) for name, value in head.items())
        boundary = self.boundary.encode()
        self.text_open = (
            b"\r\n--" + boundary + b'\r\nContent-Type: text/plain; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n"
        )
        self.html_open = (
            b"--" + boundary + b'\r\nContent-Type: text/html; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n"
        )
        self.close = b"--" + boundary + b"--\r\n"

    def build(self, *, to: str, personal_headers: dict[str, str], text: str, html: str) -> bytes:
        lines = [
            f"To: {to}",
            f"Date: {email.utils.formatdate()}",
            f"Message-ID: {email.utils.make_msgid(domain=DNS_NAME.get_fqdn())}",
            *(f"{name}: {value}" for name, value in personal_headers.items()),
        ]
        dynamic = ("\r\n".join(lines) + "\r\n").encode("ascii")
        return b"".join(
            (self.head, dynamic, self.text_open, _b64(text), self.html_open, _b64(html), self.close)
        )


def can_prepare(address: str, header_values: list[str]) -> bool:
    """Plain ASCII without line breaks: safe to write into a header as is."""
    return all(v.isascii() and "\r" not in v and "\n" not in v for v in (address, *header_values))
