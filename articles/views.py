"""Reader pages, search, previews and the read-count beacon.

Every list is a `ListingView` over `Article.objects.published()`; each subclass only says
which articles and what the heading is. Date archives are Django's date-based generic views.
What a page shows is rendered inside `{% cache %}` parts (see the templates and `pagecache`), so
what a part shows is handed to the template unevaluated (a listing's page as a callable, see
`ListingView`): when a part is kept, its queries are never built, let alone run.
"""

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import InvalidPage
from django.core.paginator import Page as PageOfArticles
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import (
    DayArchiveView,
    DetailView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)
from taggit.models import Tag

from articles import popular
from articles.models import Article, Author, Category, Page
from articles.pagination import ListingPaginator, pagination_links
from articles.related import related_articles
from articles.rows import listed_articles, live_article, live_condition_sql, live_parameters
from articles.search import (
    CANDIDATES,
    SearchFilters,
    clean_query,
    link_facets,
    page_links,
    parse_filters,
    search,
)
from articles.seo import conditional_article_response
from articles.tasks import flush_view_counts_task

logger = logging.getLogger(__name__)

LISTING_PAGE_SIZE = 10
FEATURED_ON_HOME = 4


def by_slug_or_404(model, slug: str):
    """The `model` row whose (unique) slug is `slug`, else a 404. A fixed statement: through the
    ORM, asking for the row took twice as long as reading it (0.4 ms against 0.2), a fifth of a
    category or tag page whose parts are kept."""
    table = connection.ops.quote_name(model._meta.db_table)
    found = list(model.objects.raw(f"SELECT * FROM {table} WHERE slug = %s", [slug]))
    if not found:
        raise Http404(f"No {model._meta.verbose_name} with that address.")
    return found[0]


class ListingMixin:
    """A paginated list of published articles; `/page/N/` addresses its pages, as WordPress does.
    Shared by the listings (`ListingView`) and the date archives (Django's date views)."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = LISTING_PAGE_SIZE
    page_kwarg = "page"
    heading = ""
    description = ""

    def get(self, request, *args, **kwargs):
        page = kwargs.get("page")
        if page == 0:
            raise Http404("There is no page 0.")
        if page == 1:
            return HttpResponsePermanentRedirect(self.page_url(1))
        return super().get(request, *args, **kwargs)

    def get_articles(self):
        return Article.objects.published()

    def get_queryset(self):
        # Only the order: the paginator reads the shown page's rows, with what the cards show, by
        # their ids (`listed_articles`).
        return self.get_articles().newest_first()

    def get_paginator(self, queryset, *args, **kwargs):
        # Asked for by the date views (ListView's pagination), with the query already built.
        return self.listing_paginator(lambda: queryset)

    def listing_paginator(self, articles) -> ListingPaginator:
        match = self.request.resolver_match
        arguments = "".join(f":{k}={v}" for k, v in sorted(match.kwargs.items()) if k != "page")
        return ListingPaginator(
            articles,
            self.paginate_by,
            number=self.requested_page_number(),
            count_key=f"count:{match.view_name}{arguments}",
            rows=listed_articles,
        )

    @cached_property
    def asked_page(self) -> str | int:
        """The page the address asks for, as ListView reads it: /page/N/, else ?page=N (a number,
        or "last")."""
        return self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1

    def requested_page_number(self) -> int:
        """The asked page's number; what cannot be read is page 1 here, and is a 404 later."""
        try:
            return int(self.asked_page)
        except ValueError:
            return 1

    def page_url(self, number: int) -> str:
        match = self.request.resolver_match
        kwargs = {key: value for key, value in match.kwargs.items() if key != "page"}
        if number > 1:
            kwargs["page"] = number
        return reverse(f"{match.namespace}:{match.url_name}", kwargs=kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.get_heading(context),
            description=self.description,
            **pagination_links(lambda: self.shown_page(context), self.page_url),
        )
        return context

    def shown_page(self, context: dict) -> PageOfArticles:
        return context["page_obj"]

    def get_heading(self, context: dict) -> str:
        return self.heading


