"""The site's URLs plus one more top-level address, for the reserved-slugs test."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("shop/", lambda request: HttpResponse("shop")), *site_urlpatterns]
