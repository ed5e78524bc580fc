"""Confirm, unsubscribe, preferences and archive pages."""

import pytest
from django.urls import reverse

from newsletter import services
from newsletter.models import Issue, IssueArticle, Subscriber
from tests.factories import ArticleFactory, IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending() -> Subscriber:
    return SubscriberFactory(email="p@example.com", source=Subscriber.Source.PAGE, pending=True)


def confirm_path(subscriber: Subscriber) -> str:
    return reverse("newsletter:confirm", kwargs={"token": services.make_confirm_token(subscriber)})


def test_tampered_confirmation_link_explains_and_offers_the_form(client, pending):
    tampered = confirm_path(pending).rstrip("/")[:-3] + "abc/"
    response = client.post(tampered)
    assert response.status_code == 400
    assert b"This link is not valid" in response.content
    assert b'name="email"' in response.content
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def test_expired_confirmation_link_says_so(client, settings, pending):
    path = confirm_path(pending)
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    response = client.post(path)
    assert response.status_code == 400
    assert b"This link has expired" in response.content
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


def test_an_old_confirmation_link_cannot_undo_an_unsubscribe(client, pending):
    path = confirm_path(pending)
    pending.unsubscribe()
    assert client.post(path).status_code == 400
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.UNSUBSCRIBED


def test_confirming_twice_keeps_the_first_consent(client, pending):
    path = confirm_path(pending)
    client.post(path, REMOTE_ADDR="192.0.2.1")
    client.post(path, REMOTE_ADDR="192.0.2.99")
    pending.refresh_from_db()
    assert pending.confirmed_ip == "192.0.2.1"


def test_unsubscribe_get_asks_and_post_unsubscribes(client):
    subscriber = SubscriberFactory(email="u@example.com")
    path = subscriber.get_unsubscribe_path()
    page = client.get(path)
    assert b"Stop sending the newsletter to u@example.com?" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert client.post(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert client.post(path).status_code == 200  # again: still fine


def test_unknown_personal_links_get_a_friendly_404(client):
    assert client.get("/newsletter/unsubscribe/nonsense/").status_code == 404
    assert client.post(f"/newsletter/unsubscribe/{'f' * 32}/").status_code == 404
    assert client.get(f"/newsletter/preferences/{'0' * 32}/").status_code == 404


def test_preferences_change_frequency_without_logging_in(client):
    subscriber = SubscriberFactory(email="f@example.com")
    path = subscriber.get_preferences_path()
    assert b"Send me the newsletter" in client.get(path).content
    response = client.post(path, {"frequency": "weekly"})
    assert b"Saved" in response.content
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY
    bad = client.post(path, {"frequency": "hourly"})
    assert bad.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY


def test_archive_lists_only_sent_public_issues(client):
    sent = IssueFactory(subject="Went out", sent=True)
    IssueArticle.objects.create(issue=sent, article=ArticleFactory(title="Carried article"))
    IssueFactory(subject="Still a draft")
    IssueFactory(subject="Hidden one", show_in_archive=False, sent=True)
    page = client.get(reverse("newsletter:archive"))
    assert b"Went out" in page.content
    assert b"Still a draft" not in page.content and b"Hidden one" not in page.content
    assert client.get(sent.get_absolute_url()).status_code == 200
    draft = Issue.objects.get(subject="Still a draft")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_home_page_sidebar_carries_the_signup_form(client):
    html = client.get("/").content.decode()
    assert 'action="/newsletter/subscribe/"' in html
    assert "csrfmiddlewaretoken" not in html
