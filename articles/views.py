"""Reader pages. Every list is an `ArticleListView` over `Article.objects.published()`; each subclass
only says which articles and what the heading is.

The templates keep their main part in a `{% fragment %}` (config/fragments.py), so what only that
part shows is handed over unevaluated (querysets, methods, cached properties of the view): when
the part is kept, the page runs none of its queries."""

import copy
import datetime
from collections.abc import Callable

from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles.models import Article, Author, Category, Page
from articles.related import related_articles
from articles.seo import conditional_article_response
from config.fragments import keep
from config.page_cache import CountCachingPaginator

LISTING_PAGE_SIZE = 10
FEATURED_ON_HOME = 4


class LazyQuerySet:
    """A queryset built only when read. Building one costs more than the rest of a page assembled
    from kept parts, and such a page never reads it. Slices stay lazy, so the paginator can cut
    a page out of it; anything else builds it."""

    ordered = True  # for the paginator's check: every listing sorts newest first

    def __init__(self, build: Callable[[], QuerySet]):
        self._build = build

    @cached_property
    def queryset(self) -> QuerySet:
        return self._build()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return LazyQuerySet(lambda: self.queryset[index])
        return self.queryset[index]

    def __iter__(self):
        return iter(self.queryset)

    def __len__(self) -> int:
        return len(self.queryset)

    def __bool__(self) -> bool:
        return bool(self.queryset)

    def count(self) -> int:
        return self.queryset.count()


class ArticleListView(ListView):
    """A paginated list of published articles; `/page/N/` addresses its pages, as WordPress does."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = LISTING_PAGE_SIZE
    heading = ""
    description = ""

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # The count is cached per listing (view and its arguments, not the page number).
        match = self.request.resolver_match
        arguments = sorted((k, str(v)) for k, v in match.kwargs.items() if k != "page")
        return CountCachingPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_scope=f"{match.view_name}:{arguments}",
            **kwargs,
        )

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
        return LazyQuerySet(lambda: self.get_articles().for_listing().newest_first())

    def page_url(self, number: int) -> str:
        match = self.request.resolver_match
        kwargs = {key: value for key, value in match.kwargs.items() if key != "page"}
        if number > 1:
            kwargs["page"] = number
        return reverse(f"{match.namespace}:{match.url_name}", kwargs=kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        context.update(
            heading=self.get_heading(),
            description=self.description,
            previous_page_url=page.has_previous() and self.page_url(page.previous_page_number()),
            next_page_url=page.has_next() and self.page_url(page.next_page_number()),
            # A callable: the template calls it only when it renders the pagination.
            page_links=lambda: self.page_links(page),
        )
        return context

    def page_links(self, page) -> list[tuple]:
        if not page:
            return []
        return [
            (number, number if number == page.paginator.ELLIPSIS else self.page_url(number))
            for number in page.paginator.get_elided_page_range(page.number, on_each_side=2)
        ]

    def get_heading(self) -> str:
        return self.heading


class HomeView(ArticleListView):
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context["featured_articles"] = LazyQuerySet(
                lambda: self.featured_on_top().for_listing()[:FEATURED_ON_HOME]
            )
        return context


class FeaturedView(ArticleListView):
    heading = "Featured"

    def get_articles(self):
        return Article.objects.published().filter(featured=True)


class CategoryView(ArticleListView):
    @cached_property
    def category(self) -> Category:
        slug = self.kwargs["slug"]
        return keep(("category", slug), lambda: get_object_or_404(Category, slug=slug))

    def get_articles(self):
        return Article.objects.published().in_category(self.category)

    def get_heading(self) -> str:
        return self.category.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(category=self.category, description=self.category.description)
        return context


class TagView(ArticleListView):
    @cached_property
    def tag(self) -> Tag:
        slug = self.kwargs["slug"]
        return keep(("tag", slug), lambda: get_object_or_404(Tag, slug=slug))

    def get_articles(self):
        return Article.objects.published().filter(tags=self.tag)

    def get_heading(self) -> str:
        return f"Tagged “{self.tag.name}”"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(ArticleListView):
    template_name = "articles/author.html"

    @cached_property
    def author(self) -> Author:
        slug = self.kwargs["slug"]
        return keep(("author", slug), lambda: get_object_or_404(Author, slug=slug))

    def get_articles(self):
        return Article.objects.published().filter(authors=self.author)

    def get_heading(self) -> str:
        return self.author.display_name

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class DateArchiveView(ArticleListView):
    """Articles of one year, month or day: /2017/, /2017/11/, /2017/11/04/."""

    @cached_property
    def date(self) -> datetime.date:
        month = self.kwargs.get("month")
        day = self.kwargs.get("day")
        try:
            # /2017/00/ is no month: only a missing part defaults to 1.
            return datetime.date(
                self.kwargs["year"], 1 if month is None else month, 1 if day is None else day
            )
        except ValueError:
            raise Http404("No such date.") from None

    def get_articles(self):
        # (An impossible date is a 404 through the heading, which reads `self.date`.)
        year = self.kwargs["year"]
        month = self.kwargs.get("month")
        day = self.kwargs.get("day")
        articles = Article.objects.published().filter(published_at__year=year)
        if month:
            articles = articles.filter(published_at__month=month)
        if day:
            articles = articles.filter(published_at__day=day)
        return articles

    def get_heading(self) -> str:
        if "day" in self.kwargs:
            return format_date(self.date, "F j, Y")
        if "month" in self.kwargs:
            return format_date(self.date, "F Y")
        return str(self.date.year)


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

    def get_queryset(self):
        return Article.objects.published().select_related("primary_category", "featured_image")

    def get(self, request, *args, **kwargs):
        found = keep(("article", self.kwargs["slug"]), self.get_object)
        # The slug names the article; a date that no longer matches (rescheduled) moves permanently.
        if request.path != found.get_absolute_url():
            return HttpResponsePermanentRedirect(found.get_absolute_url())
        # Authors and terms load only if a part that shows them is rendered.
        self.object = SimpleLazyObject(lambda: self.with_authors_and_terms(found))
        # ETag/Last-Modified: a reader or crawler polling an unchanged article gets a 304.
        return conditional_article_response(
            request, found, lambda: self.render_to_response(self.get_context_data())
        )

    @staticmethod
    def with_authors_and_terms(found: Article) -> Article:
        article = copy.copy(found)  # a kept object is shared by this process's threads
        article._prefetched_objects_cache = {}
        prefetch_related_objects([article], "authors", "categories", "tags")
        return article

    def get_context_data(self, **kwargs):
        # Not DetailView's: it would load the object at once, to name it and test its truth.
        return {"view": self, "object": self.object, "article": self.object, **kwargs}

    @cached_property
    def adjacent_articles(self) -> dict:
        return adjacent_articles(self.object)

    @cached_property
    def related_articles(self) -> list[dict]:
        return related_articles(self.object)


def adjacent_articles(article: Article) -> dict:
    """The published articles just before and after `article`, for previous/next links."""
    published = Article.objects.published().only("title", "slug", "published_at", "created_at")
    when = article.published_at or timezone.now()
    earlier = Q(published_at__lt=when) | Q(published_at=when, pk__lt=article.pk)
    later = Q(published_at__gt=when) | Q(published_at=when, pk__gt=article.pk)
    return {
        "previous_article": published.filter(earlier).newest_first().first(),
        "next_article": published.filter(later).order_by("published_at", "pk").first(),
    }


class PageView(DetailView):
    template_name = "articles/page.html"
    context_object_name = "page"
    slug_field = "path"
    slug_url_kwarg = "path"

    def get_queryset(self):
        return Page.objects.published()
