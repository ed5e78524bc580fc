"""The demo comes with confirmed subscribers and a week of reads, so the newsletter send and the
"Popular" box can be tried right after `make run`; running it again adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory

from articles.models import Article, ArticleViewDay
from articles.popular import most_read
from newsletter.models import Issue, Subscriber

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", "--no-renditions", stdout=out)
    return out.getvalue()


def test_demo_has_confirmed_subscribers_and_a_week_of_reads_and_a_second_run_adds_nothing():
    output = load_demo()
    assert "5 confirmed subscribers" in output and "84 daily read counts added" in output
    assert Subscriber.objects.confirmed().count() == 5
    assert set(Subscriber.objects.values_list("frequency", flat=True)) == {"daily", "weekly"}
    assert ArticleViewDay.objects.count() == 84  # 12 articles × 7 days
    assert len(ArticleViewDay.objects.values("date").distinct()) == 7

    rows = (Subscriber.objects.count(), ArticleViewDay.objects.count())
    output = load_demo()
    assert "0 subscribers added" in output and "0 daily read counts added" in output
    assert (Subscriber.objects.count(), ArticleViewDay.objects.count()) == rows


def test_popular_box_and_newsletter_send_work_on_the_demo(client, django_user_model):
    load_demo()
    popular = most_read()
    assert len(popular) == 5
    assert all(article.is_live for article in popular)
    html = render_to_string("includes/sidebar.html", request=RequestFactory().get("/"))
    assert popular[0].title in html

    client.force_login(django_user_model.objects.get(username="editor"))
    issue = Issue.objects.create(subject="Demo issue")
    issue.article_links.create(article=Article.objects.published().first())
    page = client.get(f"/admin/newsletter/issue/{issue.pk}/send/").content.decode()
    assert "goes to <strong>5</strong> subscriber(s)" in page
    assert 'value="Send now"' in page
