"""Admin lists as CSV downloads, for every app that exports one (subscribers, donations).

Rows stream out as they are read, so memory stays flat for any size. Text a spreadsheet would run
as a formula (a cell starting with = + - @, a tab or a carriage return) gets a leading apostrophe:
an export holds what readers typed into public forms, and opening it must not run their input."""

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """`value` as safe CSV text: None is empty, dates are ISO 8601, formula-like text is defused.
    Numbers are left as they are (a refund's amount is -25.00)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file whose write() hands the line back, so csv.writer produces lines to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The header line, then one line per row, every cell through `csv_cell`."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(
    *, filename: str, header: Iterable[str], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    """A streamed CSV download named `filename`."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
