"""Status transitions: on the model, through the admin's buttons, and scheduling over time."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, TransitionNotAllowed, Workflow
from tests.articles.newsroom_roles import (
    add_url,
    article_form_data,
    change_url,
    make_contributor,
    make_editor,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def local_parts(when: datetime.datetime) -> dict:
    local = timezone.localtime(when)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


# --- The model's transitions


def test_a_draft_goes_to_review_and_back():
    article = ArticleFactory(draft=True)
    article.submit_for_review()
    assert article.status == Article.Status.REVIEW
    article.return_to_draft()
    assert article.status == Article.Status.DRAFT


def test_only_a_draft_can_be_submitted_for_review():
    with pytest.raises(TransitionNotAllowed):
        ArticleFactory().submit_for_review()


def test_publish_without_a_time_publishes_now():
    article = ArticleFactory(in_review=True)
    before = timezone.now()
    article.publish()
    article.save()
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.published_at <= timezone.now()
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publish_at_a_future_time_schedules():
    article = ArticleFactory(draft=True)
    later = timezone.now() + datetime.timedelta(hours=3)
    article.publish(at=later)
    article.save()
    assert article.status == Article.Status.SCHEDULED and article.published_at == later
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.scheduled().filter(pk=article.pk).exists()


def test_unpublish_keeps_the_date_so_the_address_survives():
    article = ArticleFactory()
    published_at = article.published_at
    article.unpublish()
    article.save()
    assert article.status == Article.Status.DRAFT and article.published_at == published_at
    assert not Article.objects.published().filter(pk=article.pk).exists()
    with pytest.raises(TransitionNotAllowed):
        article.unpublish()


def test_scheduled_article_appears_when_its_time_comes(client, monkeypatch):
    article = ArticleFactory(scheduled=True, title="Tomorrows column")
    assert article.title not in client.get("/").text
    assert client.get(article.get_absolute_url()).status_code == 404
    later = article.published_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert article.title in client.get("/").text
    assert client.get(article.get_absolute_url()).status_code == 200


def test_take_step_applies_each_step_of_the_workflow_on_the_model():
    article = ArticleFactory(draft=True)
    article.take_step(Workflow.REVIEW)
    assert article.status == Article.Status.REVIEW
    later = timezone.now() + datetime.timedelta(days=2)
    article.take_step(Workflow.SCHEDULE, at=later)
    assert (article.status, article.published_at) == (Article.Status.SCHEDULED, later)
    article.take_step(Workflow.SAVE, at=later + datetime.timedelta(hours=1))  # rescheduled
    assert article.published_at == later + datetime.timedelta(hours=1)
    article.take_step(Workflow.UNPUBLISH)
    assert article.status == Article.Status.DRAFT


def test_take_step_refuses_to_schedule_without_a_future_time_and_names_the_field():
    article = ArticleFactory(draft=True)
    with pytest.raises(TransitionNotAllowed) as refused:
        article.take_step(Workflow.SCHEDULE, at=timezone.now() - datetime.timedelta(hours=1))
    assert refused.value.field == "published_at"
    assert article.status == Article.Status.DRAFT


# --- The admin's workflow buttons


def test_editor_schedules_for_a_future_time(editor_client):
    article = ArticleFactory(in_review=True)
    when = (timezone.now() + datetime.timedelta(minutes=90)).replace(microsecond=0)
    response = editor_client.post(
        change_url(article), article_form_data(article, step="schedule", **local_parts(when))
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED and article.published_at == when
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Scheduled" in m for m in messages)


def test_scheduling_in_the_past_is_refused_with_a_message(editor_client):
    article = ArticleFactory(in_review=True)
    when = timezone.now() - datetime.timedelta(hours=1)
    response = editor_client.post(
        change_url(article), article_form_data(article, step="schedule", **local_parts(when))
    )
    assert response.status_code == 200
    assert "Choose a publish time in the future" in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_editor_publishes_now_and_the_article_is_on_the_home_page(editor_client, client):
    article = ArticleFactory(in_review=True, title="Fresh analysis")
    editor_client.post(change_url(article), article_form_data(article, step="publish"))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    editor_client.logout()
    assert "Fresh analysis" in client.get("/").text


def test_editor_can_backdate_when_publishing(editor_client):
    article = ArticleFactory(draft=True)
    when = (timezone.now() - datetime.timedelta(days=3)).replace(microsecond=0)
    editor_client.post(
        change_url(article), article_form_data(article, step="publish", **local_parts(when))
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at == when


def test_editor_unpublishes(editor_client):
    article = ArticleFactory()
    editor_client.post(change_url(article), article_form_data(article, step="unpublish"))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_editor_sends_an_article_back_to_draft(editor_client):
    article = ArticleFactory(in_review=True)
    editor_client.post(change_url(article), article_form_data(article, step="draft"))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_save_draft_stays_on_the_form_and_submit_goes_to_the_list(client):
    contributor = make_contributor()
    client.force_login(contributor)
    response = client.post(add_url(), article_form_data(title="Work in progress", step="draft"))
    article = Article.objects.get(title="Work in progress")
    assert response["Location"] == change_url(article)
    response = client.post(change_url(article), article_form_data(article, step="review"))
    assert response["Location"] == "/admin/articles/article/"


def test_submitting_an_article_already_in_review_again_explains_why_not(client):
    contributor = make_contributor()
    article = ArticleFactory(in_review=True, created_by=contributor)
    client.force_login(contributor)
    response = client.post(change_url(article), article_form_data(article, step="review"))
    assert response.status_code == 200
    assert "Only a draft can be submitted for review" in response.text


def test_buttons_match_role_and_status(client):
    contributor = make_contributor()
    client.force_login(contributor)
    article = ArticleFactory(draft=True, created_by=contributor)
    page = client.get(change_url(article)).text
    assert 'value="review"' in page and 'value="publish"' not in page
    client.force_login(make_editor())
    page = client.get(change_url(article)).text
    assert 'value="publish"' in page and 'value="schedule"' in page and 'value="review"' not in page


def test_dashboard_shows_what_needs_attention(editor_client):
    waiting = ArticleFactory(in_review=True, title="Waiting for you")
    upcoming = ArticleFactory(scheduled=True, title="Coming tomorrow")
    recent = ArticleFactory(title="Out this morning")
    page = editor_client.get("/admin/").text
    assert "Waiting for review (1)" in page
    for article in (waiting, upcoming, recent):
        assert article.title in page


def test_moving_a_scheduled_articles_time_into_the_past_publishes_it(editor_client):
    article = ArticleFactory(scheduled=True)
    earlier = (timezone.now() - datetime.timedelta(minutes=5)).replace(microsecond=0)
    editor_client.post(
        change_url(article), article_form_data(article, step="save", **local_parts(earlier))
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_live
    later = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
    editor_client.post(
        change_url(article), article_form_data(article, step="save", **local_parts(later))
    )
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED and not article.is_live
