"""“Related articles” under an article: the published articles sharing the most tags and
categories with it, newest first among equals. One query, cached per article version."""

from django.core.cache import cache
from django.db.models import Count, Q

from articles.models import Article

RELATED_SIZE = 4
RELATED_CACHE_SECONDS = 3600


def related_articles(article: Article, *, limit: int = RELATED_SIZE) -> list[dict]:
    """Links (title, url, date, image) to related articles. Uses the article's prefetched tags
    and categories; on a cache miss one query, otherwise none."""
    key = f"related:{article.pk}:{article.updated_at.timestamp() if article.updated_at else 0}"
    links = cache.get(key)
    if links is None:
        links = [
            {
                "title": related.title,
                "url": related.get_absolute_url(),
                "published_at": related.published_at,
                "image": related.featured_image,
            }
            for related in _query(article, limit)
        ]
        cache.set(key, links, RELATED_CACHE_SECONDS)
    return links


def _query(article: Article, limit: int) -> list[Article]:
    tag_ids = [tag.pk for tag in article.tags.all()]
    category_ids = [category.pk for category in article.all_categories()]
    if not tag_ids and not category_ids:
        return []
    # A shared tag says more than a shared (broad) category, so it weighs double.
    shared = Q(tags__in=tag_ids) | Q(categories__in=category_ids)
    shared |= Q(primary_category_id__in=category_ids)
    return list(
        Article.objects.published()
        .filter(shared)
        .exclude(pk=article.pk)
        .annotate(
            score=Count("tags", filter=Q(tags__in=tag_ids), distinct=True) * 2
            + Count("categories", filter=Q(categories__in=category_ids), distinct=True)
            + Count("pk", filter=Q(primary_category_id__in=category_ids), distinct=True)
        )
        .select_related("featured_image")
        .only(
            "title",
            "slug",
            "published_at",
            "created_at",
            "featured_image__file",
            "featured_image__width",
            "featured_image__height",
            "featured_image__alt_text",
            "featured_image__renditions",
        )
        .order_by("-score", "-published_at", "-pk")[:limit]
    )
