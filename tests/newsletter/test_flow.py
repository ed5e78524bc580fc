"""The reader's whole path, with mail through a real SMTP server: signup → confirmation mail →
confirm → issue → one-click unsubscribe."""

import re

import pytest
from django.urls import reverse

from newsletter import tasks
from newsletter.models import Delivery, Issue, IssueArticle, Subscriber
from tests.factories import ArticleFactory, IssueFactory
from tests.newsletter.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def test_signup_confirm_issue_unsubscribe_end_to_end(client, smtp_server, signup_data):
    article = ArticleFactory(title="Water wars in the Jordan valley", dek="Who owns the river.")

    response = client.post(
        reverse("newsletter:subscribe"),
        signup_data("  Reader@Example.COM ", name="Rea Der", source="sidebar"),
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source == Subscriber.Source.SIDEBAR
    assert subscriber.signup_ip == "203.0.113.9"
    assert smtp_server.messages == []  # nothing is mailed inside the request

    assert run_queued_tasks() == 1
    [confirmation] = smtp_server.to("reader@example.com")
    assert "confirm" in confirmation["Subject"].lower()
    text = confirmation.get_body(("plain",)).get_content()
    html = confirmation.get_body(("html",)).get_content()
    [confirm_url] = [u for u in links_in(text) if "/newsletter/confirm/" in u]
    assert confirm_url in html
    assert confirm_url.startswith("https://news.example.org/newsletter/confirm/")
    confirm_path = confirm_url.removeprefix("https://news.example.org")

    # A mail scanner opening the link confirms nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b"Yes, subscribe me" in page.content
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    done = client.post(confirm_path, REMOTE_ADDR="198.51.100.7")
    assert done.status_code == 200
    assert b"subscribed" in done.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_ip == "198.51.100.7"
    assert subscriber.confirmed_at is not None

    issue = IssueFactory(subject="This week: water", intro="Dear readers,\n\nA short note.")
    IssueArticle.objects.create(issue=issue, article=article)
    assert tasks.start_send(issue=issue)
    assert smtp_server.to("reader@example.com") == [confirmation]  # still only queued
    run_queued_tasks()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.progress()["sent"] == 1

    [_, newsletter] = smtp_server.to("reader@example.com")
    assert newsletter["Subject"] == "This week: water"
    unsubscribe_url = newsletter["List-Unsubscribe"].strip("<>")
    assert (
        unsubscribe_url
        == f"https://news.example.org/newsletter/unsubscribe/{subscriber.token.hex}/"
    )
    assert newsletter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert newsletter.get_content_type() == "multipart/alternative"
    body_text = newsletter.get_body(("plain",)).get_content()
    body_html = newsletter.get_body(("html",)).get_content()
    article_url = f"https://news.example.org{article.get_absolute_url()}"
    assert article_url in body_text and article_url in body_html
    assert unsubscribe_url in body_text and unsubscribe_url in body_html
    preferences_url = f"https://news.example.org/newsletter/preferences/{subscriber.token.hex}/"
    assert preferences_url in body_text
    assert "Dear readers," in body_text
    for url in links_in(body_html):
        assert url.startswith("https://news.example.org/")  # every link is absolute

    # The mail client's one-click unsubscribe: a POST without cookies or CSRF token.
    one_click = client.__class__(enforce_csrf_checks=True)
    response = one_click.post(
        unsubscribe_url.removeprefix("https://news.example.org"),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    # Unsubscribed is final: the next issue does not go to them.
    second = IssueFactory(subject="Next week")
    tasks.start_send(issue=second)
    run_queued_tasks()
    assert len(smtp_server.to("reader@example.com")) == 2
    assert not Delivery.objects.filter(issue=second).exists()

    archive = client.get(reverse("newsletter:archive"))
    assert b"This week: water" in archive.content
    detail = client.get(issue.get_absolute_url())
    assert b"Water wars in the Jordan valley" in detail.content
    assert subscriber.token.hex.encode() not in detail.content  # the web copy is not personal
