"""Site search: `/search/?q=…` with filters by category, author and year, and counts for each.

On PostgreSQL the query runs against `articles_article.search_vector` (a weighted tsvector kept
current by triggers, see migration 0006) with `websearch_to_tsquery`, so readers can type
"exact phrases", `-exclude` and `or`. Results are ranked (title > dek, authors, categories, tags >
body) and carry highlighted snippets from `ts_headline`. Elsewhere (the SQLite default) a simpler
word match keeps search useful: every word must appear somewhere, a title match ranks first.
"""

import datetime
import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Author, Category

SEARCH_CONFIG = "english"  # must match the configuration in migration 0006
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
FACET_SIZE = 10
SNIPPET_WORDS = 35
MAX_FALLBACK_TERMS = 8
# How many matches are ranked and counted at most (newest, plus as many newest title matches).
CANDIDATES = 500

# Markers ts_headline puts around matches; they are swapped for <mark> after escaping the text,
# so nothing in an article body can inject markup into the results page.
_MARK_START, _MARK_END = "\ue000", "\ue001"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TERMS = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


@dataclass
class FacetOption:
    label: str
    value: str
    count: int
    selected: bool = False


@dataclass
class SearchResults:
    query: str
    page: Page | None = None
    notices: list[str] = field(default_factory=list)
    categories: list[FacetOption] = field(default_factory=list)
    authors: list[FacetOption] = field(default_factory=list)
    years: list[FacetOption] = field(default_factory=list)
    stop_words_only: bool = False
    broad: bool = False  # more matches than CANDIDATES: counts cover the candidate pool

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page else 0


@dataclass
class SearchFilters:
    category: Category | None = None
    author: Author | None = None
    year: int | None = None


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def clean_query(raw: str) -> tuple[str, list[str]]:
    """The query as we will run it, and what we changed about it for the reader to see."""
    notices = []
    text = unicodedata.normalize("NFC", raw or "")
    text = " ".join(_CONTROL_CHARACTERS.sub(" ", text).split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        notices.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters, so only its beginning was used."
        )
    return text, notices


def parse_filters(params, notices: list[str]) -> SearchFilters:
    """Category, author and year from the address; an unknown one is dropped with a notice."""
    filters = SearchFilters()
    if slug := params.get("category", "").strip():
        filters.category = Category.objects.filter(slug=slug[:120]).first()
        if filters.category is None:
            notices.append(
                "That category does not exist, so results from all categories are shown."
            )
    if slug := params.get("author", "").strip():
        filters.author = Author.objects.filter(slug=slug[:140]).first()
        if filters.author is None:
            notices.append("That author does not exist, so results by all authors are shown.")
    if year := params.get("year", "").strip():
        if year.isascii() and year.isdigit() and 1900 <= int(year) <= 2200:
            filters.year = int(year)
        else:
            notices.append("That is not a year, so results from all years are shown.")
    return filters


def search(
    query: str, *, filters: SearchFilters | None = None, page_number=1, notices=None
) -> SearchResults:
    """Run a cleaned query: one page of ranked results with snippets, and the facet counts.

    Ranking and counting touch a bounded pool of candidates: the newest CANDIDATES matches and,
    when there are more, the newest CANDIDATES whose title matches. A specific query (most are)
    is answered exactly; a very broad one ("war" on 50,000 articles) stays fast, and the page
    says the counts cover the pool."""
    results = SearchResults(query=query, notices=list(notices or []))
    if not query:
        return results
    filters = filters or SearchFilters()
    backend = _PostgresSearch(query) if full_text_available() else _SimpleSearch(query)
    if getattr(backend, "shortened", False):
        results.notices.append(
            f"Only the first {MAX_FALLBACK_TERMS} words of your search were used."
        )
    matches = _filtered(backend.matches(), filters)
    newest_first = ("-published_at", "-pk")
    pool_ids = list(matches.order_by(*newest_first).values_list("pk", flat=True)[: CANDIDATES + 1])
    if len(pool_ids) > CANDIDATES:
        results.broad = True
        pool_ids = pool_ids[:CANDIDATES]
        titled = backend.title_matches(matches).order_by(*newest_first)
        pool_ids += list(titled.values_list("pk", flat=True)[:CANDIDATES])
    pool = Article.objects.filter(pk__in=set(pool_ids))

    paginator = Paginator(backend.ranked(pool).for_listing(), RESULTS_PER_PAGE)
    paginator.count = len(set(pool_ids))  # known already: no COUNT query
    results.page = paginator.get_page(page_number)
    articles = list(results.page.object_list)
    backend.add_snippets(articles)
    results.page.object_list = articles

    results.categories = _category_facet(pool, filters)
    results.authors = _author_facet(pool, filters)
    results.years = _year_facet(pool, filters)
    if not articles:
        results.stop_words_only = backend.has_no_searchable_words()
    return results


