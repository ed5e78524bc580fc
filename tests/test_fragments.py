"""Kept parts of pages (Django's {% cache %} on the generation-keyed "template_fragments" cache,
see pagecache): a page the page cache does not answer is assembled from them, and every change that
drops cached pages drops them too."""

import datetime
import time

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, MenuItem, Publication
from pagecache import generation, middleware
from tests.factories import ArticleFactory, CategoryFactory, MenuItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def parts_kept(settings):
    """The page cache off (as for a signed-in reader), parts and facts kept."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE = True
    middleware.forget_local_copies()
    yield
    middleware.forget_local_copies()


def visit(client, path: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


@pytest.fixture
def site():
    category = CategoryFactory(name="Middle East", slug="middle-east")
    MenuItemFactory(label="Middle East section", category=category, url="")
    article = ArticleFactory(title="Kept story", primary_category=category, featured=True)
    article.tags.add("oil")
    return article


def reader_pages(article: Article) -> list[str]:
    return [
        "/",
        article.get_absolute_url(),
        article.primary_category.get_absolute_url(),
        "/tag/oil/",
        article.authors.first().get_absolute_url(),
    ]


def test_a_page_assembled_from_kept_parts_runs_only_the_queries_naming_what_it_shows(client, site):
    """Only the view's own lookup runs (which category, tag, author or article the address
    names): listings, bylines, sidebar and menu are kept."""
    year = f"/{site.local_date.year}/"
    category, tag, author = reader_pages(site)[2:]
    expected = {"/": 0, "/archives/": 0, "/featured/": 0, year: 0, category: 1, tag: 1, author: 1}
    expected[site.get_absolute_url()] = 1
    for path, budget in expected.items():
        first, cold_queries = visit(client, path)
        second, warm_queries = visit(client, path)
        assert cold_queries > budget, path
        assert warm_queries == budget, path
        assert second == first, path


def test_an_edit_shows_on_every_page_that_kept_the_old_title(client, site, commit):
    for path in reader_pages(site):
        assert "Kept story" in visit(client, path)[0]

    def retitle():
        site.title = "Retitled story"
        site.save()

    commit(retitle)
    for path in reader_pages(site):
        page = visit(client, path)[0]
        assert "Retitled story" in page, path
        assert "Kept story" not in page, path


def test_unpublishing_removes_the_article_from_kept_pages(client, site, commit):
    url = site.get_absolute_url()
    visit(client, url)
    visit(client, "/")

    def unpublish():
        site.unpublish()
        site.save()

    commit(unpublish)
    assert client.get(url).status_code == 404
    assert "Kept story" not in visit(client, "/")[0]


def test_a_menu_change_shows_in_the_kept_header_and_footer(client, site, commit):
    assert "Middle East section" in visit(client, "/")[0]

    def rename():
        MenuItem.objects.update(label="Region")  # update() sends no signal: save each
        for item in MenuItem.objects.all():
            item.save()

    commit(rename)
    page = visit(client, "/")[0]
    assert "Region" in page and "Middle East section" not in page


def test_the_header_marks_the_menu_item_of_the_page_it_is_on(client, site):
    category_page = visit(client, "/category/middle-east/")[0]
    home = visit(client, "/")[0]
    assert 'href="/category/middle-east/" aria-current="page"' in category_page
    assert 'aria-current="page">Middle East section' not in home


def test_a_site_title_change_shows_everywhere(client, site, commit):
    visit(client, "/")
    visit(client, site.get_absolute_url())

    def rename():
        publication = Publication.current()
        publication.title = "Renamed Comment"
        publication.save()

    commit(rename)
    assert "Renamed Comment" in visit(client, "/")[0]
    assert "Renamed Comment" in visit(client, site.get_absolute_url())[0]


def test_a_message_is_shown_with_the_page_that_carries_it_only(client, site):
    url = site.get_absolute_url()
    visit(client, url)  # the parts are kept
    storage = CookieStorage(RequestFactory().get(url))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Saved just now")])
    assert "Saved just now" in client.get(url).content.decode()
    assert "Saved just now" not in client.get(url).content.decode()  # the cookie was spent


def test_a_preview_is_rendered_every_time(client, commit):
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    draft = ArticleFactory(draft=True, body="<p>First draft.</p>")
    assert "First draft." in client.get(f"/preview/{draft.pk}/").content.decode()
    Article.objects.filter(pk=draft.pk).update(body="<p>Second draft.</p>")  # no save, no bump
    assert "Second draft." in client.get(f"/preview/{draft.pk}/").content.decode()


def test_kept_parts_and_pages_expire_when_a_scheduled_article_goes_live(client, settings, commit):
    """The schedule changes pages without a save: kept copies, in the shared cache and in this
    process, must not outlive it."""
    settings.PAGE_CACHE_LOCAL_SECONDS = 60  # this process's copies on
    settings.PAGE_CACHE_ENABLED = True
    ArticleFactory(title="Already out")
    commit(
        lambda: ArticleFactory(
            title="Due in a moment",
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + datetime.timedelta(seconds=3),
        )
    )
    assert "Due in a moment" not in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "hit"
    time.sleep(3.2)
    assert "Due in a moment" in client.get("/").content.decode()


def test_parts_vary_with_what_the_template_names_and_move_on_with_the_generation(rf, commit):
    template = Template("{% load cache %}{% cache 600 'probe' n %}{{ n }}{{ m }}{% endcache %}")
    assert template.render(Context({"n": 1, "m": "a"})) == "1a"
    assert template.render(Context({"n": 2, "m": "a"})) == "2a"
    assert template.render(Context({"n": 1, "m": "b"})) == "1a"  # kept
    commit(ArticleFactory)
    assert template.render(Context({"n": 1, "m": "b"})) == "1b"


def test_nothing_is_kept_when_fragment_cache_is_off(settings):
    settings.FRAGMENT_CACHE = False
    template = Template("{% load cache %}{% cache 600 'probe' %}{{ n }}{% endcache %}")
    assert template.render(Context({"n": 1})) == "1"
    assert template.render(Context({"n": 2})) == "2"


def test_a_not_found_is_never_kept(client):
    assert client.get("/category/later/").status_code == 404
    CategoryFactory(slug="later")  # no commit, so no new generation
    assert client.get("/category/later/").status_code == 200


def test_pages_are_rendered_in_full_when_the_cache_is_down(client, site, monkeypatch):
    def cache_down():
        raise ConnectionError("redis is away")

    monkeypatch.setattr(generation, "current", cache_down)
    for path in reader_pages(site):
        page, queries = visit(client, path)
        assert "Kept story" in page
        assert queries > 0


def test_the_redis_backend_reuses_one_client(settings):
    """Django builds a client per cache call; pagecache.backends keeps one (a measured cost)."""
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("needs REDIS_URL")
    client = cache._cache
    assert client.get_client() is client.get_client()
    cache.set("probe", 1)
    assert cache.get("probe") == 1


def test_parts_are_served_from_the_workers_memory_without_a_round_trip(
    client, site, settings, monkeypatch
):
    from django.core.cache import caches

    settings.PAGE_CACHE_LOCAL_SECONDS = 30
    visit(client, "/")  # the parts are kept, in the shared cache and in this process
    monkeypatch.setattr(caches["template_fragments"], "_cache", None)  # shared copy unreachable
    page, queries = visit(client, "/")
    assert "Kept story" in page
    assert queries == 0


def test_a_request_reads_each_sitewide_value_once_and_the_next_request_afresh(settings):
    """Within one request the parts of a page share one copy of a sitewide value (the menu is
    asked for three times a page); a value stored during the request replaces it; the next
    request reads its own copy."""
    from django.core.cache import caches
    from django.core.signals import request_finished, request_started

    sitewide = caches["sitewide"]
    sitewide.set("probe", {"links": ["a"]})
    request_started.send(sender=None)
    try:
        first = sitewide.get("probe")
        assert sitewide.get("probe") is first
        sitewide.set("probe", {"links": ["b"]})
        assert sitewide.get("probe") == {"links": ["b"]}
        assert sitewide.get("missing", "default") == "default"
        assert sitewide.get_or_set("built", lambda: ["built"], 30) == ["built"]
        second = sitewide.get("probe")
    finally:
        request_finished.send(sender=None)
    assert sitewide.get("probe") == {"links": ["b"]}
    assert sitewide.get("probe") is not second
    assert sitewide.get("probe") is not sitewide.get("probe")


def test_sitewide_values_are_read_from_the_workers_memory_as_copies(settings):
    """With Redis, each worker keeps the sitewide values it read for PAGE_CACHE_LOCAL_SECONDS (a
    page reads several, each once a round trip); each read is its own copy, and a change (a new
    generation) is never answered from the old copy."""
    from django.core.cache import caches

    if "redis" not in settings.CACHES["sitewide"]["BACKEND"].lower():
        pytest.skip("needs REDIS_URL")
    settings.PAGE_CACHE_LOCAL_SECONDS = 30
    sitewide = caches["sitewide"]
    sitewide.set("probe", {"links": ["a"]})
    sitewide._cache.delete(sitewide.make_and_validate_key("probe"))  # the shared copy is gone
    first = sitewide.get("probe")
    first["links"].append("changed by one caller")
    assert sitewide.get("probe") == {"links": ["a"]}
    generation.bump()
    assert sitewide.get("probe") is None
