"""The site's own 404 page under DEBUG too (README: unknown addresses are 404s in the site's layout).

Django answers a 404 with its technical page whenever DEBUG is on, which `make run` sets: a person
trying the site would see a URL-pattern dump instead of the page readers get. This middleware is
installed last and only does anything with DEBUG on; the outer middleware (APPEND_SLASH, redirects)
still see the 404 response as they would in production."""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.defaults import page_not_found


class SiteNotFoundPageMiddleware:
    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed  # production: Django already renders 404.html
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address no pattern matches fails before any view runs, where process_exception
        # cannot see it: resolve it here first.
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as error:
            return page_not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
