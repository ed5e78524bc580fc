"""Mail goes out in the publication's name ("The Long View <news@…>", "the newsletter from The
Long View"), and its links point where the site is served (SITE_URL, built from PORT locally)."""

import pytest

from articles.models import Publication
from newsletter import sending, services, tasks
from newsletter.models import Issue, IssueArticle, Subscriber
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def the_long_view(settings):
    settings.DEFAULT_FROM_EMAIL = "news@example.org"
    Publication.objects.update_or_create(pk=1, defaults={"title": "The Long View"})


def sent_issue() -> Issue:
    issue = Issue.objects.create(subject="This week", intro="Hello.")
    IssueArticle.objects.create(issue=issue, article=ArticleFactory())
    tasks.start_send(issue=issue)
    return issue


def test_confirmation_mail_comes_from_the_publication_and_reads_well(smtp_server, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    subscriber = Subscriber.objects.create(email="reader@example.com")
    services.send_notice(subscriber=subscriber, kind="confirm")
    [(_, message)] = smtp_server.messages
    assert message["From"] == "The Long View <news@example.org>"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "the newsletter from The Long View" in body
        assert "the The" not in body
    assert "http://127.0.0.1:8123/newsletter/confirm/" in text
    assert "http://127.0.0.1:8123/\r\n" in text  # the signature's link home


def test_issue_copies_come_from_the_publication_with_links_on_the_served_port(
    smtp_server, settings
):
    settings.SITE_URL = "http://127.0.0.1:8123"
    Subscriber.objects.create(email="plain@example.com", status=Subscriber.Status.CONFIRMED)
    # An internationalised address takes Django's own path, not the pre-built message.
    Subscriber.objects.create(email="reader@bücher.example", status=Subscriber.Status.CONFIRMED)
    issue = sent_issue()
    assert sending.run_send(issue.pk).sent == 2
    assert len(smtp_server.messages) == 2
    for _, message in smtp_server.messages:
        assert message["From"] == "The Long View <news@example.org>"
        assert message["List-Unsubscribe"].startswith(
            "<http://127.0.0.1:8123/newsletter/unsubscribe/"
        )
        assert (
            "http://127.0.0.1:8123/newsletter/unsubscribe/"
            in message.get_body(("plain",)).get_content()
        )


def test_a_title_with_a_comma_or_accents_is_quoted_and_encoded(smtp_server):
    Publication.objects.update_or_create(pk=1, defaults={"title": "Café, Politics & Faith"})
    Subscriber.objects.create(email="plain@example.com", status=Subscriber.Status.CONFIRMED)
    issue = sent_issue()
    sending.run_send(issue.pk)
    services.send_test_issue(issue=issue, email="editor@example.org")
    assert len(smtp_server.messages) == 2
    for _, message in smtp_server.messages:
        sender = message["From"].addresses[0]
        assert (sender.display_name, sender.addr_spec) == (
            "Café, Politics & Faith",
            "news@example.org",
        )
