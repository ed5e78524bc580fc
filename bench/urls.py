"""`/bench/hello/`: the smallest Django view, answering as many bytes as a real page, through the
same middleware and gunicorn. Every other address is the site's."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler500  # noqa: F401 (the site's error pages)
from config.urls import urlpatterns as site_urlpatterns

HELLO = b"<!doctype html><title>hello</title>" + b"x" * int(
    os.environ.get("BENCH_HELLO_BYTES", "20000")
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(HELLO)


urlpatterns = [path("bench/hello/", hello), *site_urlpatterns]
