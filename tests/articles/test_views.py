"""The reader pages: every public URL, who may see what, pagination edges, 404s and the layout."""

import datetime
import re

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import views
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    MenuItemFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


# --- Every URL of the issue ----------------------------------------------------------------------


@pytest.fixture
def filed_article():
    category = CategoryFactory(name="Energy", slug="energy", description="Oil, gas and power.")
    author = AuthorFactory(display_name="Dana Writer", slug="dana-writer", bio="Writes on oil.")
    return ArticleFactory(
        title="Oil below zero",
        slug="oil-below-zero",
        primary_category=category,
        authors=[author],
        tags=["Oil", "Futures"],
        published_at=datetime.datetime(2020, 4, 21, 15, 10, tzinfo=datetime.UTC),
    )


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "Latest"),
        ("/featured/", "Featured"),
        ("/category/energy/", "Energy"),
        ("/tag/oil/", "Tagged “Oil”"),
        ("/author/dana-writer/", "Dana Writer"),
        ("/2020/", "2020"),
        ("/2020/04/", "April 2020"),
        ("/2020/04/21/", "April 21, 2020"),
        ("/archives/", "Archives"),
        ("/2020/04/21/oil-below-zero/", "Oil below zero"),
    ],
)
def test_every_reader_url_answers_with_its_heading(client, filed_article, url, heading):
    filed_article.featured = True
    filed_article.save()
    response = client.get(url)
    assert response.status_code == 200, url
    html = text_of(response)
    assert heading in html
    if url != "/archives/":
        assert "Oil below zero" in html


def test_static_page_is_served_at_its_slug_and_sanitised(client):
    PageFactory(title="About us", slug="about", body="<p>Who we are</p><script>x()</script>")
    response = client.get("/about/")
    assert response.status_code == 200
    html = text_of(response)
    assert '<h1 class="entry-title">About us</h1>' in html
    assert "Who we are" in html and "<script>x()" not in html


def test_unpublished_page_is_404(client):
    PageFactory(slug="hidden", published=False)
    assert client.get("/hidden/").status_code == 404


def test_category_lists_articles_filed_there_as_primary_or_further_category(client):
    energy = CategoryFactory(slug="energy")
    primary = ArticleFactory(primary_category=energy, title="Primary energy piece")
    further = ArticleFactory(title="Further energy piece")
    further.categories.add(energy)
    elsewhere = ArticleFactory(title="Unrelated piece")
    html = text_of(client.get("/category/energy/"))
    assert primary.title in html and further.title in html
    assert elsewhere.title not in html
    assert html.count("Primary energy piece") == 1  # listed once even when filed twice


def test_date_archives_hold_only_their_own_dates(client):
    ArticleFactory(
        title="March piece", published_at=datetime.datetime(2019, 3, 4, 12, tzinfo=datetime.UTC)
    )
    ArticleFactory(
        title="Other March day",
        published_at=datetime.datetime(2019, 3, 9, 12, tzinfo=datetime.UTC),
    )
    ArticleFactory(
        title="January piece", published_at=datetime.datetime(2020, 1, 2, 12, tzinfo=datetime.UTC)
    )
    year = text_of(client.get("/2019/"))
    assert "March piece" in year and "Other March day" in year and "January piece" not in year
    day = text_of(client.get("/2019/03/04/"))
    assert "March piece" in day and "Other March day" not in day
    assert client.get("/2021/").status_code == 200  # an empty year is an empty list, not an error


def test_archives_list_every_year_and_month_with_counts(client):
    ArticleFactory(published_at=datetime.datetime(2019, 3, 4, 12, tzinfo=datetime.UTC))
    ArticleFactory(published_at=datetime.datetime(2019, 3, 9, 12, tzinfo=datetime.UTC))
    ArticleFactory(published_at=datetime.datetime(2020, 1, 2, 12, tzinfo=datetime.UTC))
    ArticleFactory(draft=True)
    html = text_of(client.get(reverse("articles:archives")))
    assert 'href="/2019/"' in html and 'href="/2020/"' in html
    assert re.search(r'href="/2019/03/".*?>2<', html, re.S)
    assert re.search(r'href="/2020/01/".*?>1<', html, re.S)
    assert "3 articles" not in html  # the draft is not counted
    assert html.index('href="/2020/"') < html.index('href="/2019/"')  # newest year first


