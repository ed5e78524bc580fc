"""Site search: `/search/?q=…` with filters by category, author and year, and counts for each.

On PostgreSQL the query runs against `articles_article.search_vector` (a weighted tsvector kept
current by triggers, see migration 0006) with `websearch_to_tsquery`, so readers can type
"exact phrases", `-exclude` and `or`. Results are ranked (title > dek, authors, categories, tags >
body) and carry highlighted snippets from `ts_headline`. Elsewhere (the SQLite default) a simpler
word match reads the query the same way (phrases, `-exclude`, `or`): every word must appear
somewhere, a title match ranks first.
"""

import datetime
import functools
import html
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Author, Category, listed_authors_sql
from articles.pagination import pagination_links
from articles.rows import Columns, attach_bylines_and_body, live_condition

SEARCH_CONFIG = "english"  # must match the configuration in migration 0006
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
FACET_SIZE = 10
SNIPPET_WORDS = 35
MAX_FALLBACK_TERMS = 8
# Words and operators a query may hold: PostgreSQL's tsquery parser runs out of stack on long
# chains of operators ("- - - …", "x ----…"), and no reader needs more to find an article.
MAX_QUERY_TERMS = 16
# How many matches are ranked and counted at most (newest, plus as many newest title matches).
CANDIDATES = 100
# A search whose words match at most this many articles (the planner's estimate) is answered
# from the matches up (see `_from_the_matches_up`): a filtered one, and one
# without filters. Without, the planner walks the publish-date index until it has found the
# newest matches, testing about CANDIDATES × articles / matches vectors (~3 µs each), where
# reading every match from the index costs ~1 µs each: at 50,000 articles both cost the same near
# 3,000 matches, and a word in 1,500 articles took 10 ms walking against 1.5 ms.
MATCH_FIRST_LIMIT = 15_000
MATCH_FIRST_LIMIT_UNFILTERED = 3_000

# Markers ts_headline puts around matches; they are swapped for <mark> after escaping the text,
# so nothing in an article body can inject markup into the results page.
_MARK_START, _MARK_END = "\ue000", "\ue001"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TERMS = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_HYPHEN_RUNS = re.compile(r"-{2,}")
_PHRASE = re.compile(r"<(-|\d+)>")  # tsquery's "followed by" operators: <->, <2>
_WORD_CHARACTER = re.compile(r"\w")


@dataclass
class FacetOption:
    label: str
    value: str
    count: int
    selected: bool = False
    href: str = ""  # the results with this option chosen, or removed if it is (`link_facets`)


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

    @property
    def narrow_results(self) -> bool:
        return bool(self.category or self.author or self.year)


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
    terms = _bounded_terms(text)
    if text and not terms:
        notices.append("Your search has no letters or digits to look for.")
    if len(terms) > MAX_QUERY_TERMS:
        notices.append(f"Only the first {MAX_QUERY_TERMS} words of your search were used.")
    return " ".join(terms[:MAX_QUERY_TERMS]), notices


