"""Old WordPress addresses answer with a 301 to where the thing lives now.

django.contrib.redirects (also installed) matches a fixed path to a fixed string; WordPress links
also look like `/?p=123`, `/?page_id=7`, `/2019/05/03/slug/feed/` or `/category/parent/child/`, and
an imported article may later change its slug. So this middleware, consulted only when a page would
otherwise be a 404 (or for WordPress's query-string links on the front page), resolves against the
rows themselves: `LegacyRedirect` paths stored by the import and `wp_post_id` (and, for
`/?cat=12` and `/?author=3`, the fixed redirects the import stores for those ids).
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.views.defaults import page_not_found
from taggit.models import Tag

from articles.models import Article, Author, Category, Page
from wordpress.models import LegacyRedirect
from wordpress.terms import query_address

# The query-string links WordPress answers on its front page (plain permalinks, feeds, archives).
QUERY_KEYS = (
    "p",
    "page_id",
    "feed",
    "cat",
    "tag",
    "m",
    "author",
    "author_name",
    "category_name",
    "name",
)
# Links to one thing by its id: when nothing here has that id, the answer is a 404.
ID_KEYS = ("p", "page_id", "cat")
FRONT_PATHS = {"/", "/index.php"}
_FEED_SUFFIX = re.compile(r"^(?P<base>.*/)feed/(?:(?:rss2|rss|rdf|atom)/)?$")
_TRAILER = re.compile(r"^(?P<base>.*/)(?:amp|embed|trackback|\d+|comment-page-\d+)/$")
_SIZED_UPLOAD = re.compile(r"-\d+x\d+(?=\.\w+$)")
_ARCHIVE_MONTH = re.compile(r"^(\d{4})(\d{2})?(\d{2})?$")


def _reverse(name: str, **kwargs) -> str:
    try:
        return reverse(f"articles:{name}", kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _wordpress_id(value: str) -> int | None:
    """An id from a WordPress link: ASCII digits only ("²".isdigit() is true) and small enough
    for the database's integers; anything else is no id."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _site_feed() -> str:
    return _reverse("feed") or _reverse("home")


def query_target(request: HttpRequest) -> str:
    """`/?p=123` and friends: where WordPress's query-string links lead now, or ""."""
    params = request.GET
    if params.get("feed"):
        return _site_feed()
    post_id = _wordpress_id(params.get("p", ""))
    if post_id is not None:
        article = Article.objects.published().filter(wp_post_id=post_id).first()
        if article:
            return article.get_absolute_url()
        page = Page.objects.published().filter(wp_post_id=post_id).first()
        return page.get_absolute_url() if page else ""
    page_id = _wordpress_id(params.get("page_id", ""))
    if page_id is not None:
        page = Page.objects.published().filter(wp_post_id=page_id).first()
        return page.get_absolute_url() if page else ""
    for key in ("cat", "author"):  # ids, kept by the import as fixed redirects
        wordpress_id = _wordpress_id(params.get(key, ""))
        if wordpress_id is not None:
            kept = Redirect.objects.filter(
                site_id=settings.SITE_ID, old_path=query_address(key, wordpress_id)
            ).first()
            return kept.new_path if kept else ""
    for key, model in (("category_name", Category), ("tag", Tag), ("author_name", Author)):
        slug = params.get(key, "").strip("/").rsplit("/", 1)[-1]
        if slug and model.objects.filter(slug=slug).exists():
            name = {"category_name": "category", "tag": "tag", "author_name": "author"}[key]
            return _reverse(name, slug=slug)
    if params.get("name"):
        article = Article.objects.published().filter(slug=params["name"]).first()
        return article.get_absolute_url() if article else ""
    month = _ARCHIVE_MONTH.match(params.get("m", ""))
    if month:
        year, month_number, day = month.groups()
        if day:
            return _reverse("day", year=int(year), month=int(month_number), day=int(day))
        if month_number:
            return _reverse("month", year=int(year), month=int(month_number))
        return _reverse("year", year=int(year))
    return ""


def _stored(path: str) -> str:
    """The target of a stored old path, tried with and without its trailing slash."""
    candidates = {path, path.rstrip("/") or "/", path if path.endswith("/") else f"{path}/"}
    row = (
        LegacyRedirect.objects.filter(old_path__in=candidates)
        .select_related("article", "page", "image")
        .first()
    )
    return row.target_url() if row else ""


def path_target(path: str) -> str:
    """Where an old WordPress path leads now, or ""."""
    if path.startswith("/index.php/"):  # "PATHINFO" permalinks
        return path_target(path.removeprefix("/index.php")) or ""
    target = _stored(path)
    if target:
        return target
    if "/wp-content/uploads/" in path:
        sized = _SIZED_UPLOAD.sub("", path)
        return _stored(sized) if sized != path else ""
    feed = _FEED_SUFFIX.match(path)
    if feed:
        return _feed_for(feed.group("base"))
    trailer = _TRAILER.match(path)
    if trailer:  # /slug/2/ (a post's second page), /slug/amp/, /slug/embed/
        return _stored(trailer.group("base")) or _category(trailer.group("base"))
    return _category(path)


def _feed_for(base: str) -> str:
    """A WordPress feed address → ours: per category, tag and author, else the site's."""
    if base in {"/", "/comments/"}:  # /feed/rss2/, /comments/feed/
        return _site_feed()
    parts = [part for part in base.split("/") if part]
    if len(parts) >= 2 and parts[0] in {"category", "tag", "author"}:
        slug = parts[-1]
        model = {"category": Category, "tag": Tag, "author": Author}[parts[0]]
        if model.objects.filter(slug=slug).exists():
            return _reverse(f"{parts[0]}-feed", slug=slug) or _reverse(parts[0], slug=slug)
    # A post's own feed held its comments; we have none, so the site's feed is the nearest thing.
    return _site_feed() if _stored(base) or _category(base) else ""


def _category(path: str) -> str:
    """WordPress nests category addresses (/category/world/middle-east/); ours are flat."""
    parts = [part for part in path.split("/") if part]
    if (
        len(parts) >= 3
        and parts[0] == "category"
        and Category.objects.filter(slug=parts[-1]).exists()
    ):
        return _reverse("category", slug=parts[-1])
    return ""


class LegacyRedirectMiddleware:
    """Answer old WordPress addresses with a 301; anything else passes through untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        front = request.path in FRONT_PATHS and request.method in {"GET", "HEAD"}
        if front and any(key in request.GET for key in QUERY_KEYS):
            target = query_target(request)
            if target:
                return HttpResponsePermanentRedirect(target)
            if any(request.GET.get(key, "").isdigit() for key in ID_KEYS):
                # WordPress answers an unknown post, page or category id with its 404 page;
                # the home page here would tell crawlers the link still works.
                # The site's own 404 page, under DEBUG too.
                return page_not_found(request, Http404("No such WordPress post, page or category."))
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        target = path_target(request.path)
        if target and target != request.path:
            return HttpResponsePermanentRedirect(target)
        return response