# --- Visibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("trait", ["draft", "in_review", "scheduled"])
def test_unpublished_articles_are_unreachable_everywhere(client, trait):
    category = CategoryFactory(slug="news")
    author = AuthorFactory(slug="someone")
    hidden = ArticleFactory(
        title="Hidden piece",
        primary_category=category,
        authors=[author],
        tags=["Secret"],
        featured=True,
        **{trait: True},
    )
    ArticleFactory(title="Visible piece", primary_category=category, authors=[author])
    day = hidden.local_date
    for url in [
        "/",
        "/featured/",
        "/category/news/",
        "/author/someone/",
        f"/{day.year}/",
        f"/{day.year}/{day.month:02d}/",
        "/archives/",
    ]:
        assert "Hidden piece" not in text_of(client.get(url)), url
    assert client.get("/tag/secret/").status_code in {200, 404}
    assert "Hidden piece" not in text_of(client.get("/tag/secret/"))
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_published_article_with_a_future_time_is_not_yet_visible(client):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in text_of(client.get("/"))


@pytest.mark.no_production_cache  # the clock is faked by moving the publish time
def test_scheduled_article_appears_by_itself_when_its_time_comes(client):
    article = ArticleFactory(scheduled=True, title="Tomorrow's column")
    assert client.get(article.get_absolute_url()).status_code == 404
    # Time passes: nothing flips the status, the publish time simply lies in the past now.
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Tomorrow&#x27;s column" in text_of(client.get("/"))


def test_article_with_an_outdated_date_redirects_to_its_permalink(client):
    article = ArticleFactory()
    response = client.get(f"/2001/01/01/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


# --- Pagination ----------------------------------------------------------------------------------


@pytest.fixture
def two_and_a_bit_pages():
    """Enough articles for three listing pages, all in one category, by one author, with one tag."""
    category = CategoryFactory(slug="paged")
    author = AuthorFactory(slug="prolific")
    return ArticleFactory.create_batch(
        views.LISTING_PAGE_SIZE * 2 + 1, primary_category=category, authors=[author], tags=["p"]
    )


@pytest.mark.parametrize("base", ["/", "/category/paged/", "/tag/p/", "/author/prolific/"])
def test_pagination_edges(client, two_and_a_bit_pages, base):
    newest_first = sorted(two_and_a_bit_pages, key=lambda a: a.published_at, reverse=True)
    first = text_of(client.get(base))
    assert f'href="{base}page/2/"' in first and f'href="{base}page/3/"' in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert newest_first[0].title in first
    # Page 1 has one address: /page/1/ moves there permanently.
    response = client.get(f"{base}page/1/")
    assert response.status_code == 301 and response["Location"] == base
    last = client.get(f"{base}page/3/")
    assert last.status_code == 200
    last_html = text_of(last)
    assert newest_first[-1].title in last_html and newest_first[0].title not in last_html
    assert 'rel="prev"' in last_html and 'rel="next"' not in last_html
    assert "Page 3 of 3" in last_html or base == "/"
    for missing in ["page/0/", "page/4/", "page/99999999999/", "?page=abc", "?page=0", "?page=-1"]:
        assert client.get(base + missing).status_code == 404, base + missing
    assert client.get(f"{base}page/abc/").status_code == 404


def test_listings_count_only_as_far_as_their_links_reach(client, two_and_a_bit_pages, monkeypatch):
    monkeypatch.setattr(views.ListingPaginator, "PAGES_AHEAD", 0)  # count one page past the shown
    with CaptureQueriesContext(connection) as queries:
        first = text_of(client.get("/category/paged/"))
    # The count reads the listing's ids in order, as far as the links reach (the shown page's
    # rows are then read by those ids).
    counts = [q["sql"] for q in queries if q["sql"].startswith('SELECT "articles_article"."id" AS')]
    assert len(counts) == 1 and counts[0].endswith("LIMIT 11")
    # Page 2 exists; what lies past it is not counted, so no last page is claimed.
    assert 'href="/category/paged/page/2/"' in first and "/page/3/" not in first
    assert '<span class="pagination__gap">…</span>' in first and 'rel="next"' in first
    second = text_of(client.get("/category/paged/page/2/"))
    assert "Page 2</p>" in second and 'rel="next"' in second
    # From page 3 the count reaches the end: the last page says so.
    last = text_of(client.get("/category/paged/page/3/"))
    assert "Page 3 of 3" in last and 'rel="next"' not in last and "…" not in last
    assert "More than 10 articles" in text_of(client.get("/author/prolific/"))
    assert "21 articles" in text_of(client.get("/author/prolific/page/3/"))


def test_a_page_whose_count_was_kept_reads_only_its_slice_in_order(
    client, settings, two_and_a_bit_pages
):
    """The count is kept with the page's parts but can outlive them (a part expires, or another
    page of the listing kept it): the page then reads just its slice of ids, and their rows, and
    shows the same articles in the same order as when it counted."""
    from django.core.cache import caches

    from pagecache import generation

    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE = True
    counted = text_of(client.get("/category/paged/page/2/"))
    limit = (2 + views.ListingPaginator.PAGES_AHEAD) * views.LISTING_PAGE_SIZE + 1
    count_key = f"count:articles:category:slug=paged:{limit}"
    parts = caches["template_fragments"]
    assert parts.get(count_key) == len(two_and_a_bit_pages)
    generation.bump()  # every part dropped…
    parts.set(count_key, len(two_and_a_bit_pages), None)  # …but the count
    with CaptureQueriesContext(connection) as queries:
        sliced = text_of(client.get("/category/paged/page/2/"))
    titles = re.compile(r'class="card__title"><a href="[^"]+">([^<]+)</a>')
    assert titles.findall(sliced) == titles.findall(counted)
    assert len(titles.findall(sliced)) == views.LISTING_PAGE_SIZE
    assert not any(f"LIMIT {limit}" in q["sql"] for q in queries)  # not counted again


def test_a_single_page_listing_shows_no_pagination(client):
    ArticleFactory.create_batch(2)
    assert 'class="pagination"' not in text_of(client.get("/"))


# --- 404s ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/category/nope/",
        "/tag/nope/",
        "/author/nope/",
        "/no-such-page/",
        "/2017/13/",
        "/2017/00/",
        "/2017/02/30/",
        "/2017/11/04/not-an-article/",
        "/2017/11/04/not-an-article/extra/",
        "/category/nope/page/2/",
    ],
)
def test_unknown_addresses_are_404_in_the_site_layout(client, url):
    ArticleFactory()
    response = client.get(url)
    assert response.status_code == 404
    html = text_of(response)
    assert "Page not found" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert html.count("<h1") == 1


