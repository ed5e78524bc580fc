"""Subscriber lists in and out as CSV: export of any admin selection, import with a dry run first.

The preview reports invalid rows and duplicates (skipped: repeated in the file, or already on the
list). Invalid rows block the import unless the editor chose to skip them (then they are reported
with their line numbers and left out); the import itself is one transaction."""

import csv
import dataclasses
import io
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from newsletter.forms import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH
from newsletter.models import Subscriber, normalize_email

EXPORT_FIELDS = [
    ("email", "email"),
    ("name", "name"),
    ("status", "status"),
    ("frequency", "frequency"),
    ("source", "source"),
    ("signed_up", "created_at"),
    ("consent_given", "confirmed_at"),
    ("consent_ip", "confirmed_ip"),
    ("unsubscribed", "unsubscribed_at"),
]
LOOKUP_CHUNK = 1000
MAX_IMPORT_ROWS = 500_000


def export_rows(queryset) -> Iterator[tuple]:
    """The export's rows for `queryset` (EXPORT_FIELDS), read in chunks so memory stays flat."""
    fields = [field for _, field in EXPORT_FIELDS]
    return queryset.order_by("pk").values_list(*fields).iterator(chunk_size=2000)


def export_header() -> list[str]:
    return [header for header, _ in EXPORT_FIELDS]


@dataclasses.dataclass
class ImportRow:
    line: int
    email: str
    name: str
    frequency: str


@dataclasses.dataclass
class ImportPreview:
    valid: list[ImportRow] = dataclasses.field(default_factory=list)
    invalid: list[tuple[int, str, str]] = dataclasses.field(
        default_factory=list
    )  # line, value, why
    duplicate_in_file: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    already_subscribed: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    error: str = ""
    skip_invalid: bool = False

    @property
    def can_import(self) -> bool:
        return not self.error and (self.skip_invalid or not self.invalid) and bool(self.valid)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def preview_import(data: bytes, *, skip_invalid: bool = False) -> ImportPreview:
    """Check every row without writing anything."""
    preview = ImportPreview(skip_invalid=skip_invalid)
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        first = next(reader)
    except StopIteration:
        preview.error = "The file is empty."
        return preview
    except csv.Error as error:
        preview.error = f"This is not a readable CSV file ({error})."
        return preview
    header = [cell.strip().lower() for cell in first]
    if "email" in header:
        columns = {
            name: header.index(name) for name in ("email", "name", "frequency") if name in header
        }
        rows: Iterable = enumerate(reader, start=2)
    else:
        columns = {"email": 0, "name": 1, "frequency": 2}
        rows = enumerate([first, *reader], start=1)

    seen: dict[str, int] = {}
    try:
        for line, cells in rows:
            if line > MAX_IMPORT_ROWS + 1:
                preview.error = f"The file has more than {MAX_IMPORT_ROWS:,} rows; split it."
                return preview
            if not any(cell.strip() for cell in cells):
                continue

            def cell(name: str, cells=cells) -> str:
                index = columns.get(name)
                return cells[index].strip() if index is not None and index < len(cells) else ""

            raw_email, name, frequency = cell("email"), cell("name"), cell("frequency").lower()
            email = normalize_email(raw_email)
            problem = _row_problem(email, name, frequency)
            if problem:
                preview.invalid.append((line, raw_email[:100], problem))
            elif email in seen:
                preview.duplicate_in_file.append((line, email))
            else:
                seen[email] = line
                preview.valid.append(
                    ImportRow(line, email, name, frequency or Subscriber.Frequency.DAILY)
                )
    except csv.Error as error:
        preview.error = f"The file could not be read past line {reader.line_num}: {error}"
        return preview

    emails = [row.email for row in preview.valid]
    existing: set[str] = set()
    for start in range(0, len(emails), LOOKUP_CHUNK):
        existing.update(
            Subscriber.objects.filter(email__in=emails[start : start + LOOKUP_CHUNK]).values_list(
                "email", flat=True
            )
        )
    if existing:
        preview.already_subscribed = [
            (r.line, r.email) for r in preview.valid if r.email in existing
        ]
        preview.valid = [r for r in preview.valid if r.email not in existing]
    return preview


def _row_problem(email: str, name: str, frequency: str) -> str:
    if not email:
        return "No email address."
    if len(email) > MAX_EMAIL_LENGTH:
        return "The email address is too long."
    try:
        validate_email(email)
    except ValidationError:
        return "Not a valid email address."
    if len(name) > MAX_NAME_LENGTH:
        return f"The name is longer than {MAX_NAME_LENGTH} characters."
    if frequency and frequency not in Subscriber.Frequency.values:
        return "Frequency must be “daily” or “weekly”."
    return ""


def import_subscribers(data: bytes, *, status: str, skip_invalid: bool = False) -> ImportPreview:
    """Import every valid row (or nothing, if a row is invalid and `skip_invalid` is off): checked
    again here, written in one transaction."""
    preview = preview_import(data, skip_invalid=skip_invalid)
    if not preview.can_import:
        return preview
    now = timezone.now()
    confirmed = status == Subscriber.Status.CONFIRMED
    with transaction.atomic():
        Subscriber.objects.bulk_create(
            [
                Subscriber(
                    email=row.email,
                    name=row.name,
                    frequency=row.frequency,
                    status=status,
                    source=Subscriber.Source.IMPORT,
                    created_at=now,
                    confirmed_at=now if confirmed else None,
                )
                for row in preview.valid
            ],
            batch_size=2000,
        )
    return preview
