"""The one CSV export helper both admins use (subscribers, donations)."""

import csv
import datetime
import io
from decimal import Decimal

from articles.csv_export import csv_cell, csv_response


def test_formula_like_text_is_defused_and_other_values_are_kept():
    for text in ("=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text) == "'" + text
    assert csv_cell("Maria Lopez") == "Maria Lopez"
    assert csv_cell(Decimal("-25.00")) == "-25.00"  # a refund stays a number
    assert csv_cell(None) == ""
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert csv_cell(when) == "2026-01-02T03:04:05+00:00"


def test_the_response_streams_a_header_and_rows():
    response = csv_response(
        filename="x.csv", header=["name", "amount"], rows=iter([["=1", 5], ["a,b", None]])
    )
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    text = b"".join(response.streaming_content).decode()
    assert list(csv.reader(io.StringIO(text))) == [["name", "amount"], ["'=1", "5"], ["a,b", ""]]
