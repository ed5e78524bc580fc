from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from articles import sitemaps

admin.site.site_header = "Newsroom administration"
admin.site.site_title = "Newsroom admin"

handler500 = "edge.health.server_error_or_outage"
handler403 = "articles.forbidden.permission_denied"


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, feeds, images)."""
    return HttpResponsePermanentRedirect(static_url("img/favicon.svg"))


urlpatterns = [
    path("", include("edge.urls")),
    path("admin/", include("logins.urls")),  # the password reset flow, before the admin's own
    path("admin/", admin.site.urls),
    path("donate/", include("donations.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    # articles.urls goes last: it owns "/" and the /<page-slug>/ catch-all.
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
