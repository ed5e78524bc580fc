import datetime

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.csv_export import csv_response
from donations.charts import monthly_chart
from donations.covers import prepare_cover
from donations.models import (
    Campaign,
    Donation,
    DonationSettings,
    PayPalNotification,
    Promotion,
    SidebarBlock,
    SocialLink,
)
from donations.tasks import process_paypal_notification, queue_thank_you


@admin.register(DonationSettings)
class DonationSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the list page goes straight to the form."""

    fieldsets = [
        ("Appeal", {"fields": ["appeal_heading", "appeal_text", "donate_page_text"]}),
        (
            "Amounts",
            {"fields": ["suggested_amounts", "default_amount", "currency", "monthly_enabled"]},
        ),
        (
            "PayPal",
            {
                "fields": [
                    "paypal_business",
                    "paypal_hosted_button_id",
                    "paypal_item_name",
                    "paypal_sandbox",
                ]
            },
        ),
        ("Checks", {"fields": ["check_payee", "check_address", "check_note"]}),
        (
            "Thanks",
            {
                "fields": [
                    "thank_you_heading",
                    "thank_you_text",
                    "thank_you_email_subject",
                    "thank_you_email_text",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        settings_row, _ = DonationSettings.objects.get_or_create(pk=1)
        return HttpResponseRedirect(
            reverse("admin:donations_donationsettings_change", args=[settings_row.pk])
        )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "goal", "currency", "raised_so_far"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"

    @admin.display(description="raised")
    def raised_so_far(self, campaign: Campaign) -> str:
        return f"{campaign.raised():,.2f} ({campaign.percent_raised()}%)"


class MonthFilter(admin.SimpleListFilter):
    title = "month"
    parameter_name = "month"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        months = Donation.objects.dates("received_at", "month", order="DESC")
        return [(month.strftime("%Y-%m"), month.strftime("%B %Y")) for month in months]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            month = datetime.datetime.strptime(self.value(), "%Y-%m")  # noqa: DTZ007 – a calendar month
        except ValueError:
            return queryset.none()
        return queryset.filter(received_at__year=month.year, received_at__month=month.month)


class DonationForm(forms.ModelForm):
    send_thank_you = forms.BooleanField(
        label="Send a thank-you email",
        required=False,
        initial=True,
        help_text="Queued once, if the donor gave an email address.",
    )

    class Meta:
        model = Donation
        fields = [
            "amount",
            "currency",
            "method",
            "kind",
            "received_at",
            "campaign",
            "donor_name",
            "donor_email",
            "recurring",
            "reference",
            "refund_of",
            "note",
        ]


CSV_COLUMNS = [
    "received_at",
    "amount",
    "currency",
    "method",
    "kind",
    "donor_name",
    "donor_email",
    "campaign",
    "recurring",
    "reference",
    "refund_of",
    "note",
    "thank_you_sent_at",
]


def _csv_row(donation: Donation) -> list:
    return [
        timezone.localtime(donation.received_at).isoformat(timespec="seconds"),
        donation.amount,
        donation.currency,
        donation.get_method_display(),
        donation.get_kind_display(),
        donation.donor_name,
        donation.donor_email,
        donation.campaign.title if donation.campaign else "",
        "yes" if donation.recurring else "no",
        donation.reference,
        donation.refund_of.reference if donation.refund_of else "",
        donation.note,
        timezone.localtime(donation.thank_you_sent_at).isoformat(timespec="seconds")
        if donation.thank_you_sent_at
        else "",
    ]


def donations_csv(queryset, filename: str) -> StreamingHttpResponse:
    rows = (
        _csv_row(d)
        for d in queryset.select_related("campaign", "refund_of").iterator(chunk_size=500)
    )
    return csv_response(filename=filename, header=CSV_COLUMNS, rows=rows)


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    form = DonationForm
    list_display = [
        "received_at",
        "amount_with_currency",
        "method",
        "kind",
        "donor",
        "campaign",
        "recurring",
        "reference",
        "thanked",
    ]
    list_filter = ["method", "campaign", MonthFilter, "kind", "recurring", "currency"]
    list_select_related = ["campaign"]
    search_fields = ["donor_name", "donor_email", "reference", "note"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["campaign", "refund_of"]
    readonly_fields = ["thank_you_sent_at", "created_at"]
    actions = ["export_csv", "send_thank_you"]
    fieldsets = [
        (None, {"fields": ["amount", "currency", "method", "kind", "received_at", "campaign"]}),
        ("Donor", {"fields": ["donor_name", "donor_email", "recurring", "send_thank_you"]}),
        (
            "Record",
            {"fields": ["reference", "refund_of", "note", "thank_you_sent_at", "created_at"]},
        ),
    ]

    @admin.display(description="amount", ordering="amount")
    def amount_with_currency(self, donation: Donation) -> str:
        return f"{donation.amount} {donation.currency}"

    @admin.display(description="donor", ordering="donor_name")
    def donor(self, donation: Donation) -> str:
        return donation.donor_name or donation.donor_email or "–"

    @admin.display(description="thanked", boolean=True)
    def thanked(self, donation: Donation) -> bool | None:
        return donation.thank_you_sent if donation.donor_email else None

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("method", Donation.Method.CHECK)
        initial.setdefault("currency", DonationSettings.current().currency)
        campaign = Campaign.objects.current().first()
        if campaign:
            initial.setdefault("campaign", campaign.pk)
        return initial

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("send_thank_you") and queue_thank_you(donation=obj):
            messages.info(request, f"A thank-you email to {obj.donor_email} is queued.")

    def get_urls(self) -> list:
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="donations_donation_export",
            ),
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name="donations_donation_overview",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["totals"] = changelist.queryset.totals_by_currency()
        return response

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The CSV of exactly the rows the list shows with its current filters and search."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        changelist = self.get_changelist_instance(request)
        stamp = timezone.localdate().isoformat()
        return donations_csv(changelist.queryset, f"donations-{stamp}.csv")

    def overview_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        currency = DonationSettings.current().currency
        months = (
            int(request.GET.get("months", "12")) if request.GET.get("months", "").isdigit() else 12
        )
        months = min(max(months, 1), 60)
        chart = monthly_chart(Donation.objects.all(), currency=currency, months=months)
        context = {
            **self.admin_site.each_context(request),
            "title": "Donations overview",
            "opts": self.model._meta,
            "chart": chart,
            "currency": currency,
            "months": months,
            "totals": Donation.objects.totals_by_currency(),
            "this_year": Donation.objects.filter(
                received_at__year=timezone.localdate().year
            ).totals_by_currency(),
        }
        return TemplateResponse(request, "admin/donations/donation/overview.html", context)

    @admin.action(description="Export selected donations as CSV")
    def export_csv(self, request, queryset):
        return donations_csv(queryset, f"donations-selected-{timezone.localdate().isoformat()}.csv")

    @admin.action(description="Send a thank-you email (once) to selected donors")
    def send_thank_you(self, request, queryset):
        queued = sum(queue_thank_you(donation=d) for d in queryset.awaiting_thank_you())
        self.message_user(request, f"{queued} thank-you email(s) queued.")


@admin.register(PayPalNotification)
class PayPalNotificationAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "txn_id",
        "txn_type",
        "payment_status",
        "status",
        "attempts",
        "detail",
    ]
    list_filter = ["status", "payment_status"]
    search_fields = ["txn_id", "body"]
    date_hierarchy = "received_at"
    list_select_related = ["donation"]
    readonly_fields = [f.name for f in PayPalNotification._meta.fields]
    actions = ["verify_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Verify again with PayPal (waiting or given up)")
    def verify_again(self, request, queryset):
        retried = 0
        for notification in queryset.filter(
            status__in=[PayPalNotification.Status.PENDING, PayPalNotification.Status.FAILED]
        ):
            notification.status = PayPalNotification.Status.PENDING
            notification.attempts = 0
            notification.save(update_fields=["status", "attempts"])
            process_paypal_notification.enqueue(notification_id=notification.pk)
            retried += 1
        self.message_user(request, f"{retried} notification(s) queued for verification.")


class PromotionForm(forms.ModelForm):
    class Meta:
        model = Promotion
        fields = [
            "title",
            "cover",
            "text",
            "link_url",
            "link_label",
            "position",
            "is_published",
            "starts_on",
            "ends_on",
        ]

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            return prepare_cover(cover)
        return cover


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    form = PromotionForm
    list_display = ["title", "position", "is_published", "starts_on", "ends_on", "link_url"]
    list_editable = ["position", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "text"]


@admin.register(SocialLink)
class SocialLinkAdmin(admin.ModelAdmin):
    list_display = ["display_label", "network", "url", "position", "is_visible"]
    list_editable = ["position", "is_visible"]
    list_filter = ["network", "is_visible"]
    search_fields = ["label", "url"]


@admin.register(SidebarBlock)
class SidebarBlockAdmin(admin.ModelAdmin):
    """Order, show and hide the sidebar's boxes. Until one is saved, the sidebar uses the default order."""

    list_display = ["__str__", "kind", "position", "is_visible"]
    list_editable = ["position", "is_visible"]
    list_filter = ["kind", "is_visible"]
    search_fields = ["title", "body"]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not SidebarBlock.objects.exists():
            names = ", ".join(SidebarBlock.Kind(kind).label for kind in SidebarBlock.DEFAULT_ORDER)
            messages.info(
                request,
                f"No blocks yet, so the sidebar shows the default: {names}. "
                "Add blocks here to choose your own order; only the blocks you add are shown.",
            )
        return super().changelist_view(request, extra_context)