# --- The rendered page's key parts --------------------------------------------------------------


def test_article_page_shows_all_its_parts(client):
    category = CategoryFactory(name="Middle East", slug="middle-east")
    further = CategoryFactory(name="History", slug="history")
    first = AuthorFactory(display_name="Ada Writer", slug="ada-writer", bio="Ada's bio.")
    second = AuthorFactory(display_name="Bo Writer", slug="bo-writer")
    article = ArticleFactory(
        title="The long view",
        dek="A dek under the title.",
        primary_category=category,
        authors=[first, second],
        tags=["Syria"],
        source_name="The Levant Review",
        source_url="https://levant.example/original",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_caption="A caption for the video",
        video_added_by="Juan",
        with_image=True,
    )
    article.categories.add(further)
    before = ArticleFactory(
        title="The piece before", published_at=article.published_at - datetime.timedelta(days=1)
    )
    after = ArticleFactory(
        title="The piece after", published_at=article.published_at + datetime.timedelta(hours=1)
    )
    response = client.get(article.get_absolute_url())
    html = text_of(response)
    assert response.status_code == 200
    assert html.count("<h1") == 1 and '<h1 class="entry-title">The long view</h1>' in html
    assert '<p class="kicker"><a href="/category/middle-east/">Middle East</a></p>' in html
    assert "A dek under the title." in html
    assert 'By <a href="/author/ada-writer/" rel="author">Ada Writer</a> and <a' in html
    assert f'datetime="{article.published_at.isoformat()}"' in html
    for network in ("twitter.com/intent", "facebook.com/sharer", "reddit.com/submit", "bsky.app"):
        assert network in html
    assert 'href="mailto:?subject=The%20long%20view' in html
    assert 'Source:</span> <a href="https://levant.example/original"' in html
    assert 'Via <a href="https://levant.example/original"' in html
    assert "First paragraph of the body." in html
    assert 'width="120" height="80"' in html and 'alt="A red rectangle"' in html
    assert "Related video added by Juan" in html and "A caption for the video" in html
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "<iframe" not in html  # the player loads only when the reader clicks
    filed = html[html.index("Filed Under:") :]
    for href in ('"/category/middle-east/"', '"/category/history/"', '"/tag/syria/"'):
        assert href in filed
    assert "Ada&#x27;s bio." in html and "More by Ada Writer" in html
    assert f'href="{before.get_absolute_url()}" rel="prev"' in html
    assert f'href="{after.get_absolute_url()}" rel="next"' in html


def test_adjacent_articles_are_the_published_neighbours(client):
    """Previous/next skip drafts, articles in review and scheduled ones not yet out; articles
    published at the same moment follow one another by id."""
    moment = timezone.now() - datetime.timedelta(days=3)
    older = ArticleFactory(published_at=moment - datetime.timedelta(hours=2))
    ArticleFactory(status=Article.Status.DRAFT, published_at=moment - datetime.timedelta(hours=1))
    first, second, third = (ArticleFactory(published_at=moment) for _ in range(3))
    ArticleFactory(in_review=True)
    ArticleFactory(scheduled=True)
    newer = ArticleFactory(published_at=moment + datetime.timedelta(hours=1))
    ArticleFactory(status=Article.Status.DRAFT, published_at=moment + datetime.timedelta(minutes=5))

    def neighbours(article):
        found = views.adjacent_articles(article)
        return found["previous_article"], found["next_article"]

    assert neighbours(older) == (None, first)
    assert neighbours(first) == (older, second)
    assert neighbours(second) == (first, third)
    assert neighbours(third) == (second, newer)
    assert neighbours(newer) == (third, None)
    previous = neighbours(second)[0]
    assert (previous.title, previous.get_absolute_url()) == (first.title, first.get_absolute_url())


