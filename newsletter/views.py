"""Reader-facing newsletter pages. Thin: parse, call `newsletter.services` (or `newsletter.tasks`
to queue work), respond.

Signup posts carry no CSRF token (the form sits on cached pages) and are protected by
`newsletter.abuse`. Confirm, unsubscribe and preferences are CSRF-exempt as well: the unguessable
token in the address is the credential, so a forged cross-site POST could only do what the link's
holder may do anyway — and mail providers' one-click unsubscribe (RFC 8058) POSTs without cookies.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from newsletter import services, tasks
from newsletter.abuse import (
    HONEYPOT_FIELD,
    TIMESTAMP_FIELD,
    Stamp,
    check_stamp,
    client_ip,
    form_timestamp,
    hit_rate_limit,
)
from newsletter.forms import PreferencesForm, SubscribeForm
from newsletter.models import Issue

THANKS_MESSAGE = (
    "Almost done: please check your inbox. We have sent you an email with a link to confirm "
    "your subscription."
)
FLOOD_MESSAGE = "Too many signup attempts. Please wait a little and try again."
MAX_SIGNUP_BODY = 8 * 1024


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


ASK_AGAIN_MESSAGE = "One more step to keep out automated signups: please press Subscribe again."


def signup_page(request: HttpRequest) -> HttpResponse:
    # No stamp here: the page is cached; the script fetches one (form_stamp).
    form = SubscribeForm(initial={"source": "page"})
    return render(request, "newsletter/signup.html", {"form": form})


@never_cache
@require_http_methods(["GET"])
def form_stamp(request: HttpRequest) -> JsonResponse:
    """A fresh signed stamp, fetched by the signup script when the reader first touches a form."""
    return JsonResponse({"ts": form_timestamp()})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/thanks.html", {"message": THANKS_MESSAGE})


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": message, "errors": {}}, status=status)
    form = SubscribeForm(initial={"source": "page", "ts": form_timestamp()})
    return render(
        request, "newsletter/signup.html", {"form": form, "refusal": message}, status=status
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("newsletter:signup")
    if _content_length(request) > MAX_SIGNUP_BODY:
        return _refuse(request, "That form submission was too large.", 413)
    ip = client_ip(request) or "unknown"
    if hit_rate_limit("ip_burst", ip) or hit_rate_limit("ip", ip):
        return _refuse(request, FLOOD_MESSAGE, 429)

    form = SubscribeForm(request.POST)
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "message": "Please correct the address.", "errors": errors},
                status=400,
            )
        form.data = form.data.copy()
        form.data["ts"] = form_timestamp()
        return render(request, "newsletter/signup.html", {"form": form}, status=400)

    email = form.cleaned_data["email"]
    if hit_rate_limit("email", email):
        return _refuse(request, FLOOD_MESSAGE, 429)
    stamp = check_stamp(form.data.get(TIMESTAMP_FIELD, ""))
    if stamp in {Stamp.MISSING, Stamp.STALE} and not form.data.get(HONEYPOT_FIELD):
        # A person without the script, or a page left open for hours: nothing is lost, the form
        # comes back filled in with a fresh stamp. (A bot must now wait like a person.)
        return _ask_again(request, form)
    if not form.looks_automated():
        tasks.request_subscription(
            email=email,
            name=form.cleaned_data["name"],
            frequency=form.cleaned_data["frequency"],
            source=form.cleaned_data["source"],
            ip=client_ip(request),
        )
    # Person or bot, new or known address: the same answer, so nothing can be learned from it.
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": THANKS_MESSAGE})
    return redirect("newsletter:thanks")


def _ask_again(request: HttpRequest, form: SubscribeForm) -> HttpResponse:
    stamp = form_timestamp()
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "message": ASK_AGAIN_MESSAGE, "errors": {}, "ts": stamp}, status=400
        )
    form.data = form.data.copy()
    form.data[TIMESTAMP_FIELD] = stamp
    return render(
        request, "newsletter/signup.html", {"form": form, "refusal": ASK_AGAIN_MESSAGE}, status=400
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button (mail scanners open every link); the POST records consent."""
    try:
        subscriber = services.subscriber_for_confirm_token(token)
    except services.LinkExpired:
        return _link_problem(request, expired=True)
    except services.LinkInvalid:
        return _link_problem(request, expired=False)
    if request.method == "POST":
        services.confirm_subscription(subscriber=subscriber, ip=client_ip(request))
        return render(
            request,
            "newsletter/confirmed.html",
            {"subscriber": subscriber, "preferences_url": subscriber.get_preferences_path()},
        )
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


def _link_problem(request: HttpRequest, *, expired: bool) -> HttpResponse:
    form = SubscribeForm(initial={"source": "page", "ts": form_timestamp()})
    return render(
        request, "newsletter/link_problem.html", {"expired": expired, "form": form}, status=400
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST (the button, or a mail client's one-click request) unsubscribes at once."""
    subscriber = services.subscriber_for_token(token)
    if subscriber is None:
        return render(request, "newsletter/unsubscribe.html", {"unknown": True}, status=404)
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """Daily or weekly, changed from the link in every email without logging in."""
    subscriber = services.subscriber_for_token(token)
    if subscriber is None:
        return render(request, "newsletter/preferences.html", {"unknown": True}, status=404)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=subscriber)
        if form.is_valid():
            form.save()
            saved = True
    else:
        form = PreferencesForm(instance=subscriber)
    return render(
        request,
        "newsletter/preferences.html",
        {"subscriber": subscriber, "form": form, "saved": saved},
    )


class ArchiveView(ListView):
    template_name = "newsletter/archive.html"
    context_object_name = "issues"
    paginate_by = 20

    def get_queryset(self):
        return (
            Issue.objects.archived()
            .order_by("-sent_at", "-pk")
            .only("pk", "subject", "sent_at", "kind")
        )


class ArchiveDetailView(DetailView):
    template_name = "newsletter/archive_detail.html"
    context_object_name = "issue"

    def get_queryset(self):
        return Issue.objects.archived()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(services.issue_context(self.object, personal=False))
        return context