class ListingView(ListingMixin, TemplateView):
    """A listing whose query and page are left to its template. ListView builds both before the
    template runs, which took half the time of a page whose parts are kept (the home page: 0.7 of
    1.35 ms), and the kept part never reads them. Here `page_obj` and `articles` reach the
    template as callables, which it calls where it first reads them: inside the kept part. An
    address past the last page is still a 404, from the count, which is kept with the parts."""

    @cached_property
    def paginator(self) -> ListingPaginator:
        return self.listing_paginator(self.get_queryset)

    @cached_property
    def page(self) -> PageOfArticles:
        asked = self.asked_page
        return self.paginator.page(self.paginator.num_pages if asked == "last" else asked)

    def get_context_data(self, **kwargs):
        if self.asked_page != "last":
            try:
                self.paginator.validate_number(self.asked_page)
            except InvalidPage as error:
                raise Http404(str(error)) from error
        return super().get_context_data(
            page_obj=lambda: self.page, articles=lambda: self.page.object_list, **kwargs
        )

    def shown_page(self, context: dict) -> PageOfArticles:
        return self.page


class HomeView(ListingView):
    """The front page: the newest featured articles on top, then Latest, which leaves them out
    (on every page, so the pages stay consistent) rather than showing them twice."""

    template_name = "articles/home.html"

    @staticmethod
    def featured_on_top() -> QuerySet:
        return Article.objects.published().filter(featured=True).newest_first()

    def get_articles(self):
        # Still one query: the featured articles shown on top are a subquery.
        shown_on_top = self.featured_on_top().values("pk")[:FEATURED_ON_HOME]
        return Article.objects.published().exclude(pk__in=shown_on_top)

    @cached_property
    def featured_articles(self) -> list[Article]:
        """The featured articles on top of page 1; read by the template as `view.featured_articles`,
        so it is not even built when the kept part is used."""
        if self.requested_page_number() != 1:
            return []
        return listed_articles(self.featured_on_top().values("pk")[:FEATURED_ON_HOME])


class FeaturedView(ListingView):
    heading = "Featured"

    def get_articles(self):
        return Article.objects.published().filter(featured=True)


class CategoryView(ListingView):
    def get(self, request, *args, **kwargs):
        self.category = by_slug_or_404(Category, kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_articles(self):
        return Article.objects.published().in_category(self.category)

    def get_heading(self, context: dict) -> str:
        return self.category.name

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs) | {
            "description": self.category.description
        }


class TagView(ListingView):
    def get(self, request, *args, **kwargs):
        self.tag = by_slug_or_404(Tag, kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_articles(self):
        return Article.objects.published().filter(tags=self.tag)

    def get_heading(self, context: dict) -> str:
        return f"Tagged “{self.tag.name}”"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(ListingView):
    template_name = "articles/author.html"

    def get(self, request, *args, **kwargs):
        self.author = by_slug_or_404(Author, kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_articles(self):
        return Article.objects.published().filter(authors=self.author)

    def get_heading(self, context: dict) -> str:
        return self.author.display_name

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class DateArchiveMixin(ListingMixin):
    """Articles of one year, month or day: /2017/, /2017/11/, /2017/11/04/. An impossible date
    (/2017/02/30/, /2017/00/) is a 404 from the generic view."""

    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    allow_empty = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The pages list articles, not the months or days that have some: skip that query.
        return []


class YearView(DateArchiveMixin, YearArchiveView):
    make_object_list = True

    def get_heading(self, context: dict) -> str:
        return str(context["year"].year)


class MonthView(DateArchiveMixin, MonthArchiveView):
    def get_heading(self, context: dict) -> str:
        return format_date(context["month"], "F Y")


class DayView(DateArchiveMixin, DayArchiveView):
    def get_heading(self, context: dict) -> str:
        return format_date(context["day"], "F j, Y")


class ArchivesView(TemplateView):
    """Every year and month that has articles, with counts."""

    template_name = "articles/archives.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=self.years, **kwargs)

    def years(self) -> list[dict]:
        months = (
            Article.objects.published()
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("id"))
            .order_by("-month")
        )
        years: dict[int, dict] = {}
        for row in months:
            month = row["month"]
            year = years.setdefault(month.year, {"year": month.year, "count": 0, "months": []})
            year["count"] += row["count"]
            year["months"].append({"date": month, "count": row["count"]})
        return list(years.values())


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None) -> Article:
        # The row alone, in a statement written as SQL (articles.rows): through the ORM, asking
        # for it took longer than reading it, on every article page.
        article = live_article(self.kwargs["slug"])
        if article is None:
            raise Http404("No article found matching the query")
        return article

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # The slug names the article; a date that no longer matches (rescheduled) moves permanently.
        if request.path != self.object.get_absolute_url():
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        # ETag/Last-Modified: a reader or crawler polling an unchanged article gets a 304.
        return conditional_article_response(
            request,
            self.object,
            lambda: self.render_to_response(self.get_context_data(object=self.object)),
        )

    @cached_property
    def adjacent_articles(self) -> dict:
        return adjacent_articles(self.object)

    @cached_property
    def related_articles(self) -> list[dict]:
        return related_articles(self.object)