def _bounded_terms(text: str) -> list[str]:
    """The query's terms with operator runs tamed: one `-` at most before a word ("---x" → "-x"),
    runs of hyphens inside a word shortened, and terms with no letter or digit dropped (they
    search for nothing; a chain of them overflows the tsquery parser)."""
    terms = []
    for match in _TERMS.finditer(text):
        if match.group(2) is not None:  # a "phrase"
            words = _HYPHEN_RUNS.sub("-", match.group(2)).strip()
            if _WORD_CHARACTER.search(words):
                terms.append(f'{match.group(1)}"{words}"')
            continue
        raw = match.group(4)
        negated = bool(match.group(3)) or raw.startswith("-")
        word = _HYPHEN_RUNS.sub("-", raw.lstrip("-"))
        if word.lower() == "or":  # websearch's `or` between two terms; a run of them is one
            if terms and terms[-1].lower() != "or" and not negated:
                terms.append(word)
        elif _WORD_CHARACTER.search(word):
            terms.append(f"-{word}" if negated else word)
    while terms and terms[-1].lower() == "or":
        terms.pop()
    return terms


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
        if year.isascii() and year.isdigit() and len(year) == 4 and 1900 <= int(year) <= 2200:
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
    says the counts cover the pool. The pool comes ranked best first with its facet counts (on
    PostgreSQL as one array of ids, in the same statement; elsewhere sorted by `_pool` from each
    candidate's rank and date) and is paginated here, so only the shown page is fetched in full."""
    results = SearchResults(query=query, notices=list(notices or []))
    if not query:
        return results
    filters = filters or SearchFilters()
    backend = _PostgresSearch(query) if full_text_available() else _SimpleSearch(query)
    if getattr(backend, "shortened", False):
        results.notices.append(
            f"Only the first {MAX_FALLBACK_TERMS} words of your search were used."
        )
    pool = backend.pool(filters)
    results.broad = pool.broad
    results.page = Paginator(pool.ranked_ids, RESULTS_PER_PAGE).get_page(page_number)
    results.page.object_list = backend.shown(list(results.page.object_list))

    results.categories, results.authors, results.years = facets(pool, filters)
    if not pool.ranked_ids:
        results.stop_words_only = backend.has_no_searchable_words()
    return results


class Candidate(NamedTuple):
    """An article in the pool: what ranking and pagination need, before the page is fetched."""

    pk: int
    rank: float
    published_at: datetime.datetime


class FacetCount(NamedTuple):
    """How many articles of the pool are filed in a category ("category"), are by an author
    ("author") or were published in a year ("year", in UTC; no pk, and the year is the label and
    the value)."""

    kind: str
    pk: int | None
    label: str
    value: str  # the slug
    count: int


class Pool(NamedTuple):
    """The candidates' ids, best first: the newest CANDIDATES matches and, when there are more
    (`broad`), the newest CANDIDATES whose title matches; with their counts per category, author
    and year."""

    ranked_ids: list[int]
    broad: bool
    counts: list[FacetCount]


def _pool(newest: list[Candidate], titled: list[Candidate]) -> Pool:
    """The pool from the newest CANDIDATES + 1 matches (newest first) and the title matches,
    ranked (by rank, then the newest first), and counted."""
    broad = len(newest) > CANDIDATES
    pool = list({c.pk: c for c in newest[:CANDIDATES] + titled}.values()) if broad else newest
    pool.sort(key=lambda c: (c.rank, c.published_at, c.pk), reverse=True)
    ids = [candidate.pk for candidate in pool]
    per_year = Counter(candidate.published_at.year for candidate in pool)
    years = [FacetCount("year", None, str(y), str(y), n) for y, n in per_year.items()]
    return Pool(ids, broad, _facet_counts(ids) + years)


def _page_of(ids: list[int]) -> QuerySet:
    """The page's articles with what a result shows (its category and authors; no picture),
    unsorted: `_in_order` puts them in rank order."""
    return (
        Article.objects.filter(pk__in=ids)
        .order_by()
        .select_related("primary_category")
        .prefetch_related("authors")
    )


def _in_order(articles: QuerySet, ids: list[int]) -> list[Article]:
    by_pk = {article.pk: article for article in articles}
    return [by_pk[pk] for pk in ids if pk in by_pk]


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
        start, end = _year_bounds(filters.year)
        matches = matches.filter(published_at__gte=start, published_at__lt=end)
    return matches


def _filter_conditions(filters: SearchFilters) -> tuple[list[str], list]:
    """`_filtered`'s conditions as SQL over an article's id, primary_category_id and
    published_at, with their parameters (PostgreSQL's search writes its statement by hand)."""
    conditions, parameters = [], []
    if filters.category:
        categories = Article.categories.through._meta.db_table
        conditions.append(
            f"(primary_category_id = %s OR id IN"
            f" (SELECT article_id FROM {categories} WHERE category_id = %s))"
        )
        parameters += [filters.category.pk, filters.category.pk]
    if filters.author:
        authors = Article.authors.through._meta.db_table
        conditions.append(f"id IN (SELECT article_id FROM {authors} WHERE author_id = %s)")
        parameters.append(filters.author.pk)
    if filters.year:
        conditions.append("published_at >= %s AND published_at < %s")
        parameters += list(_year_bounds(filters.year))
    return conditions, parameters


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return (
        datetime.datetime(year, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC),
    )


# Counts per category (primary or further, an article counted once) and per author over the
# pool (`pool`: id and primary_category_id of its articles; `in_pool`: the test of an article id
# against it), as FacetCount rows. PostgreSQL runs it inside the ranking statement.
_FACET_COUNTS_SQL = """
    SELECT 'category', category.id, category.name, category.slug, filed.n
    FROM (
        SELECT category_id, COUNT(DISTINCT article_id) AS n FROM (
            SELECT id AS article_id, primary_category_id AS category_id
            FROM pool WHERE primary_category_id IS NOT NULL
            UNION
            SELECT link.article_id, link.category_id FROM articles_article_categories link
            WHERE link.article_id {in_pool}
        ) AS links GROUP BY category_id
    ) AS filed JOIN articles_category category ON category.id = filed.category_id
    UNION ALL
    SELECT 'author', author.id, author.display_name, author.slug, bylined.n
    FROM (
        SELECT author_id, COUNT(*) AS n FROM articles_article_authors
        WHERE article_id {in_pool} GROUP BY author_id
    ) AS bylined JOIN articles_author author ON author.id = bylined.author_id
"""


def _facet_counts(article_ids: list[int]) -> list[FacetCount]:
    """`_FACET_COUNTS_SQL` on its own, for the fallback search."""
    if not article_ids:
        return []
    in_pool = f"IN ({', '.join(['%s'] * len(article_ids))})"
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH pool AS (SELECT id, primary_category_id FROM articles_article"
            f" WHERE id {in_pool}) {_FACET_COUNTS_SQL.format(in_pool=in_pool)}",
            article_ids * 3,
        )
        return [FacetCount(*row) for row in cursor.fetchall()]


def facets(
    pool: Pool, filters: SearchFilters
) -> tuple[list[FacetOption], list[FacetOption], list[FacetOption]]:
    """The options per category, author (the most frequent FACET_SIZE, and the chosen one) and
    year (the year of publication in UTC) over the candidate pool."""
    if not pool.ranked_ids:
        return [], [], []

    def top(kind: str, selected, label: str = "", value: str = "") -> list[FacetOption]:
        found = sorted(
            (row for row in pool.counts if row.kind == kind),
            key=lambda row: (-row.count, str(row.label).lower()),
        )
        shown = found[:FACET_SIZE] + [row for row in found[FACET_SIZE:] if row.pk == selected]
        options = [
            FacetOption(row.label, row.value, row.count, row.pk == selected) for row in shown
        ]
        if selected is not None and not any(option.selected for option in options):
            options.append(FacetOption(label, value, 0, True))  # so it can still be removed
        return options

    category, author = filters.category, filters.author
    categories = top(
        "category",
        category.pk if category else None,
        category.name if category else "",
        category.slug if category else "",
    )
    authors = top(
        "author",
        author.pk if author else None,
        author.display_name if author else "",
        author.slug if author else "",
    )
    years = [
        FacetOption(row.label, row.value, row.count, row.value == str(filters.year))
        for row in sorted(
            (row for row in pool.counts if row.kind == "year"),
            key=lambda row: int(row.value),
            reverse=True,
        )
    ]
    if filters.year and not any(option.selected for option in years):
        years.insert(0, FacetOption(str(filters.year), str(filters.year), 0, True))
    return categories, authors, years


def link_facets(results: SearchResults, params: QueryDict) -> None:
    """Give each facet option its address: the current one with the option chosen (or removed,
    if it is) and no page number, as `{% querystring category=… page=None %}` writes it. Made
    here because some thirty tags cost the page a millisecond and more."""
    for key, options in (
        ("category", results.categories),
        ("author", results.authors),
        ("year", results.years),
    ):
        address = _addresses(params, key)
        for option in options:
            option.href = address(None if option.selected else option.value)


def page_links(page: Page | None, params: QueryDict) -> dict:
    """The pagination's addresses, as `{% querystring page=… %}` writes them
    (`articles.pagination.pagination_links`)."""
    if page is None:
        return {"previous_page_url": None, "next_page_url": None, "page_links": []}
    address = _addresses(params, "page")
    return pagination_links(lambda: page, lambda number: address(str(number)))


def _addresses(params: QueryDict, key: str) -> Callable[[str | None], str]:
    """The current address with `key` set to a value (or removed, given None) where it stands,
    or last, and no page number. The other parameters are encoded once, for all the values."""
    before, after, placed = [], [], False
    for name, values in params.lists():
        if name == key:
            placed = True
        elif name != "page":
            (after if placed else before).extend((name, each) for each in values)
    head, tail = urlencode(before), urlencode(after)

    def address(value: str | None) -> str:
        middle = "" if value is None else urlencode([(key, value)])
        return "?" + "&".join(part for part in (head, middle, tail) if part)

    return address


def highlighted(text: str) -> SafeString:
    """Escape text that may hold entities and our match markers; turn the markers into <mark>."""
    safe = escape(html.unescape(text))
    return mark_safe(safe.replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>"))


# The snippet is marked in a window of the body around the first word that begins with one of
# the query's lexemes (its stems: "ceasefir" finds "ceasefires"), or at its beginning if no word
# does. ts_headline parses and stems every word it is given, about 0.1 ms per 1,000 characters:
# whole bodies cost more than the rest of the page. Only when the window has no match but the
# body has (its words are the vector's weight C, migration 0006: a stem that begins no word,
# "countri") is the whole body marked. Words cut at either end of the window are dropped, so
# that "warehouse" cut to "war" is no match, and so are tags cut at either end, with the complete
# ones. That first word is found as the text the pattern first matches (`substring` stops there,
# where `regexp_instr` finds every match in the body), then its place by `strpos`; only when
# those letters come earlier inside another word ("software" before "war") does `regexp_instr`
# place it. The body is decompressed once (`body || ''`), not by each function that reads it.
# This scalar subquery runs for the page's rows only; OFFSET 0 keeps the planner from copying
# the window's headline into both branches of the CASE, and the window's start into both of its
# uses (computing them twice).
SNIPPET_WINDOW = 1000  # characters of the body's HTML
# Of them before the first match: a few words, as a window with no match of all the query's
# words (no "cover") is shown from its start, its first 15 words (MinWords).
SNIPPET_LEAD = 60
_SNIPPET_SQL = r"""(
    SELECT CASE
        WHEN strpos(near.marked, %s) > 0 THEN near.marked
        WHEN ts_filter({table}.search_vector, '{{c}}') @@ near.query THEN ts_headline(
            %s::regconfig, regexp_replace(left(near.html, 100000), '<[^>]*>', ' ', 'g'),
            near.query, %s)
    END
    FROM (
        SELECT query, html, ts_headline(%s::regconfig, regexp_replace(regexp_replace(
            regexp_replace(window_html,
            CASE WHEN start > 1 THEN '^\S*' ELSE '^' END, ''),
            CASE WHEN length(window_html) = %s THEN '\S*$' ELSE '$' END, ''),
            '^[^<]*>|<[^>]*(>|$)', ' ', 'g'), query, %s) AS marked
        FROM websearch_to_tsquery(%s::regconfig, %s) AS query,
            (SELECT '\m(?:' || string_agg(
                regexp_replace(lexeme, '([^[:alnum:]])', '\\\1', 'g'), '|') || ')' AS pattern
             FROM unnest(to_tsvector(%s::regconfig, %s))) AS words,
            LATERAL (SELECT {table}.body || '' AS html OFFSET 0) AS plain,
            LATERAL (SELECT strpos(html, substring(html, '(?i)' || pattern)) AS at
                OFFSET 0) AS first_text,
            LATERAL (SELECT greatest(1, CASE
                WHEN at IS NULL THEN 0
                WHEN at = 1 OR substr(html, at - 1, 1) !~ '\w' THEN at
                ELSE regexp_instr(html, pattern, 1, 1, 0, 'i')
            END - %s) AS start OFFSET 0) AS first_match,
            substr(html, start, %s) AS window_html
        OFFSET 0
    ) AS near
)"""


# What a result shows of an article and of its category; the other fields are left deferred.
# The body (~6 kB) is read only without a dek, for the summary shown when the snippet has no
# match (`Article.summary`).
_PAGE_ARTICLE = Columns(
    Article, {"id", "title", "slug", "dek", "primary_category_id", "published_at"}
)
_PAGE_CATEGORY = Columns(Category, {"id", "name", "slug"})
_PAGE_AUTHORS = listed_authors_sql()
# The page's rows, with the title marked, the snippet (`_SNIPPET_SQL`) and the authors as
# `for_listing()` reads them for the byline. Written as SQL: through the ORM, putting the query
# together and reading whole rows cost more than the database's answer.
_PAGE_SQL = f"""
    SELECT {_PAGE_ARTICLE.sql("articles_article")}, {_PAGE_CATEGORY.sql("category")},
        {_PAGE_AUTHORS.sql},
        CASE WHEN articles_article.dek = '' THEN articles_article.body END,
        ts_headline(%s::regconfig, articles_article.title, websearch_to_tsquery(%s::regconfig, %s),
            %s),
        {_SNIPPET_SQL.format(table="articles_article")}
    FROM articles_article
    LEFT JOIN articles_category category ON category.id = articles_article.primary_category_id
    WHERE articles_article.id = ANY(%s::bigint[])
"""


def _from_the_matches_up(hits_sql: str, conditions: list[str]) -> str:
    """`matches` for a search whose words match few articles: all matches (`hits_sql`) come from
    the GIN index into a materialised CTE, then are filtered (`conditions`). Left to itself, the
    planner misjudges how many articles a category or author keeps, or how dear testing a vector
    is, and walks the publish-date index instead, testing every article's words on the way
    (80-130 ms at 50,000 articles for a rare word in one category, against 10-20 ms this way)."""
    return (
        f"hits AS MATERIALIZED ({hits_sql}), matches AS NOT MATERIALIZED"
        f" (SELECT id, published_at FROM hits WHERE {' AND '.join(conditions) or 'TRUE'})"
    )


class _PostgresSearch:
    def __init__(self, query: str) -> None:
        self.query = query

    def matching(self, live: str, live_params: list) -> tuple[str, list]:
        """The published articles whose words match (id, published_at, primary_category_id), as
        SQL and its parameters, given `live_condition()`'s (the statement's parts share one
        "now"): written by hand, as putting it together through the ORM took a third of a
        millisecond on every search."""
        return (
            f"SELECT id, published_at, primary_category_id FROM {Article._meta.db_table}"
            f" WHERE {live} AND search_vector @@ websearch_to_tsquery(%s::regconfig, %s)",
            [*live_params, SEARCH_CONFIG, self.query],
        )

    def matches_are_few(self, filters: SearchFilters) -> bool:
        """Whether the words match few enough articles to read them all (the planner's estimate,
        from the statistics of the search_vector column: one EXPLAIN of the words alone, a
        fraction of a millisecond; drafts are too few to change the answer)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM articles_article"
                " WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s)",
                [SEARCH_CONFIG, self.query],
            )
            plan = cursor.fetchone()[0]  # psycopg reads the json column into lists and dicts
        estimate = plan[0]["Plan"]["Plan Rows"]
        if filters.narrow_results:
            return estimate <= MATCH_FIRST_LIMIT
        # Without filters, for words only: a phrase's estimate is a guess ("human rights": 552,
        # against thousands), and every article holding its words is read to check their order.
        return estimate <= MATCH_FIRST_LIMIT_UNFILTERED and not _PHRASE.search(str(plan))

    def pool(self, filters: SearchFilters) -> Pool:
        """The pool, ranked, and its facet counts, in one statement.

        - `matches` (id, published_at): the filtered matches (`matching()` and
          `_filter_conditions`), inlined where they are used; for a
          search whose words are few (`matches_are_few`), read from the matches up instead
          (`_from_the_matches_up`).
        - `newest`: the newest CANDIDATES + 1 matches (one more tells a broad search).
        - `titled`: title matches from the title's GIN index (migration 0007), only when the
          newest matches overflow the pool (a one-time filter: the index is not read otherwise).
          Materialised on purpose: otherwise the planner walks the publish-date index and
          computes every title's tsvector on the way, slow when titles rarely match. The newest
          of them are then checked for being live and within the filters, and against the
          whole vector only when the query excludes words (`!`): otherwise a title's match is
          the vector's, whose first part is the title's (migration 0006), and reading a
          hundred vectors cost a millisecond.
        - `pool`: the newest CANDIDATES and those title matches, ranked (the rank is computed
          for the pool's rows only, after the LIMITs), then counted by `_FACET_COUNTS_SQL` and
          by year. Their ids come back sorted, in one array: reading a row per candidate, with
          its rank and date, cost Python more than the sort costs PostgreSQL.
        Ids are handed on as arrays (`= ANY(ARRAY(…))`), so that rows are read by primary key:
        with `IN (subquery)` the planner, misjudging how many articles a filter keeps, scanned
        the whole table (250 ms for "war" in one category), and the link tables whole."""
        live, live_params = live_condition(Article._meta.db_table)
        matching_sql, matching_params = self.matching(live, live_params)
        conditions, condition_params = _filter_conditions(filters)
        if self.matches_are_few(filters):
            matches_sql = _from_the_matches_up(matching_sql, conditions)
        else:
            matches_sql = (
                f"matches AS NOT MATERIALIZED ({' AND '.join([matching_sql, *conditions])})"
            )
        matches_params = [*matching_params, *condition_params]
        ts_query = "websearch_to_tsquery(%s::regconfig, %s)"
        counts_sql = _FACET_COUNTS_SQL.format(in_pool="= ANY(ARRAY(SELECT id FROM pool))")
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH {matches_sql},"
                " newest AS MATERIALIZED (SELECT id, published_at FROM matches"
                "  ORDER BY published_at DESC, id DESC LIMIT %s),"
                " titled AS MATERIALIZED (SELECT id, published_at FROM articles_article"
                f"  WHERE to_tsvector(%s::regconfig, title) @@ {ts_query}"
                "  AND (SELECT count(*) FROM newest) > %s),"
                " newest_titled AS MATERIALIZED (SELECT id FROM articles_article WHERE id = ANY(ARRAY("
                "  SELECT id FROM titled ORDER BY published_at DESC NULLS LAST, id DESC LIMIT %s))"
                f"  AND {' AND '.join([live, *conditions])}"
                f"  AND (strpos({ts_query}::text, '!') = 0 OR search_vector @@ {ts_query})),"
                " pool AS MATERIALIZED (SELECT article.id, article.primary_category_id,"
                f"  ts_rank(article.search_vector, {ts_query}) AS rank, article.published_at"
                "  FROM articles_article article WHERE article.id = ANY(ARRAY("
                "   (SELECT id FROM newest ORDER BY published_at DESC, id DESC LIMIT %s)"
                "   UNION SELECT id FROM newest_titled)))"
                " SELECT 'ranked', NULL::bigint, NULL::text, NULL::text, NULL::bigint,"
                "  array_agg(id ORDER BY rank DESC, published_at DESC, id DESC) FROM pool"
                " UNION ALL SELECT 'broad', NULL, NULL, NULL, NULL, NULL"
                "  WHERE (SELECT count(*) FROM newest) > %s"
                " UNION ALL SELECT 'year', NULL, year, year, count(*), NULL FROM (SELECT"
                "  extract(year FROM published_at AT TIME ZONE 'UTC')::int::text AS year FROM pool)"
                "  AS dated GROUP BY year"
                f" UNION ALL SELECT *, NULL FROM ({counts_sql}) AS counts",
                [
                    *matches_params,
                    CANDIDATES + 1,
                    SEARCH_CONFIG,
                    SEARCH_CONFIG,
                    self.query,
                    CANDIDATES,
                    CANDIDATES,
                    *live_params,
                    *condition_params,
                    SEARCH_CONFIG,
                    self.query,
                    SEARCH_CONFIG,
                    self.query,
                    SEARCH_CONFIG,
                    self.query,
                    CANDIDATES,
                    CANDIDATES,
                ],
            )
            rows = cursor.fetchall()
        # Rows: the ranked ids (one row, an array), "broad" (or no row), the facet counts.
        ranked_ids, counts, broad = [], [], False
        for kind, pk, label, value, count, ids in rows:
            if kind == "ranked":
                ranked_ids = ids or []  # (no candidates: array_agg of nothing is NULL)
            elif kind == "broad":
                broad = True
            else:
                counts.append(FacetCount(kind, pk, label, value, count))
        return Pool(ranked_ids, broad, counts)

    def shown(self, page_ids: list[int]) -> list[Article]:
        """The page's articles, in rank order, with marked title and snippet (`_PAGE_SQL`)."""
        if not page_ids:
            return []
        title_options = f"StartSel='{_MARK_START}', StopSel='{_MARK_END}', HighlightAll=true"
        snippet_options = (
            f"StartSel={_MARK_START}, StopSel={_MARK_END}, MaxWords={SNIPPET_WORDS},"
            " MinWords=15, MaxFragments=2, FragmentDelimiter=' … '"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                _PAGE_SQL,
                [
                    *_PAGE_AUTHORS.params,
                    SEARCH_CONFIG,
                    SEARCH_CONFIG,
                    self.query,
                    title_options,
                    _MARK_START,
                    SEARCH_CONFIG,
                    snippet_options,
                    SEARCH_CONFIG,
                    SNIPPET_WINDOW,
                    snippet_options,
                    SEARCH_CONFIG,
                    self.query,
                    SEARCH_CONFIG,
                    self.query,
                    SNIPPET_LEAD,
                    SNIPPET_WINDOW,
                    "{" + ",".join(map(str, page_ids)) + "}",
                ],
            )
            rows = cursor.fetchall()
        by_pk = {}
        category_at = len(_PAGE_ARTICLE)
        for row in rows:
            article = _PAGE_ARTICLE.instance(row[:category_at])
            category = row[category_at : category_at + len(_PAGE_CATEGORY)]
            authors, body, title_marked, snippet = row[-4:]
            article.primary_category = _PAGE_CATEGORY.joined(category)
            attach_bylines_and_body(article, authors, body)
            article.title_highlighted = highlighted(title_marked or article.title)
            article.snippet = (
                highlighted(snippet)
                if snippet and _MARK_START in snippet
                else escape(article.summary)
            )
            by_pk[article.pk] = article
        return [by_pk[pk] for pk in page_ids if pk in by_pk]

    def has_no_searchable_words(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))",
                [SEARCH_CONFIG, self.query],
            )
            return cursor.fetchone()[0] == 0


class _SimpleSearch:
    """Word matching for databases without full-text search, read the way PostgreSQL's
    `websearch_to_tsquery` reads a query: "phrases", -exclusions, and `or` between alternatives
    (`iran oil or gas` is (iran and oil) or gas: `or` binds loosest). Every other word must appear
    in the title, dek, body, a byline, a category or a tag."""

    def __init__(self, query: str) -> None:
        # Each clause is (words it needs, words it must not have); a match satisfies any clause.
        self.clauses: list[tuple[list[str], list[str]]] = [([], [])]
        budget = MAX_FALLBACK_TERMS
        self.shortened = False
        for match in _TERMS.finditer(query):
            negated = match.group(1) or match.group(3)
            quoted = match.group(2) is not None
            term = (match.group(2) if quoted else match.group(4)).strip()
            if not term:
                continue
            if not quoted and not negated and term.lower() == "or":
                if self.clauses[-1][0] or self.clauses[-1][1]:
                    self.clauses.append(([], []))
                continue
            include, exclude = self.clauses[-1]
            terms = exclude if negated else include
            if term.lower() in (known.lower() for known in terms):
                continue
            # Each word is a subquery over several joins: a bound keeps a pasted paragraph cheap.
            if budget == 0:
                self.shortened = True
                continue
            budget -= 1
            terms.append(term)
        # A clause of exclusions alone would match nearly everything: it is left out.
        self.clauses = [clause for clause in self.clauses if clause[0]]
        self.include: list[str] = []  # every wanted word, once: for ranking and highlighting
        for include, _ in self.clauses:
            self.include += [t for t in include if t.lower() not in map(str.lower, self.include)]

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

    def _any_clause(self, condition_for) -> Q:
        """OR over the clauses of AND over each clause's words (and NOT over its exclusions)."""
        return functools.reduce(
            operator.or_,
            (
                functools.reduce(
                    operator.and_,
                    [condition_for(term) for term in include]
                    + [~self._containing(term) for term in exclude],
                )
                for include, exclude in self.clauses
            ),
        )

    def matches(self) -> QuerySet:
        articles = Article.objects.published()
        if not self.clauses:
            return articles.none()
        return articles.filter(self._any_clause(self._containing))

    def newest_title_matches(self) -> QuerySet:
        titled = Article.objects.published()
        if self.clauses:
            titled = titled.filter(self._any_clause(lambda term: Q(title__iregex=self._word(term))))
        return titled.order_by("-published_at", "-pk").values("pk")[:CANDIDATES]

    def candidates(
        self, matches: QuerySet, filters: SearchFilters
    ) -> tuple[list[Candidate], list[Candidate]]:
        """As `_PostgresSearch.candidates`, in two queries; the rank is the number of the
        query's words in the title."""
        title_hits = sum(
            (
                Case(When(title__iregex=self._word(term), then=Value(1)), default=Value(0))
                for term in self.include
            ),
            start=Value(0, output_field=IntegerField()),
        )
        ranked = matches.annotate(rank=title_hits).values_list("pk", "rank", "published_at")
        newest = [
            Candidate(*row) for row in ranked.order_by("-published_at", "-pk")[: CANDIDATES + 1]
        ]
        if len(newest) <= CANDIDATES:
            return newest, []
        return newest, [
            Candidate(*row) for row in ranked.filter(pk__in=self.newest_title_matches())
        ]

    def pool(self, filters: SearchFilters) -> Pool:
        return _pool(*self.candidates(_filtered(self.matches(), filters), filters))

    def _mark(self, text: str) -> str:
        pattern = re.compile(
            "|".join(r"\b" + re.escape(term) for term in self.include), re.IGNORECASE
        )
        return pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_END}", text)

    def shown(self, page_ids: list[int]) -> list[Article]:
        """The page's articles, in rank order, with title and snippet marked here."""
        articles = _in_order(_page_of(page_ids), page_ids)
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
        return articles

    def has_no_searchable_words(self) -> bool:
        return not self.include


