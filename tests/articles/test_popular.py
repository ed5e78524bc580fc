import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles import popular
from articles.models import ArticleViewDay, PopularOverride
from articles.popular import flush_view_counts, most_read, record_view
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

READER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
OTHER_READER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"


def beacon(client, article, *, agent=READER, ip="203.0.113.7"):
    return client.post(
        reverse("articles:record-view", args=[article.pk]),
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR=ip,
    )


def views_of(article) -> int:
    return sum(ArticleViewDay.objects.filter(article=article).values_list("views", flat=True))


@pytest.fixture(autouse=True)
def no_queued_flush():
    """The beacon queues a flush task at most once a minute; tests flush by hand."""
    cache.set("popular:flush-queued", 1, 600)


def test_a_read_is_counted_in_the_cache_and_flushed_to_daily_totals(client):
    article = ArticleFactory()
    response = beacon(client, article)
    assert response.status_code == 204
    assert response["Cache-Control"] == "no-store"
    assert ArticleViewDay.objects.count() == 0  # nothing written per view
    assert flush_view_counts(include_current=True) == 1
    row = ArticleViewDay.objects.get(article=article)
    assert row.views == 1 and row.date == timezone.localdate()


def test_the_beacon_touches_no_database(client, django_assert_num_queries):
    article = ArticleFactory()
    with django_assert_num_queries(0):
        for number in range(5):
            beacon(client, article, ip=f"198.51.100.{number}")


def test_reads_are_counted_even_when_the_page_came_from_the_full_page_cache(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert second.status_code == 200
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    # The cached page still loads the beacon, and the beacon is never cached.
    beacon_url = reverse("articles:record-view", args=[article.pk])
    assert f'data-beacon-url="{beacon_url}"' in second.content.decode()
    assert first.content == second.content
    for number in range(3):
        assert beacon(client, article, ip=f"192.0.2.{number}").status_code == 204
    flush_view_counts(include_current=True)
    assert views_of(article) == 3


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Feedly/1.0 (+http://www.feedly.com/fetcher.html)",
    ],
)
def test_bots_are_not_counted(client, agent):
    article = ArticleFactory()
    beacon(client, article, agent=agent)
    flush_view_counts(include_current=True)
    assert views_of(article) == 0


def test_a_reader_reloading_counts_once_but_other_readers_count(client):
    article = ArticleFactory()
    for _ in range(4):
        beacon(client, article)
    beacon(client, article, agent=OTHER_READER)
    beacon(client, article, ip="203.0.113.8")
    flush_view_counts(include_current=True)
    assert views_of(article) == 3


def test_the_same_reader_counts_again_after_the_window(client):
    article = ArticleFactory()
    request = RequestFactory().post("/", HTTP_USER_AGENT=READER, REMOTE_ADDR="203.0.113.9")
    assert record_view(request, article.pk) == "counted"
    assert record_view(request, article.pk) == "repeat"
    cache.delete(f"popular:seen:{popular.reader_fingerprint(request)}:{article.pk}")
    assert record_view(request, article.pk) == "counted"


def test_a_flood_from_one_address_is_limited(client, settings):
    articles = [ArticleFactory() for _ in range(3)]
    request = RequestFactory().post("/", HTTP_USER_AGENT=READER, REMOTE_ADDR="203.0.113.10")
    outcomes = [
        record_view(request, articles[n % 3].pk + 1000 * n)
        for n in range(popular.RATE_LIMIT_PER_MINUTE + 5)
    ]
    assert outcomes.count("limited") == 5


def test_the_beacon_only_accepts_post(client):
    article = ArticleFactory()
    assert client.get(reverse("articles:record-view", args=[article.pk])).status_code == 405


def test_views_of_deleted_or_unknown_articles_are_dropped(client):
    article = ArticleFactory()
    gone = ArticleFactory()
    request = RequestFactory().post("/", HTTP_USER_AGENT=READER, REMOTE_ADDR="203.0.113.11")
    record_view(request, article.pk)
    record_view(request, gone.pk)
    record_view(request, 987654)
    gone.delete()
    assert flush_view_counts(include_current=True) == 1
    assert list(ArticleViewDay.objects.values_list("article_id", "views")) == [(article.pk, 1)]


def test_flushing_adds_to_existing_totals_and_only_finished_minutes(client):
    article = ArticleFactory()
    ArticleViewDay.objects.create(article=article, date=timezone.localdate(), views=10)
    now = timezone.now()
    earlier = now - datetime.timedelta(minutes=3)
    for number in range(2):
        request = RequestFactory().post(
            "/", HTTP_USER_AGENT=READER, REMOTE_ADDR=f"203.0.113.{20 + number}"
        )
        record_view(request, article.pk, now=earlier)
    request = RequestFactory().post("/", HTTP_USER_AGENT=READER, REMOTE_ADDR="203.0.113.30")
    record_view(request, article.pk, now=now)

    assert flush_view_counts(now=now) == 2  # the current minute is still open
    assert views_of(article) == 12
    assert flush_view_counts(now=now) == 0  # nothing counted twice
    assert flush_view_counts(now=now + datetime.timedelta(minutes=2)) == 1
    assert views_of(article) == 13


