from django.conf import settings
from django.http import HttpRequest


def parts(request: HttpRequest) -> dict:
    """`parts_seconds`, the timeout templates give `{% cache %}`: how long a kept part may live
    at most (a change drops it sooner). A view that must not keep its parts (a preview) sets 0."""
    return {"parts_seconds": settings.PAGE_CACHE_SECONDS}
