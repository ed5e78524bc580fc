from django.urls import path, register_converter

from articles import views


class FourDigitYear:
    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class TwoDigits:
    regex = r"[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
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
    *paginated("<yyyy:year>/", views.DateArchiveView.as_view(), "year"),
    *paginated("<yyyy:year>/<dd:month>/", views.DateArchiveView.as_view(), "month"),
    *paginated("<yyyy:year>/<dd:month>/<dd:day>/", views.DateArchiveView.as_view(), "day"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("<slug:slug>/", views.PageView.as_view(), name="page"),
]
