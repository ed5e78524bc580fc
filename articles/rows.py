"""Articles read with statements written as SQL: the cards of a listing, with their section,
picture and bylines (`listed_articles`), and the article a page shows (`live_article`).

Through the ORM the same rows cost more to ask for than to read: ten cards took 2.5 ms, of which
the database's answer was 1.2 ms, putting the query together 0.6 ms and making whole instances
with their related ones the rest; written as SQL they take 1.4 ms. An article page's row took
0.8 ms through the ORM and takes 0.3; it is read alone, as joining its section and picture cost
the database more than the row on every page whose parts are kept (a page built from the
database reads them with its lists: `articles.seo.fetch_bylines_and_terms`). The statements are
fixed, and the instances are made from the rows (`from_db`) with only the columns read: the
others stay deferred. Outside PostgreSQL the ORM reads them.
"""

import json

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import LIVE_STATUSES, Article, Category, Image, listed_authors_sql

_LIVE_CONDITION = "{table}.status IN ({scheduled}, {published}) AND {table}.published_at <= {now}"


def live_condition_sql(table: str) -> str:
    """`published()`'s condition over `table`, written with the named parameters of
    `live_parameters()`, for statements written by hand."""
    return _LIVE_CONDITION.format(
        table=table, scheduled="%(scheduled)s", published="%(published)s", now="%(now)s"
    )


def live_parameters() -> dict:
    scheduled, published = LIVE_STATUSES
    return {"scheduled": scheduled, "published": published, "now": timezone.now()}


def live_condition(table: str) -> tuple[str, list]:
    """The same condition with positional parameters, and their values."""
    parameters = live_parameters()
    sql = _LIVE_CONDITION.format(table=table, scheduled="%s", published="%s", now="%s")
    return sql, [parameters["scheduled"], parameters["published"], parameters["now"]]


class Columns:
    """Columns of a model (all, or those of `names`) in the order `from_db` expects them, and an
    instance made from their values with the fields' own conversions (an image's renditions are
    JSON), as the ORM would apply them."""

    def __init__(self, model, names: set[str] | None = None) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if names is None or f.attname in names]
        self.names = [field.attname for field in fields]
        self.converted = [(i, f) for i, f in enumerate(fields) if hasattr(f, "from_db_value")]

    def __len__(self) -> int:
        return len(self.names)

    def sql(self, alias: str) -> str:
        return ", ".join(f"{alias}.{name}" for name in self.names)

    def instance(self, values):
        if self.converted:
            values = list(values)
            for index, field in self.converted:
                values[index] = field.from_db_value(values[index], None, connection)
        return self.model.from_db(connection.alias, self.names, values)

    def joined(self, values):
        """The instance a LEFT JOIN found, or None when it found none (its id is NULL)."""
        return None if values[0] is None else self.instance(values)


def attach_bylines_and_body(article: Article, authors: list[str], body: str | None) -> None:
    """Set what a statement read beside the row: the authors as `listed_authors_sql()` gives them
    (for `Article.bylines()`), and the body, read only when there is no dek (for the summary)."""
    # jsonb inside an array comes as text: Django reads JSON itself, not psycopg.
    article.listed_authors = [json.loads(author) for author in authors]
    if body is not None:
        article.body = body


ARTICLES = Article._meta.db_table
# What a card (articles_tags.article_card) reads of an article.
_CARD = Columns(
    Article,
    {"id", "title", "slug", "dek", "published_at", "created_at"}
    | {"primary_category_id", "featured_image_id"},
)
_WHOLE_ARTICLE = Columns(Article)
_CATEGORY = Columns(Category)
_IMAGE = Columns(Image)
_AUTHORS = listed_authors_sql()
# The cards' rows with their section and picture, then the authors and the body without a dek
# (`attach_bylines_and_body`).
_LISTED_SQL = (
    f"SELECT {_CARD.sql(ARTICLES)}, {_CATEGORY.sql('category')}, {_IMAGE.sql('image')},"
    f" {_AUTHORS.sql}, CASE WHEN {ARTICLES}.dek = '' THEN {ARTICLES}.body END"
    f" FROM {ARTICLES}"
    f" LEFT JOIN {Category._meta.db_table} category"
    f" ON category.id = {ARTICLES}.primary_category_id"
    f" LEFT JOIN {Image._meta.db_table} image ON image.id = {ARTICLES}.featured_image_id"
    f" WHERE {ARTICLES}.id = ANY(%s) ORDER BY {ARTICLES}.published_at DESC, {ARTICLES}.id DESC"
)
_LIVE_ARTICLE_SQL = (
    f"SELECT {_WHOLE_ARTICLE.sql(ARTICLES)} FROM {ARTICLES}"
    f" WHERE {ARTICLES}.slug = %(slug)s AND {live_condition_sql(ARTICLES)}"
)


def _card(row: tuple) -> Article:
    """A card's article from a row of `_LISTED_SQL`."""
    category_at = len(_CARD)
    image_at = category_at + len(_CATEGORY)
    rest_at = image_at + len(_IMAGE)
    article = _CARD.instance(row[:category_at])
    article.primary_category = _CATEGORY.joined(row[category_at:image_at])
    article.featured_image = _IMAGE.joined(row[image_at:rest_at])
    attach_bylines_and_body(article, *row[rest_at:])
    return article


def listed_articles(ids: list[int] | QuerySet) -> list[Article]:
    """The articles `ids` names (a list of ids, or a query of them), newest first, with what their
    cards show: section, picture and bylines."""
    if connection.vendor != "postgresql":
        return list(Article.objects.filter(pk__in=ids).for_listing().newest_first())
    if isinstance(ids, QuerySet):
        subquery, parameters = ids.query.sql_with_params()
        sql = _LISTED_SQL.replace("= ANY(%s)", f"= ANY(ARRAY({subquery}))")
    else:
        sql, parameters = _LISTED_SQL, [list(ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_AUTHORS.params, *parameters])
        return [_card(row) for row in cursor.fetchall()]


def live_article(slug: str) -> Article | None:
    """The published article whose slug is `slug`, or None. Elsewhere than on PostgreSQL, where
    the lists come in separate queries, the ORM joins its section and picture to the row."""
    if connection.vendor != "postgresql":
        articles = Article.objects.published().select_related("featured_image", "primary_category")
        return articles.filter(slug=slug).first()
    with connection.cursor() as cursor:
        cursor.execute(_LIVE_ARTICLE_SQL, {"slug": slug, **live_parameters()})
        row = cursor.fetchone()
    return _WHOLE_ARTICLE.instance(row) if row else None
