"""Preview: an unpublished (or any) article in the site's real layout, for its writers and the editor.

Readers and other contributors get a 404, as if the article did not exist. The page is never cached
(by browsers, proxies or the page cache) and asks search engines not to index it."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from articles.models import Article


@never_cache
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    article = get_object_or_404(
        Article.objects.select_related("primary_category", "featured_image").prefetch_related(
            "authors", "categories", "tags"
        ),
        pk=pk,
    )
    if not article.is_previewable_by(request.user):
        raise Http404("No article to preview here.")
    response = render(
        request,
        "articles/article_preview.html",
        {"article": article, "object": article, "is_preview": True, "fragment_cache": False},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
