"""An issue carries only what readers can open: the form offers published and scheduled articles,
shows each one's status, and the issue cannot be sent while one of them is not live."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Issue, IssueArticle, Subscriber
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return user


def autocomplete(client, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "newsletter",
            "model_name": "issuearticle",
            "field_name": "article",
        },
    )
    assert response.status_code == 200
    return sorted(result["text"] for result in json.loads(response.content)["results"])


def test_the_article_picker_offers_published_and_scheduled_articles_only(client, editor):
    ArticleFactory(title="Water live")
    ArticleFactory(title="Water scheduled", scheduled=True)
    ArticleFactory(title="Water draft", draft=True)
    ArticleFactory(title="Water in review", in_review=True)
    assert autocomplete(client, "Water") == ["Water live", "Water scheduled"]


def test_the_form_refuses_a_draft_posted_by_hand(client, editor):
    draft = ArticleFactory(title="Not ready", draft=True)
    response = client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "subject": "Weekend",
            "intro": "",
            "audience": "all",
            "show_in_archive": "on",
            "article_links-TOTAL_FORMS": "1",
            "article_links-INITIAL_FORMS": "0",
            "article_links-0-position": "0",
            "article_links-0-article": str(draft.pk),
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    assert not Issue.objects.exists()


def test_the_issue_page_shows_each_articles_status(client, editor):
    issue = Issue.objects.create(subject="Weekend")
    IssueArticle.objects.create(issue=issue, article=ArticleFactory(title="Live one"), position=0)
    scheduled = ArticleFactory(title="Later one", scheduled=True)
    IssueArticle.objects.create(issue=issue, article=scheduled, position=1)
    # Taken back to draft after it was put in the issue.
    withdrawn = ArticleFactory(title="Withdrawn one")
    IssueArticle.objects.create(issue=issue, article=withdrawn, position=2)
    withdrawn.status = withdrawn.Status.DRAFT
    withdrawn.published_at = None
    withdrawn.save()
    html = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])).content.decode()
    assert html.count("Live since") == 1
    assert "Scheduled for" in html and "send the issue after that" in html
    assert "Draft: not on the site, so the issue cannot go out" in html


def test_an_issue_with_an_article_not_live_cannot_be_sent(client, editor, smtp_server):
    Subscriber.objects.create(email="a@example.com", status=Subscriber.Status.CONFIRMED)
    issue = Issue.objects.create(subject="Weekend")
    IssueArticle.objects.create(issue=issue, article=ArticleFactory(title="Live one"), position=0)
    later = ArticleFactory(title="Later one", scheduled=True)
    IssueArticle.objects.create(issue=issue, article=later, position=1)
    send_url = reverse("admin:newsletter_issue_send", args=[issue.pk])

    page = client.get(send_url).content.decode()
    assert "This issue cannot be sent yet" in page
    assert "Later one" in page
    assert 'value="Send now"' not in page
    assert "with 1 article(s)" in page  # counts what would go out, not the scheduled one

    response = client.post(send_url, follow=True)
    assert "Not sent: “Later one” cannot be read on the site yet" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT

    # Once its time has come, the issue goes out with both articles.
    later.published_at = timezone.now() - datetime.timedelta(minutes=1)
    later.save()
    page = client.get(send_url).content.decode()
    assert "with 2 article(s)" in page and 'value="Send now"' in page
    client.post(send_url)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.QUEUED
