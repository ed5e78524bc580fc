import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from donations import paypal, services
from donations.forms import DonateForm
from donations.models import DonationSettings
from donations.sidebar import sidebar_content

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
@require_GET
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
    if len(request.body) > MAX_IPN_BYTES:
        return HttpResponseBadRequest("Notification too large.")
    try:
        services.receive_notification(body=request.body)
    except paypal.MalformedNotification as error:
        logger.warning("Malformed PayPal IPN ignored: %s", error)
        return HttpResponseBadRequest(f"Not a PayPal notification: {error}.")
    return HttpResponse("OK", content_type="text/plain")
