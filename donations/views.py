import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from donations import paypal, services, tasks
from donations.forms import DonateForm
from donations.models import DonationSettings
from donations.sidebar import sidebar_content
from edge.client import client_ip
from edge.ratelimit import hit_rate_limit

logger = logging.getLogger(__name__)

MAX_IPN_BYTES = 20_000


def _donate_context(form: DonateForm, **extra) -> dict:
    return {
        "donation_settings": form.donation_settings,
        "campaign": sidebar_content().campaign,
        "form": form,
        **extra,
    }


class DonateView(TemplateView):
    template_name = "donations/donate.html"
    cancelled = False

    def get_context_data(self, **kwargs) -> dict:
        form = DonateForm(donation_settings=DonationSettings.current(), auto_id="donate-%s")
        return super().get_context_data(**kwargs) | _donate_context(form, cancelled=self.cancelled)


class ThanksView(TemplateView):
    template_name = "donations/thanks.html"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(**kwargs) | {
            "donation_settings": DonationSettings.current()
        }


@never_cache
@require_safe  # GET, and HEAD like every page
def checkout(request: HttpRequest) -> HttpResponse:
    """Validate the reader's choice and send them to PayPal's checkout with the amount filled in."""
    donation_settings = DonationSettings.current()
    form = DonateForm(request.GET, donation_settings=donation_settings, auto_id="donate-%s")
    if not donation_settings.accepts_paypal:
        form.add_error(None, "Online giving is not available yet; please send a check.")
    if not form.is_valid():
        return render(request, "donations/donate.html", _donate_context(form), status=400)
    url = paypal.checkout_url(
        donation_settings,
        amount=form.cleaned_data["chosen_amount"],
        frequency=form.cleaned_data["chosen_frequency"],
        return_url=request.build_absolute_uri(reverse("donations:thanks")),
        cancel_url=request.build_absolute_uri(reverse("donations:cancelled")),
        notify_url=request.build_absolute_uri(reverse("donations:paypal-ipn")),
    )
    return HttpResponseRedirect(url, status=303)


@csrf_exempt  # PayPal's servers post here; every message is verified with PayPal before use.
@require_POST
def paypal_ipn(request: HttpRequest) -> HttpResponse:
    """Store the notification and answer at once; verification runs on the task queue."""
    if request.content_type != "application/x-www-form-urlencoded":
        return HttpResponseBadRequest("Not a PayPal notification: PayPal posts a urlencoded form.")
    if _content_length(request) > MAX_IPN_BYTES or len(request.body) > MAX_IPN_BYTES:
        return HttpResponseBadRequest("Notification too large.")
    sender = client_ip(request)
    if hit_rate_limit("paypal-ipn", sender or "unknown", limit=settings.PAYPAL_IPN_RATE_LIMIT):
        return _too_many("Too many notifications from this address; try again later.")
    try:
        tasks.receive_notification(body=request.body, sender_ip=sender)
    except paypal.MalformedNotification as error:
        logger.warning("Malformed PayPal IPN ignored: %s", error)
        return HttpResponseBadRequest(f"Not a PayPal notification: {error}.")
    except services.TooManyPending:
        logger.warning("PayPal IPN refused: too many waiting for verification from %s", sender)
        return _too_many("Too many notifications from this address wait for verification.")
    return HttpResponse("OK", content_type="text/plain")


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_many(message: str) -> HttpResponse:
    # PayPal resends a notification that was not answered 200, so a genuine one is not lost.
    response = HttpResponse(message, status=429, content_type="text/plain")
    response["Retry-After"] = "60"
    return response
