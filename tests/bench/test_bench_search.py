"""`bench_search` times searches over the site's own words and prints percentiles."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_bench_search_command_reports_percentiles():
    for number in range(3):
        ArticleFactory(title=f"Oil report {number}")
    out = StringIO()
    call_command("bench_search", queries=5, warmup=1, stdout=out)
    report = out.getvalue()
    assert "3 published articles, 5 searches" in report
    assert "p50" in report and "p99" in report