def test_article_without_optional_parts_renders_cleanly(client):
    article = ArticleFactory(
        primary_category=None, dek="", source_name="", video_url="", authors=[]
    )
    html = text_of(client.get(article.get_absolute_url()))
    assert 'class="kicker"' not in html
    assert "Via " not in html and "Related video" not in html
    assert 'rel="prev"' not in html and 'rel="next"' not in html


def test_layout_has_landmarks_skip_links_and_one_h1(client):
    ArticleFactory(with_image=True)
    MenuItemFactory(label="Archives", url="/archives/")
    for url in ["/", "/archives/"]:
        html = text_of(client.get(url))
        assert html.count("<h1") == 1, url
        for landmark in (
            '<header class="site-header"',
            '<nav class="site-nav"',
            '<main id="content"',
            '<aside id="sidebar"',
            '<footer class="site-footer"',
        ):
            assert landmark in html, (url, landmark)
        assert '<a class="skip-link" href="#content">Skip to content</a>' in html
        assert '<a class="skip-link" href="#sidebar">Skip to primary sidebar</a>' in html
    header = html[html.index('<header class="site-header"') : html.index('<nav class="site-nav"')]
    assert (
        'role="search" aria-label="Site search" method="get" action="/search/"' in header
        and 'name="q"' in header
    )
    assert 'href="/newsletter/"' in header and 'href="/donate/"' in header
    archives = text_of(client.get("/archives/"))
    assert '<a href="/archives/" aria-current="page">Archives</a>' in archives


def test_images_in_listings_carry_their_size_against_layout_shift(client):
    ArticleFactory.create_batch(2, with_image=True)
    html = text_of(client.get("/"))
    images = re.findall(r"<img [^>]+>", html)
    assert images
    for tag in images:
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag), tag
        assert 'alt="' in tag, tag


def test_cards_and_the_article_page_draw_the_pictures_renditions(client):
    """Listings and the article page read their rows with SQL written by hand (articles.rows):
    the image's renditions (JSON) still become a <picture> with its WebP and original sizes, the
    section and the bylines in name order come with the row."""
    category = CategoryFactory(name="Economy", slug="economy")
    article = ArticleFactory(
        with_image=True,
        primary_category=category,
        authors=[
            AuthorFactory(display_name="Zoe Writer"),
            AuthorFactory(display_name="Ann Writer"),
        ],
    )
    image = article.featured_image
    image.renditions = {
        "webp": [{"url": f"/media/renditions/pic-{w}w.webp", "width": w} for w in (480, 800)],
        "original": [{"url": f"/media/renditions/pic-{w}w.jpg", "width": w} for w in (480, 800)],
    }
    image.save()
    webp = 'srcset="/media/renditions/pic-480w.webp 480w, /media/renditions/pic-800w.webp 800w"'
    for url in ("/", "/category/economy/", article.get_absolute_url()):
        html = text_of(client.get(url))
        assert '<source type="image/webp" ' + webp in html, url
        assert 'src="/media/renditions/pic-800w.jpg"' in html, url
        assert '<a href="/category/economy/">Economy</a>' in html, url
        byline = html.index(">Ann Writer</a>")
        assert byline < html.index(">Zoe Writer</a>", byline), url


def test_footer_shows_copyright_and_menu_links(client):
    category = CategoryFactory(name="Economy", slug="economy")
    about = PageFactory(title="About", slug="about")
    MenuItemFactory(label="Economy", category=category, url="")
    MenuItemFactory(label="About", page=about, url="")
    html = text_of(client.get("/"))
    footer = html[html.index('<footer class="site-footer"') :]
    assert f"&copy; {timezone.now().year}" in footer
    assert 'href="/category/economy/"' in footer and 'href="/about/"' in footer
    assert 'href="/archives/"' in footer
    assert "csrfmiddlewaretoken" not in html  # the shared layout must stay cacheable


# --- Error pages ---------------------------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("connection refused (test)")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_500_page_renders_with_the_database_down(database_down):
    html = loader.render_to_string("500.html")
    assert "<h1>Something went wrong on our side</h1>" in html
    assert "{%" not in html and "extends" not in html


def test_a_crashing_view_answers_with_the_500_page(client, settings, monkeypatch):
    settings.DEBUG = False

    def crash(self):
        raise RuntimeError("bug in a view")

    monkeypatch.setattr(views.HomeView, "get_queryset", crash)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    html = text_of(response)
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html
