"""Sitemaps: /sitemap.xml is an index of sections — articles by year, categories, tags, authors,
pages, and the Google News sitemap of the last two days — each with its lastmod; /robots.txt
points crawlers to it.

Built on django.contrib.sitemaps, with two changes: addresses use the request's host (not the
sites framework's stored domain), and each section's lastmod is one aggregate query instead of a
loop over its items."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.models import Article, Author, Category, Page, Publication

NEWS_SITEMAP_DAYS = 2
NEWS_SITEMAP_LIMIT = 1000  # Google News reads at most 1,000 articles per sitemap


def sitemap_articles():
    """Articles whose canonical address is here (republished pieces pointing at their source are
    left to the source)."""
    return Article.objects.published().filter(canonical_to_source=False)


class RequestSitemap(Sitemap):
    """A sitemap whose addresses use the host the request came to."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_domain(self, site=None) -> str:
        return self.request.get_host()

    def get_protocol(self, protocol=None) -> str:
        return self.request.scheme


class ArticleYearSitemap(RequestSitemap):
    changefreq = "monthly"

    def __init__(self, request: HttpRequest, year: int) -> None:
        super().__init__(request)
        self.year = year

    def articles(self):
        start = datetime.datetime(self.year, 1, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(self.year + 1, 1, 1, tzinfo=datetime.UTC)
        return sitemap_articles().filter(published_at__gte=start, published_at__lt=end)

    def items(self):
        return (
            self.articles()
            .only("slug", "published_at", "updated_at", "created_at")
            .order_by("published_at", "pk")
        )

    def lastmod(self, article: Article) -> datetime.datetime:
        return max(article.updated_at, article.published_at)

    def get_latest_lastmod(self):
        return self.articles().aggregate(latest=Max(Greatest("updated_at", "published_at")))[
            "latest"
        ]


class CategorySitemap(RequestSitemap):
    changefreq = "daily"

    def items(self):
        """Every category with a live article, filed there as primary or further category."""

        def newest(**link) -> Subquery:
            articles = sitemap_articles().filter(**link).order_by("-published_at")
            return Subquery(articles.values("published_at")[:1])

        as_primary, as_further = (
            newest(primary_category=OuterRef("pk")),
            newest(categories=OuterRef("pk")),
        )
        return (
            Category.objects.annotate(
                # Greatest() is NULL on SQLite when either side is; Coalesce keeps the other.
                latest=Greatest(Coalesce(as_primary, as_further), Coalesce(as_further, as_primary))
            )
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, category: Category):
        return category.latest

    def get_latest_lastmod(self):
        return sitemap_articles().aggregate(latest=Max("published_at"))["latest"]


class TagSitemap(RequestSitemap):
    changefreq = "weekly"

    def items(self):
        tagged = Article.tags.through.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id__in=sitemap_articles().values("pk"),
        )
        return Tag.objects.filter(pk__in=tagged.values("tag_id")).order_by("name")

    def location(self, tag: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def get_latest_lastmod(self):
        return sitemap_articles().aggregate(latest=Max("published_at"))["latest"]


class AuthorSitemap(RequestSitemap):
    changefreq = "weekly"

    def items(self):
        published = Q(articles__in=sitemap_articles())
        return (
            Author.objects.annotate(latest=Max("articles__published_at", filter=published))
            .filter(latest__isnull=False)
            .order_by("display_name")
        )

    def lastmod(self, author: Author):
        return author.latest

    def get_latest_lastmod(self):
        return sitemap_articles().aggregate(latest=Max("published_at"))["latest"]


class PageSitemap(RequestSitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().order_by("title")

    def lastmod(self, page: Page):
        return page.updated_at

    def get_latest_lastmod(self):
        return Page.objects.published().aggregate(latest=Max("updated_at"))["latest"]


def build_sitemaps(request: HttpRequest) -> dict[str, Sitemap]:
    """Every section, newest year first. One query finds the years that have articles."""
    years = (
        sitemap_articles()
        .annotate(year=ExtractYear("published_at", tzinfo=datetime.UTC))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    sections: dict[str, Sitemap] = {
        f"articles-{year}": ArticleYearSitemap(request, year) for year in years
    }
    sections.update(
        categories=CategorySitemap(request),
        tags=TagSitemap(request),
        authors=AuthorSitemap(request),
        pages=PageSitemap(request),
    )
    return sections


def news_articles():
    since = timezone.now() - datetime.timedelta(days=NEWS_SITEMAP_DAYS)
    return (
        sitemap_articles()
        .filter(published_at__gte=since)
        .only("title", "slug", "published_at", "created_at")
        .newest_first()[:NEWS_SITEMAP_LIMIT]
    )


@require_safe
@cache_control(max_age=900, public=True)
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    items = []
    for section, sitemap in build_sitemaps(request).items():
        location = request.build_absolute_uri(
            reverse("sitemap-section", kwargs={"section": section})
        )
        lastmod = sitemap.get_latest_lastmod()
        items.append(sitemap_views.SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            items.append(sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod))
    news_lastmod = (
        sitemap_articles()
        .filter(published_at__gte=timezone.now() - datetime.timedelta(days=NEWS_SITEMAP_DAYS))
        .aggregate(latest=Max("published_at"))["latest"]
    )
    items.append(
        sitemap_views.SitemapIndexItem(
            request.build_absolute_uri(reverse("sitemap-news")), news_lastmod
        )
    )
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
    response["X-Robots-Tag"] = "noindex, noarchive"
    return response


@require_safe
@cache_control(max_age=900, public=True)
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, sitemaps=build_sitemaps(request), section=section)


@require_safe
@cache_control(max_age=300, public=True)
def news_sitemap(request: HttpRequest) -> TemplateResponse:
    """Google News: articles of the last two days, with the publication's name and language."""
    site = Publication.current()
    articles = [
        {
            "location": request.build_absolute_uri(article.get_absolute_url()),
            "title": article.title,
            "published_at": article.published_at,
        }
        for article in news_articles()
    ]
    response = TemplateResponse(
        request,
        "articles/sitemap_news.xml",
        {"articles": articles, "publication_name": site.title, "language": "en"},
        content_type="application/xml",
    )
    response["X-Robots-Tag"] = "noindex, noarchive"
    return response


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        # Result pages are endless combinations of words; crawlers should follow articles instead.
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-news'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
