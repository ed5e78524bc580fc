"""`bench_newsletter` sends one issue through the engine and a plain smtplib loop to a local sink."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from newsletter.models import Issue, Subscriber
from tests.factories import ArticleFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def test_bench_newsletter_sends_every_copy_both_ways_and_removes_its_rows():
    ArticleFactory()
    reader = SubscriberFactory(email="reader@example.org")
    out = StringIO()
    call_command("bench_newsletter", subscribers=12, batch_size=5, stdout=out)
    report = out.getvalue()
    assert re.search(r"Engine \(run_send\): +12 sent", report), report
    assert re.search(r"Plain smtplib loop: +12 sent", report), report
    assert "Engine / plain rate:" in report
    # Only the seeded addresses were mailed, and they are gone again; other readers stay.
    assert list(Subscriber.objects.all()) == [reader]
    assert not Issue.objects.exists()
