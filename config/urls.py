from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config import health

admin.site.site_header = "Newsroom administration"
admin.site.site_title = "Newsroom admin"

handler500 = "config.health.server_error_or_outage"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("donate/", include("donations.urls")),
    # articles.urls goes last: it owns "/" and the /<page-slug>/ catch-all.
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