# The two neighbours in one statement, written as SQL: built through the ORM, the union of two
# one-row queries took 1.8 ms to put together, a sixth of an article page, and 0.3 ms to run. Its
# condition is published()'s (`live_condition_sql`). Each side bounds the publish time on both
# ends, so the index scan starts at the article: with the bound on one end only, the next link of
# an article 1,000 down took a scan of the 49,000 before it (11 ms). A subquery on each side, as
# SQLite allows no LIMIT inside a UNION.
ADJACENT_ARTICLES_SQL = f"""
SELECT * FROM (
    SELECT id, title, slug, published_at, created_at FROM articles_article
    WHERE {live_condition_sql("articles_article")}
        AND published_at <= %(when)s AND (published_at < %(when)s OR id < %(pk)s)
    ORDER BY published_at DESC, id DESC LIMIT 1
) AS previous
UNION ALL
SELECT * FROM (
    SELECT id, title, slug, published_at, created_at FROM articles_article
    WHERE {live_condition_sql("articles_article")}
        AND published_at >= %(when)s AND (published_at > %(when)s OR id > %(pk)s)
    ORDER BY published_at, id LIMIT 1
) AS following
"""


def adjacent_articles(article: Article) -> dict:
    """The published articles just before and after `article`, for previous/next links (on
    PostgreSQL two one-row index scans)."""
    when = article.published_at or timezone.now()
    neighbours = Article.objects.raw(
        ADJACENT_ARTICLES_SQL, {**live_parameters(), "when": when, "pk": article.pk}
    )
    found = {"previous_article": None, "next_article": None}
    for neighbour in neighbours:
        is_later = (neighbour.published_at, neighbour.pk) > (when, article.pk)
        found["next_article" if is_later else "previous_article"] = neighbour
    return found


class PageView(DetailView):
    template_name = "articles/page.html"
    context_object_name = "page"
    slug_field = "path"
    slug_url_kwarg = "path"

    def get_queryset(self):
        return Page.objects.published()


def search_view(request: HttpRequest) -> TemplateResponse:
    """GET /search/?q=…&category=…&author=…&year=…&page=…: never an error for what a reader types
    (articles.search does the searching)."""
    query, notices = clean_query(request.GET.get("q", ""))
    filters = parse_filters(request.GET, notices) if query else SearchFilters()
    results = search(
        query, filters=filters, page_number=request.GET.get("page", 1), notices=notices
    )
    link_facets(results, request.GET)
    return TemplateResponse(
        request,
        "articles/search.html",
        {
            "query": query,
            "results": results,
            "candidates": CANDIDATES,
            "filters": filters,
            "page_obj": results.page,
            **page_links(results.page, request.GET),
        },
    )


@never_cache
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """An unpublished (or any) article in the site's real layout, for its writers and the editor.
    Readers and other contributors get a 404, as if the article did not exist. Never cached (by
    browsers, proxies or the page cache; its parts render every time) and not indexed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    article = get_object_or_404(
        Article.objects.select_related("primary_category", "featured_image").prefetch_related(
            "authors", "categories", "tags"
        ),
        pk=pk,
    )
    if not article.is_previewable_by(request.user):
        raise Http404("No article to preview here.")
    response = render(
        request,
        "articles/article_preview.html",
        # parts_seconds=0: its parts are never kept (a preview shows the draft as it is now).
        {"article": article, "object": article, "is_preview": True, "parts_seconds": 0},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt  # posted by pages that may come from the full-page cache, so they carry no token
@require_POST
def beacon_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /api/views/<pk>/ from static/js/beacon.js: count the read (articles.popular), answer
    204 whatever happens (the reader's browser does nothing with the answer)."""
    popular.record_view(request, pk)
    if popular.flush_is_due():
        if popular.cache_is_process_local():
            # Local-memory cache (development): a worker process could not see these counters.
            popular.flush_view_counts()
        else:
            try:
                flush_view_counts_task.enqueue()
            except (
                Exception
            ):  # a queue outage must not turn reads into errors; the schedule flushes too
                logger.exception("Could not queue the view-count flush")
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