def test_the_beacon_queues_a_flush_at_most_once_a_minute(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(popular, "cache_is_process_local", lambda: False)  # as with Redis
    cache.delete("popular:flush-queued")
    article = ArticleFactory()
    for number in range(5):
        beacon(client, article, ip=f"198.51.100.{50 + number}")
    queued = DBTaskResult.objects.filter(task_path__endswith="flush_view_counts_task")
    assert queued.count() == 1


def test_flush_command(client):
    article = ArticleFactory()
    beacon(client, article)
    out = __import__("io").StringIO()
    call_command("flush_view_counts", "--include-current", stdout=out)
    assert "Flushed 1 view to the daily totals." in out.getvalue()
    assert views_of(article) == 1


def test_popular_lists_the_most_read_of_the_last_seven_days(client):
    today = timezone.localdate()
    steady, spike, old_hit, fresh = (
        ArticleFactory(title=t) for t in ["steady", "spike", "old", "fresh"]
    )
    draft = ArticleFactory(title="draft", draft=True)
    for days_ago in range(7):
        ArticleViewDay.objects.create(
            article=steady, date=today - datetime.timedelta(days=days_ago), views=10
        )
    ArticleViewDay.objects.create(article=spike, date=today, views=50)
    ArticleViewDay.objects.create(
        article=old_hit, date=today - datetime.timedelta(days=8), views=999
    )
    ArticleViewDay.objects.create(article=fresh, date=today, views=5)
    ArticleViewDay.objects.create(article=draft, date=today, views=1000)
    assert [a.title for a in most_read()] == ["steady", "spike", "fresh"]


def test_editors_pin_and_hide_articles(client):
    today = timezone.localdate()
    first, second, third = (ArticleFactory(title=t) for t in ("first", "second", "third"))
    pinned = ArticleFactory(title="pinned, never read")
    for views, article in ((30, first), (20, second), (10, third)):
        ArticleViewDay.objects.create(article=article, date=today, views=views)
    PopularOverride.objects.create(article=pinned, action=PopularOverride.Action.PIN)
    PopularOverride.objects.create(article=first, action=PopularOverride.Action.HIDE)
    PopularOverride.objects.create(
        article=third,
        action=PopularOverride.Action.HIDE,
        until=timezone.now() - datetime.timedelta(hours=1),  # expired: counts again
    )
    assert [a.title for a in most_read()] == ["pinned, never read", "second", "third"]
    assert [a.title for a in most_read(limit=2)] == ["pinned, never read", "second"]


def test_the_sidebar_box_shows_popular_articles_and_follows_overrides(client, commit):
    read = ArticleFactory(title="Much read piece")
    ArticleViewDay.objects.create(article=read, date=timezone.localdate(), views=40)
    html = client.get("/").content.decode()
    assert 'class="widget widget--popular"' in html
    assert f'<a href="{read.get_absolute_url()}">Much read piece</a>' in html

    commit(lambda: PopularOverride.objects.create(article=read, action=PopularOverride.Action.HIDE))
    assert "Much read piece</a></li></ol>" not in client.get("/").content.decode()


def test_the_popular_box_is_cached(client, django_assert_num_queries):
    ArticleViewDay.objects.create(article=ArticleFactory(), date=timezone.localdate(), views=3)
    popular.popular_articles_cached()
    with django_assert_num_queries(0):
        assert len(popular.popular_articles_cached()) == 1


def test_flushed_reads_reach_the_box_within_its_few_minutes(client, monkeypatch):
    steady, rising = ArticleFactory(title="steady"), ArticleFactory(title="rising")
    ArticleViewDay.objects.create(article=steady, date=timezone.localdate(), views=2)
    clock = [1_800_000_000.0]
    monkeypatch.setattr(popular, "time", SimpleNamespace(time=lambda: clock[0]))
    assert [link["title"] for link in popular.popular_articles_cached()] == ["steady"]
    for number in range(3):  # three readers; the flush writes no row the page cache watches
        beacon(client, rising, ip=f"198.51.100.{20 + number}")
    assert flush_view_counts(include_current=True) == 3
    clock[0] += popular.POPULAR_CACHE_SECONDS - 1
    assert [link["title"] for link in popular.popular_articles_cached()] == ["steady"]
    clock[0] += 1
    assert [link["title"] for link in popular.popular_articles_cached()] == ["rising", "steady"]


def test_with_a_local_memory_cache_the_beacon_flushes_in_process(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(popular, "cache_is_process_local", lambda: True)
    flushed = []
    monkeypatch.setattr(popular, "flush_view_counts", lambda: flushed.append(1) or 0)
    cache.delete("popular:flush-queued")
    article = ArticleFactory()
    for number in range(3):
        beacon(client, article, ip=f"198.51.100.{80 + number}")
    assert flushed == [1]
    assert not DBTaskResult.objects.exists()