def _filtered(matches: QuerySet, filters: SearchFilters) -> QuerySet:
    if filters.category:
        category = filters.category
        matches = matches.filter(
            Q(primary_category=category)
            | Q(
                pk__in=Article.categories.through.objects.filter(category=category).values(
                    "article"
                )
            )
        )
    if filters.author:
        matches = matches.filter(
            pk__in=Article.authors.through.objects.filter(author=filters.author).values("article")
        )
    if filters.year:
        start = datetime.datetime(filters.year, 1, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(filters.year + 1, 1, 1, tzinfo=datetime.UTC)
        matches = matches.filter(published_at__gte=start, published_at__lt=end)
    return matches


def _category_facet(matches: QuerySet, filters: SearchFilters) -> list[FacetOption]:
    """Articles per category, counting an article once whether the category is its primary one or
    one of its further categories."""
    counts: dict[int, int] = {}
    primary = (
        matches.filter(primary_category__isnull=False)
        .order_by()
        .values_list("primary_category")
        .annotate(n=Count("pk"))
    )
    for category_id, n in primary:
        counts[category_id] = n
    further = (
        Article.categories.through.objects.filter(article__in=matches.order_by().values("pk"))
        .exclude(article__primary_category=F("category"))
        .values_list("category")
        .annotate(n=Count("article", distinct=True))
        .order_by()
    )
    for category_id, n in further:
        counts[category_id] = counts.get(category_id, 0) + n
    top = sorted(counts.items(), key=lambda item: -item[1])[:FACET_SIZE]
    selected = filters.category.pk if filters.category else None
    if selected and selected not in dict(top):
        top.append((selected, counts.get(selected, 0)))
    names = Category.objects.in_bulk([category_id for category_id, _ in top])
    return [
        FacetOption(names[pk].name, names[pk].slug, n, pk == selected)
        for pk, n in top
        if pk in names
    ]


def _author_facet(matches: QuerySet, filters: SearchFilters) -> list[FacetOption]:
    rows = (
        Article.authors.through.objects.filter(article__in=matches.order_by().values("pk"))
        .values_list("author__display_name", "author__slug", "author_id")
        .annotate(n=Count("article"))
        .order_by("-n", "author__display_name")[:FACET_SIZE]
    )
    selected = filters.author.pk if filters.author else None
    options = [FacetOption(name, slug, n, pk == selected) for name, slug, pk, n in rows]
    if filters.author and not any(option.selected for option in options):
        options.append(FacetOption(filters.author.display_name, filters.author.slug, 0, True))
    return options


def _year_facet(matches: QuerySet, filters: SearchFilters) -> list[FacetOption]:
    rows = (
        matches.annotate(year=ExtractYear("published_at", tzinfo=datetime.UTC))
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    options = [
        FacetOption(str(year), str(year), n, year == filters.year) for year, n in rows if year
    ]
    if filters.year and not any(option.selected for option in options):
        options.insert(0, FacetOption(str(filters.year), str(filters.year), 0, True))
    return options


def highlighted(text: str) -> SafeString:
    """Escape text that may hold entities and our match markers; turn the markers into <mark>."""
    safe = escape(html.unescape(text))
    return mark_safe(safe.replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>"))


class ArticleSQL(Expression):
    """A piece of SQL over the articles table, written with `{table}` for its alias. Like
    Django's own column references it follows table aliases, so a query using it can be a
    subquery. Used for `search_vector`, a column that lives outside the model (migration 0006),
    and for the title's tsvector, which has its own index (migration 0007)."""

    contains_column_references = True

    def __init__(self, template: str, output_field, alias: str | None = None) -> None:
        super().__init__(output_field=output_field)
        self.template, self.alias = template, alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return ArticleSQL(self.template, self.output_field, self.alias or query.get_initial_alias())

    def relabeled_clone(self, relabels):
        return ArticleSQL(self.template, self.output_field, relabels.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        return self.template.format(table=compiler.quote_name(self.alias)), ()

    def get_group_by_cols(self):
        return [self]


class _PostgresSearch:
    def __init__(self, query: str) -> None:
        from django.contrib.postgres.search import SearchQuery, SearchVectorField

        self.query = query
        self.ts_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        self.vector = ArticleSQL("{table}.search_vector", SearchVectorField())
        # Must match the index expression of migration 0007.
        self.title_vector = ArticleSQL(
            f"to_tsvector('{SEARCH_CONFIG}'::regconfig, {{table}}.title)", SearchVectorField()
        )

    def matches(self) -> QuerySet:
        return (
            Article.objects.published().alias(document=self.vector).filter(document=self.ts_query)
        )

    def title_matches(self, matches: QuerySet) -> QuerySet:
        return matches.alias(title_document=self.title_vector).filter(title_document=self.ts_query)

    def ranked(self, matches: QuerySet) -> QuerySet:
        from django.contrib.postgres.search import SearchRank

        return matches.annotate(rank=SearchRank(self.vector, self.ts_query)).order_by(
            "-rank", "-published_at", "-pk"
        )

    def add_snippets(self, articles: list[Article]) -> None:
        """Headlines for one page of results: one query over a handful of rows."""
        if not articles:
            return
        from django.contrib.postgres.search import SearchHeadline

        options = {
            "config": SEARCH_CONFIG,
            "start_sel": _MARK_START,
            "stop_sel": _MARK_END,
        }
        plain_body = RawSQL(
            "regexp_replace(left(body, 200000), '<[^>]*>', ' ', 'g')", [], output_field=None
        )
        rows = (
            Article.objects.filter(pk__in=[article.pk for article in articles])
            .annotate(
                title_marked=SearchHeadline("title", self.ts_query, highlight_all=True, **options),
                snippet_marked=SearchHeadline(
                    plain_body,
                    self.ts_query,
                    max_words=SNIPPET_WORDS,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **options,
                ),
            )
            .values_list("pk", "title_marked", "snippet_marked")
        )
        marked = {pk: (title, snippet) for pk, title, snippet in rows}
        for article in articles:
            title, snippet = marked.get(article.pk, (article.title, ""))
            article.title_highlighted = highlighted(title)
            article.snippet = highlighted(snippet) if _MARK_START in snippet else ""
            if not article.snippet:
                article.snippet = escape(article.summary)

    def has_no_searchable_words(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))",
                [SEARCH_CONFIG, self.query],
            )
            return cursor.fetchone()[0] == 0


class _SimpleSearch:
    """Word matching for databases without full-text search: "phrases" and -exclusions work,
    every other word must appear in the title, dek, body, a byline, a category or a tag."""

    def __init__(self, query: str) -> None:
        self.include: list[str] = []
        self.exclude: list[str] = []
        for match in _TERMS.finditer(query):
            negated = match.group(1) or match.group(3)
            term = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
            if not term or term.lower() == "or":
                continue
            terms = self.exclude if negated else self.include
            if term.lower() not in (known.lower() for known in terms):
                terms.append(term)
        # Each word is a subquery over several joins: a bound keeps a pasted paragraph cheap.
        self.shortened = len(self.include) + len(self.exclude) > MAX_FALLBACK_TERMS
        self.include = self.include[:MAX_FALLBACK_TERMS]
        self.exclude = self.exclude[: max(0, MAX_FALLBACK_TERMS - len(self.include))]

    @staticmethod
    def _word(term: str) -> str:
        """A case-insensitive regex for `term` at the start of a word ("war" finds "wars", not
        "awkward"), in the dialect of the database."""
        word_start = r"\m" if connection.vendor == "postgresql" else r"\b"
        return word_start + re.escape(term)

    @classmethod
    def _containing(cls, term: str) -> Q:
        """Articles with `term` in a text field or a linked name: the links are subqueries, so
        no join multiplies rows."""
        word = cls._word(term)
        bylines = Article.authors.through.objects.filter(author__display_name__iregex=word)
        filed = Article.categories.through.objects.filter(category__name__iregex=word)
        tagged = Article.tags.through.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            tag__name__iregex=word,
        )
        return (
            Q(title__iregex=word)
            | Q(dek__iregex=word)
            | Q(body__iregex=word)
            | Q(primary_category__name__iregex=word)
            | Q(pk__in=bylines.values("article_id"))
            | Q(pk__in=filed.values("article_id"))
            | Q(pk__in=tagged.values("object_id"))
        )

    def matches(self) -> QuerySet:
        articles = Article.objects.published()
        if not self.include:
            return articles.none()
        for term in self.include:
            articles = articles.filter(self._containing(term))
        for term in self.exclude:
            articles = articles.exclude(self._containing(term))
        return articles

    def title_matches(self, matches: QuerySet) -> QuerySet:
        for term in self.include:
            matches = matches.filter(title__iregex=self._word(term))
        return matches

    def ranked(self, matches: QuerySet) -> QuerySet:
        title_hits = sum(
            (
                Case(When(title__iregex=self._word(term), then=Value(1)), default=Value(0))
                for term in self.include
            ),
            start=Value(0, output_field=IntegerField()),
        )
        return matches.annotate(rank=title_hits).order_by("-rank", "-published_at", "-pk")

    def _mark(self, text: str) -> str:
        pattern = re.compile(
            "|".join(r"\b" + re.escape(term) for term in self.include), re.IGNORECASE
        )
        return pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_END}", text)

    def add_snippets(self, articles: list[Article]) -> None:
        first_words = re.compile(
            "|".join(r"\b" + re.escape(term.split()[0]) for term in self.include), re.IGNORECASE
        )
        for article in articles:
            article.title_highlighted = highlighted(self._mark(escape(article.title)))
            words = article.plain_text.split()
            start = next(
                (index for index, word in enumerate(words) if first_words.search(word)),
                None,
            )
            if start is None:
                article.snippet = escape(article.summary)
                continue
            first = max(0, start - 10)
            excerpt = " ".join(words[first : first + SNIPPET_WORDS])
            prefix = "… " if first else ""
            suffix = " …" if first + SNIPPET_WORDS < len(words) else ""
            article.snippet = highlighted(prefix + self._mark(html.unescape(excerpt)) + suffix)

    def has_no_searchable_words(self) -> bool:
        return not self.include


def engine_name() -> str:
    """Which search answers, for the benchmark's report."""
    engine = "PostgreSQL full-text" if full_text_available() else "simple word match"
    return f"{engine} ({settings.DATABASES['default']['ENGINE']})"


def search_view(request: HttpRequest) -> TemplateResponse:
    """GET /search/?q=…&category=…&author=…&year=…&page=…: never an error for what a reader types."""
    query, notices = clean_query(request.GET.get("q", ""))
    filters = parse_filters(request.GET, notices) if query else SearchFilters()
    results = search(
        query, filters=filters, page_number=request.GET.get("page", 1), notices=notices
    )
    return TemplateResponse(
        request,
        "articles/search.html",
        {
            "query": query,
            "results": results,
            "candidates": CANDIDATES,
            "filters": filters,
            "page_obj": results.page,
            "elided_pages": list(
                results.page.paginator.get_elided_page_range(results.page.number, on_each_side=2)
            )
            if results.page
            else [],
        },
    )
