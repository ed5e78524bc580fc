from django.urls import path, register_converter

from articles import feeds, views


class FourDigitYear:
    """Years 1–9999 (what Python's dates hold): /0000/ is no year, so no match (a 404)."""

    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if year == 0:
            raise ValueError("year 0")
        return year

    def to_url(self, value) -> str:
        if not 1 <= int(value) <= 9999:
            raise ValueError(f"year {value}")
        return f"{int(value):04d}"


class TwoDigits:
    regex = r"[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


class PagePath:
    """`about` or `about/team`: page slugs (any script) joined by slashes, as WordPress nests them."""

    regex = r"[-\w]+(?:/[-\w]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FourDigitYear, "yyyy")
register_converter(PagePath, "pagepath")
register_converter(TwoDigits, "dd")

app_name = "articles"


def paginated(route: str, view, name: str) -> list:
    """The route and its WordPress-style pages: /route/ and /route/page/N/."""
    return [path(route, view, name=name), path(f"{route}page/<int:page>/", view, name=name)]


urlpatterns = [
    *paginated("", views.HomeView.as_view(), "home"),
    *paginated("featured/", views.FeaturedView.as_view(), "featured"),
    path("archives/", views.ArchivesView.as_view(), name="archives"),
    *paginated("category/<slug:slug>/", views.CategoryView.as_view(), "category"),
    *paginated("tag/<slug:slug>/", views.TagView.as_view(), "tag"),
    *paginated("author/<slug:slug>/", views.AuthorView.as_view(), "author"),
    *paginated("<yyyy:year>/", views.YearView.as_view(), "year"),
    *paginated("<yyyy:year>/<dd:month>/", views.MonthView.as_view(), "month"),
    *paginated("<yyyy:year>/<dd:month>/<dd:day>/", views.DayView.as_view(), "day"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    # Search, feeds and the read-count beacon: before the
    # page catch-all, which would otherwise take "search" and "feed" for page slugs.
    path("search/", views.search_view, name="search"),
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("feed/atom/", feeds.ArticleFeed(atom=True), name="feed-atom"),
    path("category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path(
        "category/<slug:slug>/feed/atom/", feeds.CategoryFeed(atom=True), name="category-feed-atom"
    ),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagFeed(atom=True), name="tag-feed-atom"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("author/<slug:slug>/feed/atom/", feeds.AuthorFeed(atom=True), name="author-feed-atom"),
    path("api/views/<int:pk>/", views.beacon_view, name="record-view"),
    path("<pagepath:path>/", views.PageView.as_view(), name="page"),
]
