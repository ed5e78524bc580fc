"""Autosave of the article form (static/js/admin-autosave.js posts here every
ARTICLE_AUTOSAVE_SECONDS and when the page is left).

What is typed goes into the writer's own ArticleAutosave row, never into the article: nothing is
published, no revision is made, and nobody's save is overwritten. If someone saved the article
after this form was opened, the answer says so; the form's own save still refuses to overwrite
them without a second press (ArticleAdminForm._check_not_stale). Reopening the form offers the
autosaved text when it is newer than the saved article."""

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateformat import format as format_date

from articles.forms import last_editor_of
from articles.models import Article, ArticleAutosave

# Each open form names itself (a random id the script adds as `_autosave_page`, posted with the form
# and with each autosave). Saving the article marks that page spent, so an autosave still on its way
# from the page that was just saved cannot come back to life as an offer.
SPENT_PAGE_SECONDS = 3600


def _spent_key(page: str) -> str:
    return f"articles:autosave:spent:{page[:64]}"


class AutosaveForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, strip=False)
    dek = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False)
    edited_version = forms.CharField(required=False)
    page = forms.CharField(max_length=64, required=False)


def _article_or_none(model_admin, request: HttpRequest, object_id) -> Article | None:
    """The article being written, if this user may change it (None for a new article)."""
    if object_id is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied("You may not write articles.")
        return None
    article = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied("You may not change this article any more.")
    return article


def _time(moment) -> str:
    return format_date(timezone.localtime(moment), "H:i")


def autosave_view(model_admin, request: HttpRequest, object_id=None) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_none(model_admin, request, object_id)
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
        return JsonResponse({"saved": False, "message": f"Not autosaved ({errors})."}, status=400)
    data = form.cleaned_data
    if data["page"] and cache.get(_spent_key(data["page"])):
        return JsonResponse({"saved": False, "message": "Saved with the article."})
    now = timezone.now()
    ArticleAutosave.objects.update_or_create(
        user=request.user,
        article=article,
        defaults={
            "title": data["title"],
            "dek": data["dek"],
            "body": data["body"],
            "saved_at": now,
        },
    )
    answer = {"saved": True, "saved_at": now.isoformat(), "message": f"Autosaved at {_time(now)}."}
    if article and data["edited_version"] not in ("", article.updated_at.isoformat()):
        answer["newer_save"] = (
            f"{last_editor_of(article)} saved this article at {_time(article.updated_at)}, after "
            "you opened it. Your text is autosaved for you only; saving the form will ask before "
            "replacing their version."
        )
    return JsonResponse(answer)


def discard_view(model_admin, request: HttpRequest, object_id=None) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_none(model_admin, request, object_id)
    ArticleAutosave.objects.of(user=request.user, article=article).delete()
    return JsonResponse({"discarded": True})


def offer_for(user, article: Article | None) -> ArticleAutosave | None:
    """The user's autosave to offer when they open `article`'s form, if it is worth offering."""
    autosave = ArticleAutosave.objects.of(user=user, article=article).first()
    return autosave if autosave and autosave.is_newer_than(article) else None


def forget(user, article: Article, *, was_new: bool, page: str = "") -> None:
    """After the article itself is saved, its autosave (or the new-article one) is spent, and so
    is the page it was saved from."""
    if page:
        cache.set(_spent_key(page), True, SPENT_PAGE_SECONDS)
    ArticleAutosave.objects.of(user=user, article=article).delete()
    if was_new:
        ArticleAutosave.objects.of(user=user, article=None).delete()