# Triggers of migration 0006, by table.
_SEARCH_TRIGGERS = {
    "articles_article": ["articles_article_search_vector"],
    "articles_article_authors": ["articles_authors_inserted", "articles_authors_deleted"],
    "articles_article_categories": ["articles_categories_inserted", "articles_categories_deleted"],
    "taggit_taggeditem": ["articles_tagged_items_inserted", "articles_tagged_items_deleted"],
}


@contextmanager
def search_vectors_rebuilt_after() -> Iterator[None]:
    """For bulk loads (seed_bench, a first import) while nothing else writes: the search triggers
    are switched off, and every article's vector is computed once, in one statement, at the end.
    With the triggers on, each batch of articles has its vectors computed four times (the row, then
    its authors, categories and tags). Does nothing special outside PostgreSQL."""
    if not full_text_available():
        yield
        return
    _switch_search_triggers("DISABLE")
    try:
        yield
    finally:
        _switch_search_triggers("ENABLE")
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_article SET search_vector = "
                "articles_search_document(id, title, dek, body, primary_category_id)"
            )


def _switch_search_triggers(action: str) -> None:
    with connection.cursor() as cursor:
        # ALTER TABLE refuses while deferred foreign-key checks are pending in the transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, triggers in _SEARCH_TRIGGERS.items():
            for trigger in triggers:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
