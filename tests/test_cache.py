"""The full-page cache: what is served from it, what never is, and what drops it."""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleQuerySet,
    ArticleViewDay,
    MenuItem,
    PopularOverride,
    Publication,
)
from donations.models import Campaign, DonationSettings, SidebarBlock
from pagecache import generation, middleware
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CampaignFactory,
    CategoryFactory,
    DonationFactory,
    MenuItemFactory,
    PageFactory,
    SidebarBlockFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 600
    middleware.forget_local_copies()
    yield
    middleware.forget_local_copies()


def get_counting_queries(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response, len(queries)


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(client):
    article = ArticleFactory(title="Cached story")
    first, first_queries = get_counting_queries(client, article.get_absolute_url())
    second, second_queries = get_counting_queries(client, article.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert "Cached story" in second.content.decode()


def test_public_pages_tell_a_cdn_it_may_keep_them_briefly(client, settings):
    ArticleFactory()
    for response in (client.get("/"), client.get("/")):
        cache_control = response["Cache-Control"]
        assert "public" in cache_control
        assert f"s-maxage={settings.PAGE_CACHE_CDN_SECONDS}" in cache_control
        assert "stale-while-revalidate=" in cache_control
        assert "max-age=0" in cache_control


def test_publishing_a_draft_shows_it_on_cached_listings(client, commit):
    ArticleFactory(title="Old news")
    draft = ArticleFactory(draft=True, title="Breaking news")
    assert "Breaking news" not in client.get("/").content.decode()
    assert "Breaking news" not in client.get("/").content.decode()  # served from the cache

    def publish():
        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()

    commit(publish)
    assert "Breaking news" in client.get("/").content.decode()


def test_editing_an_article_updates_its_cached_page(client, commit):
    article = ArticleFactory(title="First headline")
    url = article.get_absolute_url()
    assert "First headline" in client.get(url).content.decode()

    def edit():
        article.title = "Corrected headline"
        article.save()

    commit(edit)
    html = client.get(url).content.decode()
    assert "Corrected headline" in html and "First headline" not in html


def test_unpublishing_removes_the_cached_article(client, commit):
    article = ArticleFactory(title="Withdrawn piece")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "Withdrawn piece" in client.get("/").content.decode()

    def unpublish():
        article.status = Article.Status.DRAFT
        article.save()

    commit(unpublish)
    assert client.get(url).status_code == 404
    assert "Withdrawn piece" not in client.get("/").content.decode()


def test_changing_the_menu_a_category_or_tags_drops_cached_pages(client, commit):
    category = CategoryFactory(name="Politics", slug="politics")
    article = ArticleFactory(primary_category=category)
    url = article.get_absolute_url()
    client.get(url)
    before = generation.current()

    commit(lambda: MenuItemFactory(label="Newsletter archive", url="/archives/"))
    assert generation.current() > before
    assert "Newsletter archive" in client.get(url).content.decode()

    def rename():
        category.name = "World politics"
        category.save()

    commit(rename)
    assert "World politics" in client.get(url).content.decode()

    commit(lambda: article.tags.add("elections"))
    assert "elections" in client.get(url).content.decode().lower()

    def rename_tag():
        tag = Tag.objects.get(name="elections")
        tag.name = "Elections 2026"
        tag.save()

    commit(rename_tag)
    assert "Elections 2026" in client.get(url).content.decode()

    before = generation.current()
    commit(lambda: article.authors.add(AuthorFactory(display_name="Guest Writer")))
    assert generation.current() > before
    assert "Guest Writer" in client.get(url).content.decode()

    before = generation.current()
    commit(lambda: MenuItem.objects.get(label="Newsletter archive").delete())
    assert generation.current() > before


def test_site_settings_and_pages_drop_cached_pages(client, commit):
    page = PageFactory(title="About us", slug="about")
    client.get("/about/")
    before = generation.current()

    def edit():
        page.title = "About the site"
        page.save()

    commit(edit)
    assert "About the site" in client.get("/about/").content.decode()
    commit(lambda: Publication.objects.create(title="The Daily Test"))
    assert generation.current() > before + 1


@pytest.mark.no_production_cache
def test_a_rolled_back_change_does_not_bump(django_capture_on_commit_callbacks):
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory()
    assert callbacks  # queued for commit, and this test's transaction never commits
    assert generation.current() == before


def test_other_apps_declare_their_models_on_their_app_config(commit, monkeypatch):
    from django.apps import apps
    from django.contrib.sites.models import Site

    monkeypatch.setattr(
        apps.get_app_config("sites"), "page_cache_models", ["sites.Site"], raising=False
    )
    apps.get_app_config("pagecache").ready()
    current = generation.current()
    commit(lambda: Site.objects.update_or_create(pk=1, defaults={"name": "renamed"}))
    assert generation.current() == current + 1


def test_cached_pages_expire_when_a_scheduled_article_goes_live(client, commit, monkeypatch):
    ArticleFactory(title="Already out")
    commit(
        lambda: ArticleFactory(
            title="Due soon",
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + datetime.timedelta(seconds=90),
        )
    )
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    current = generation.current()
    clock, now = time.time, timezone.now
    monkeypatch.setattr(generation.time, "time", lambda: clock() + 91)
    monkeypatch.setattr(timezone, "now", lambda: now() + datetime.timedelta(seconds=91))
    response = client.get("/")  # the first reader after that moment moves the generation on
    assert response["X-Cache"] == "miss"
    assert "Due soon" in response.content.decode()
    assert generation.current() == current + 1


def _request_for(path: str, **meta):
    from django.test import RequestFactory

    return RequestFactory().get(path, **meta)


def test_key_varies_with_host_scheme_path_and_query_but_not_tracking_parameters():
    key = middleware.page_key
    base = key(_request_for("/search/", QUERY_STRING="q=iran&page=2"))
    assert base == key(_request_for("/search/", QUERY_STRING="page=2&q=iran&utm_source=x"))
    assert base != key(_request_for("/search/", QUERY_STRING="q=iraq&page=2"))
    assert base != key(
        _request_for("/search/", QUERY_STRING="q=iran&page=2", HTTP_HOST="localhost")
    )
    assert base != key(_request_for("/search/", QUERY_STRING="q=iran&page=2", secure=True))
    assert base != key(_request_for("/tag/", QUERY_STRING="q=iran&page=2"))
    assert base != key(
        _request_for("/search/", QUERY_STRING="q=iran&page=2", HTTP_ACCEPT_LANGUAGE="fr")
    )


def test_an_entry_made_before_a_change_is_never_served_after_it(client, commit):
    """The generation is read before the view runs: a page rendered while a change commits is
    stored under the old generation, so it is already stale."""
    article = ArticleFactory(title="Before")
    url = article.get_absolute_url()
    client.get(url)
    key = middleware.page_key(_request_for(url))
    before, *_ = cache.get(key)

    def edit():
        article.title = "After"
        article.save()

    commit(edit)
    assert generation.current() > before
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert "After" in response.content.decode()


# --- What is never cached ------------------------------------------------------------------------


def test_logged_in_editors_always_get_fresh_private_pages(client):
    article = ArticleFactory(title="Seen by an editor")
    url = article.get_absolute_url()
    client.get(url)  # cached for readers
    client.force_login(UserFactory(is_staff=True))
    response, queries = get_counting_queries(client, url)
    assert queries > 0
    assert "public" not in response.get("Cache-Control", "")
    assert "private" in response["Cache-Control"]


def test_pages_seen_by_an_editor_are_not_stored_for_readers(client):
    article = ArticleFactory()
    url = article.get_absolute_url()
    client.force_login(UserFactory(is_staff=True))
    client.get(url)
    client.logout()
    client.cookies.clear()
    _, queries = get_counting_queries(client, url)
    assert queries > 0  # nothing was stored while logged in


def test_responses_that_set_cookies_or_use_csrf_tokens_are_not_stored(rf):
    def view_with_token(request):
        from django.middleware.csrf import get_token

        return HttpResponse(f"<form>{get_token(request)}</form>")

    def view_with_cookie(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    from django.middleware.csrf import CsrfViewMiddleware

    for view in (CsrfViewMiddleware(view_with_token), view_with_cookie):
        stack = middleware.PageCacheMiddleware(view)
        first = stack(rf.get("/somewhere/"))
        second = stack(rf.get("/somewhere/"))
        assert "private" in first["Cache-Control"]
        assert "private" in second["Cache-Control"]
    assert _all_page_keys() == []


def _all_page_keys() -> list[str]:
    keys = getattr(cache, "_cache", None)
    if isinstance(keys, dict):  # local memory
        return [k for k in keys if "pagecache:page:" in k]
    client = cache._cache.get_client()  # Redis
    return [k.decode() for k in client.scan_iter(match=f"{cache.key_prefix}*pagecache:page:*")]


def test_never_cache_responses_previews_and_errors_are_not_stored(rf):
    from django.views.decorators.cache import never_cache

    @never_cache
    def preview(request):
        return HttpResponse("draft preview")

    def broken(request):
        return HttpResponse("oops", status=500)

    def post_only(request):
        return HttpResponse("ok")

    middleware.PageCacheMiddleware(preview)(rf.get("/2026/01/01/draft/"))
    middleware.PageCacheMiddleware(broken)(rf.get("/broken/"))
    middleware.PageCacheMiddleware(post_only)(rf.post("/newsletter/subscribe/"))
    assert _all_page_keys() == []


def test_admin_is_never_cached(admin_client):
    admin_client.get("/admin/")
    admin_client.logout()
    response = admin_client.get("/admin/login/")
    assert "public" not in response.get("Cache-Control", "")
    assert _all_page_keys() == []


def test_readers_with_a_pending_message_get_a_fresh_page(client, settings):
    settings.FRAGMENT_CACHE = False  # so that a render shows as queries
    ArticleFactory()
    client.get("/")
    client.cookies["messages"] = "something"
    _, queries = get_counting_queries(client, "/")
    assert queries > 0


def test_not_found_pages_are_cached_briefly(client, settings):
    client.get("/no-such-page/")
    key = middleware.page_key(_request_for("/no-such-page/"))
    assert cache.get(key)[2] == 404  # (generation, expires at, status, …)
    if hasattr(cache, "ttl"):
        assert cache.ttl(key) <= settings.PAGE_CACHE_SHORT_SECONDS


def test_head_requests_are_answered_from_the_cached_get(client):
    ArticleFactory()
    body = client.get("/").content
    with CaptureQueriesContext(connection) as queries:
        response = client.head("/")
    assert len(queries) == 0
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(body))


def test_a_cached_page_answers_304_to_a_reader_with_a_current_copy(client, commit):
    article = ArticleFactory(title="Polled story")
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    response, queries = get_counting_queries(client, url, if_none_match=etag)
    assert (response.status_code, response["X-Cache"], queries) == (304, "hit", 0)
    commit(lambda: ArticleFactory(title="Another story"))  # the next link may have changed
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_the_csp_nonce_of_a_replayed_page_matches_its_header(rf):
    from django.middleware.csp import ContentSecurityPolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request._csp_nonce}">1</script>')

    stack = ContentSecurityPolicyMiddleware(middleware.PageCacheMiddleware(view))
    first = stack(rf.get("/with-nonce/"))
    second = stack(rf.get("/with-nonce/"))
    for response in (first, second):
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert first.content != second.content  # each reader gets their own nonce


def test_a_cache_outage_falls_back_to_the_database(client, monkeypatch):
    ArticleFactory(title="Still readable")

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(middleware, "current_generation", down)
    response = client.get("/")
    assert response.status_code == 200
    assert "Still readable" in response.content.decode()


def test_page_cache_off_leaves_responses_alone(client, settings):
    settings.PAGE_CACHE_ENABLED = settings.FRAGMENT_CACHE = False
    ArticleFactory()
    _, first = get_counting_queries(client, "/")
    response, second = get_counting_queries(client, "/")
    assert first > 0 and second > 0
    assert "public" not in response.get("Cache-Control", "")


def test_sidebar_models_of_other_apps_drop_cached_pages(commit):
    from django.apps import apps
    from django.db.models.signals import post_save

    sidebar_models = ["DonationSettings", "Campaign", "Promotion", "SocialLink", "SidebarBlock"]
    for name in sidebar_models:
        assert post_save.has_listeners(apps.get_model("donations", name)), name
    social_link = apps.get_model("donations", "SocialLink")
    before = generation.current()
    commit(
        lambda: social_link.objects.create(
            network=social_link.Network.values[0], url="https://example.org/us"
        )
    )
    assert generation.current() > before


def test_hot_pages_are_served_from_the_workers_memory_without_a_round_trip(
    client, settings, monkeypatch, commit
):
    settings.PAGE_CACHE_LOCAL_SECONDS = 30
    article = ArticleFactory(title="Hot story")
    url = article.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"

    def no_network(keys):
        raise AssertionError(f"went to the shared cache for {keys}")

    with monkeypatch.context() as patched:
        patched.setattr(middleware, "_get_many", no_network)
        response = client.get(url)
    assert response["X-Cache"] == "hit"
    assert "Hot story" in response.content.decode()

    def edit():  # a change made in this process is seen at once
        article.title = "Cooled story"
        article.save()

    commit(edit)
    assert "Cooled story" in client.get(url).content.decode()


def test_another_servers_publish_shows_once_the_local_generation_expires(client, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0.3
    ArticleFactory(title="First")
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    cache.incr(generation.GENERATION_KEY)  # what another server's bump looks like from here
    time.sleep(0.35)
    assert client.get("/")["X-Cache"] == "miss"


def test_listing_counts_are_kept_until_something_is_published(client, settings, commit):
    settings.PAGE_CACHE_ENABLED = False  # the count cache works without the page cache
    settings.FRAGMENT_CACHE = True  # listing counts are kept with the parts
    for _ in range(12):
        ArticleFactory()

    def counts(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        # The paginator counts by reading the listing's ids (articles.pagination).
        id_reads = [
            q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_article"."id" AS')
        ]
        return id_reads, response

    first, _ = counts("/page/2/")
    assert first  # counted once…
    again, response = counts("/page/2/")
    assert again == []  # …and reused by the next visit
    assert response.context["view"].paginator.count == 12

    commit(lambda: [ArticleFactory() for _ in range(9)])
    recounted, response = counts("/page/2/")
    assert recounted
    assert response.context["view"].paginator.count == 21


@pytest.mark.parametrize(
    "url", ["/", "/page/2/", "/featured/", "/category/energy/", "/tag/oil/", "/author/writer/"]
)
def test_a_listing_whose_parts_are_kept_builds_no_listing_query(client, settings, monkeypatch, url):
    """A signed-in reader's listing, its parts kept: the listing's query is neither run nor even
    put together (that took half the page's time), and the page is the one first rendered."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE = True
    energy = CategoryFactory(slug="energy")
    writer = AuthorFactory(slug="writer")
    for _ in range(25):
        ArticleFactory(primary_category=energy, authors=[writer], tags=["oil"], featured=True)
    first = client.get(url)
    built = []
    original = ArticleQuerySet.published

    def published(queryset):
        built.append(queryset)
        return original(queryset)

    monkeypatch.setattr(ArticleQuerySet, "published", published)
    again = client.get(url)
    assert again.status_code == first.status_code == 200
    assert built == []
    assert again.content == first.content


def test_a_new_release_never_reads_the_previous_releases_pages(client, monkeypatch):
    ArticleFactory(title="Rendered by the old templates")
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    monkeypatch.setattr(middleware, "release", lambda: "the-next-release")
    assert client.get("/")["X-Cache"] == "miss"


def test_the_release_fingerprint_follows_file_contents_not_dates(settings, tmp_path):
    template = tmp_path / "probe.html"
    template.write_text("<p>one</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    def fingerprint() -> str:
        generation.release.cache_clear()
        return generation.release()

    try:
        first = fingerprint()
        template.touch()
        assert fingerprint() == first
        template.write_text("<p>two</p>")
        assert fingerprint() != first
    finally:
        generation.release.cache_clear()


def test_while_one_request_renders_a_changed_page_the_others_get_the_previous_copy(client, commit):
    """After a change every page misses at once: one request renders each page again, and the
    readers arriving meanwhile get the copy from before the change, not a render each."""
    article = ArticleFactory(title="Before the change")
    url = article.get_absolute_url()
    client.get(url)

    def edit():
        article.title = "After the change"
        article.save()

    commit(edit)
    key = middleware.page_key(_request_for(url))
    assert middleware.claim_render(key, generation.current())  # another server's
    response, queries = get_counting_queries(client, url)
    assert response["X-Cache"] == "stale"
    assert "Before the change" in response.content.decode()
    assert queries == 0
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]

    cache.delete(f"{key}:render:{generation.current()}")  # that render failed
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert "After the change" in response.content.decode()
    assert client.get(url)["X-Cache"] == "hit"


def test_the_first_request_after_a_change_renders_and_claims_the_page(client, commit):
    article = ArticleFactory(title="Old words")
    url = article.get_absolute_url()
    client.get(url)
    commit(lambda: ArticleFactory(title="Another story"))
    response = client.get(url)
    assert response["X-Cache"] == "miss"  # nobody else was rendering: no stale copy
    key = middleware.page_key(_request_for(url))
    assert not middleware.claim_render(key, generation.current())


def _rename_menu_item() -> None:
    item = MenuItem.objects.get(label="Economy section")
    item.label = "Business section"
    item.save()


def _reword_notice() -> None:
    block = SidebarBlock.objects.get(kind=SidebarBlock.Kind.TEXT)
    block.body = "<p>Second words</p>"
    block.save()


def _retitle_campaign() -> None:
    campaign = Campaign.objects.get()
    campaign.title = "Summer drive"
    campaign.save()


def _hide_from_popular() -> None:
    PopularOverride.objects.create(
        article=Article.objects.get(title="Much read piece"), action=PopularOverride.Action.HIDE
    )


# (edit, what the page showed, what it shows after the edit commits)
FURNITURE_EDITS = {
    "menu item": (_rename_menu_item, "Economy section", "Business section"),
    "publication settings": (
        lambda: Publication(title="The Long View").save(),
        "Old Gazette",
        "The Long View",
    ),
    "sidebar block": (_reword_notice, "First words", "Second words"),
    "donation settings": (
        lambda: DonationSettings(appeal_heading="Chip in").save(),
        "Support Independent Journalism",
        "Chip in",
    ),
    "campaign": (_retitle_campaign, "Spring drive", "Summer drive"),
    "donation": (
        lambda: DonationFactory(campaign=Campaign.objects.get(), amount=Decimal("50")),
        "<strong>$100</strong> raised",
        "<strong>$150</strong> raised",
    ),
    "popular override": (
        _hide_from_popular,
        ">Much read piece</a></li>",
        ">Less read piece</a></li></ol>",
    ),
}


@pytest.mark.parametrize("edit", FURNITURE_EDITS)
def test_an_edit_to_what_every_page_shows_is_on_the_next_page_served(
    client, settings, commit, edit
):
    """Menu, settings and sidebar are kept under the generation, like pages and parts: nothing is
    cleared by hand, and an edit shows at once, with this process's copies on."""
    settings.FRAGMENT_CACHE = True
    settings.PAGE_CACHE_LOCAL_SECONDS = 30
    category = CategoryFactory(name="Economy")
    MenuItemFactory(label="Economy section", category=category, url="")
    Publication(title="Old Gazette").save()
    for position, kind in enumerate(
        [SidebarBlock.Kind.DONATION_APPEAL, SidebarBlock.Kind.CAMPAIGN, SidebarBlock.Kind.POPULAR]
    ):
        SidebarBlockFactory(kind=kind, position=position)
    SidebarBlockFactory(position=9, title="Notice", body="<p>First words</p>")
    DonationFactory(campaign=CampaignFactory(title="Spring drive"), amount=Decimal("100"))
    read = ArticleFactory(title="Much read piece", primary_category=category)
    ArticleViewDay.objects.create(article=read, date=timezone.localdate(), views=40)
    less_read = ArticleFactory(title="Less read piece")
    ArticleViewDay.objects.create(article=less_read, date=timezone.localdate(), views=4)
    url = ArticleFactory(title="Today's story").get_absolute_url()
    change, shown, changed = FURNITURE_EDITS[edit]
    assert shown in client.get(url).content.decode()
    assert client.get(url)["X-Cache"] == "hit"
    commit(change)
    page = client.get(url).content.decode()
    assert changed in page
    assert shown not in page
