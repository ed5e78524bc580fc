import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, connections
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.decorators.csp import csp_override

from articles.csv_export import csv_response
from background import schedule
from newsletter import csv_io, services
from newsletter.models import (
    Delivery,
    DigestSchedule,
    Issue,
    IssueArticle,
    Subscriber,
    normalize_email,
)
from newsletter.tasks import send_issue, send_test_issue, start_send

STATUS_COUNTS_CACHE_KEY = "newsletter:admin:status-counts"
IMPORT_CACHE_PREFIX = "newsletter:admin:import:"


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered list of a big table uses the planner's row estimate instead of
    COUNT(*) (a full scan on every page view); filtered lists count exactly."""

    ESTIMATE_ABOVE = 50_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            estimate = row[0] if row else -1
            if estimate > self.ESTIMATE_ABOVE:
                return estimate
        return super().count


class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "status", "frequency", "source", "created_at", "confirmed_at"]
    list_filter = ["status", "frequency", "source", "created_at", "confirmed_at"]
    search_fields = ["email", "name"]
    search_help_text = (
        "A whole address finds it at once; any other text searches names and addresses."
    )
    readonly_fields = [
        "token",
        "created_at",
        "signup_ip",
        "confirmed_at",
        "confirmed_ip",
        "unsubscribed_at",
        "bounced_at",
        "bounce_reason",
        "last_notice_sent_at",
    ]
    fields = ["email", "name", "status", "frequency", "source", *readonly_fields]
    actions = ["unsubscribe_selected", "reenable_selected", "delete_selected"]
    list_per_page = 100
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    change_list_template = "newsletter/admin/subscriber_change_list.html"

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if "@" in term and " " not in term:
            # An address: the unique index answers at once, even with a million rows.
            return queryset.filter(email=normalize_email(term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.action(description="Unsubscribe the selected subscribers", permissions=["change"])
    def unsubscribe_selected(self, request, queryset) -> None:
        count = queryset.unsubscribe_all()
        cache.delete(STATUS_COUNTS_CACHE_KEY)
        self.message_user(request, f"{count} subscriber(s) unsubscribed.", messages.SUCCESS)

    @admin.action(description="Re-enable the selected bounced addresses", permissions=["change"])
    def reenable_selected(self, request, queryset) -> None:
        count = queryset.reenable_bounced()
        cache.delete(STATUS_COUNTS_CACHE_KEY)
        self.message_user(
            request, f"{count} bounced address(es) will receive issues again.", messages.SUCCESS
        )

    def get_urls(self):
        own = [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="newsletter_subscriber_export",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="newsletter_subscriber_import",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        counts = cache.get(STATUS_COUNTS_CACHE_KEY)
        if counts is None:
            # One GROUP BY over the table; cached a minute so busy admins do not repeat it.
            counts = Subscriber.objects.counts_by_status()
            cache.set(STATUS_COUNTS_CACHE_KEY, counts, 60)
        labels = dict(Subscriber.Status.choices)
        extra_context = {
            **(extra_context or {}),
            "status_counts": [(status, labels[status], n) for status, n in counts.items()],
            "export_query": request.GET.urlencode(),
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The list as the editor filtered it (same filters and search), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return csv_response(
            filename=f"subscribers-{stamp}.csv",
            header=csv_io.export_header(),
            rows=csv_io.export_rows(queryset),
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import subscribers from CSV",
        }
        if request.method == "POST" and "upload_key" in request.POST:
            return self._do_import(request, context)
        form = SubscriberImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            skip_invalid = form.cleaned_data["skip_invalid"]
            preview = csv_io.preview_import(data, skip_invalid=skip_invalid)
            key = f"{request.user.pk}:{uuid.uuid4().hex}"
            # Shared cache, so the confirm step may land on another app server.
            cache.set(IMPORT_CACHE_PREFIX + key, data, 3600)
            context.update(
                preview=preview,
                upload_key=key,
                status=form.cleaned_data["status"],
                skip_invalid=skip_invalid,
                status_label=dict(SubscriberImportForm.STATUS_CHOICES)[form.cleaned_data["status"]],
            )
            return TemplateResponse(request, "newsletter/admin/import_preview.html", context)
        context["form"] = form
        return TemplateResponse(request, "newsletter/admin/import_form.html", context)

    def _do_import(self, request: HttpRequest, context: dict) -> HttpResponse:
        key = request.POST["upload_key"]
        status = request.POST.get("status")
        data = cache.get(IMPORT_CACHE_PREFIX + key)
        if (
            data is None
            or not key.startswith(f"{request.user.pk}:")
            or status not in dict(SubscriberImportForm.STATUS_CHOICES)
        ):
            self.message_user(
                request, "The upload expired; please choose the file again.", messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:newsletter_subscriber_import"))
        try:
            result = csv_io.import_subscribers(
                data, status=status, skip_invalid=request.POST.get("skip_invalid") == "1"
            )
        except IntegrityError:
            result = None
        if result is None or not result.can_import:
            # Nothing was written (one transaction). The list changed, or the file has errors.
            self.message_user(
                request,
                "Nothing was imported: the list changed since the preview. Please preview again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:newsletter_subscriber_import"))
        cache.delete(IMPORT_CACHE_PREFIX + key)
        cache.delete(STATUS_COUNTS_CACHE_KEY)
        skipped = len(result.duplicate_in_file) + len(result.already_subscribed)
        report = f"Imported {len(result.valid)} subscriber(s); skipped {skipped} duplicate(s)"
        if result.invalid:
            lines = [str(line) for line, _, _ in result.invalid]
            shown = ", ".join(lines[:20]) + (
                f" and {len(lines) - 20} more" if len(lines) > 20 else ""
            )
            report += f" and {len(lines)} invalid row(s) (line {shown})"
        self.message_user(request, report + ".", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:newsletter_subscriber_changelist"))


class SubscriberImportForm(forms.Form):
    STATUS_CHOICES = [
        (
            Subscriber.Status.CONFIRMED,
            "Confirmed — they gave consent elsewhere (e.g. a list you move here)",
        ),
        (Subscriber.Status.PENDING, "Pending — not mailed until they confirm by signing up"),
    ]
    file = forms.FileField(
        help_text="A CSV with a header row naming an “email” column; “name” and “frequency” "
        "(daily or weekly) are optional. Up to 20 MB."
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, initial=Subscriber.Status.CONFIRMED)
    skip_invalid = forms.BooleanField(
        label="Skip invalid rows",
        required=False,
        help_text="Import the good rows and list the invalid ones with their line numbers. "
        "Off: one invalid row stops the whole import, so you can fix the file first.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 20 MB; split it.")
        return upload


class IssueArticleInline(admin.TabularInline):
    model = IssueArticle
    extra = 1
    autocomplete_fields = ["article"]
    fields = ["position", "article", "article_status"]
    readonly_fields = ["article_status"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description="Status")
    def article_status(self, link: IssueArticle) -> str:
        article = link.article if link.pk else None
        if article is None:
            return "—"
        if article.published_at:
            when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
        if article.is_live:
            return f"Live since {when}"
        if article.status == article.Status.SCHEDULED:
            return f"Scheduled for {when}: send the issue after that"
        return f"{article.get_status_display()}: not on the site, so the issue cannot go out"

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class IssueAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "kind",
        "audience",
        "status",
        "created_at",
        "sent_at",
        "progress_summary",
    ]
    list_filter = ["status", "kind", "audience"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    inlines = [IssueArticleInline]
    fields = ["subject", "intro", "audience", "show_in_archive"]
    readonly_fields = [
        "kind",
        "status",
        "progress_summary",
        "last_error",
        "queued_at",
        "sent_at",
        "period_start",
        "period_end",
    ]
    change_form_template = "newsletter/admin/issue_change_form.html"
    change_list_template = "newsletter/admin/issue_change_list.html"

    def view_on_site(self, issue: Issue) -> str | None:
        # Only sent issues are on the site (the archive); drafts have the preview instead.
        return issue.get_absolute_url() if issue.status == Issue.Status.SENT else None

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [*self.fields, *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # A send in progress must not lose its delivery records underneath the workers.
        if obj is not None and obj.status in {Issue.Status.QUEUED, Issue.Status.SENDING}:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Progress")
    def progress_summary(self, issue: Issue) -> str:
        if issue.status == Issue.Status.DRAFT:
            return "Not sent"
        p = issue.progress()
        if not p["total"] and not issue.recipients_prepared:
            return "Preparing the recipient list…"
        summary = format_html(
            "{} sent · {} failed ({} bounced) · {} skipped · {} remaining of {}",
            p["sent"],
            p["failed"],
            p["bounced"],
            p["skipped"],
            p["remaining"],
            p["total"],
        )
        if not p["deferred"]:
            return summary
        # Temporary refusals (greylisting…) still being retried: say how many and until when.
        retry = issue.deliveries.filter(status=Delivery.Status.DEFERRED).aggregate(
            next=Min("retry_at")
        )
        return format_html(
            "{} · {} deferred after a temporary refusal, next retry {}",
            summary,
            p["deferred"],
            naturaltime(retry["next"]) if retry["next"] else "soon",
        )

    def get_urls(self):
        def view(func, name):
            return path(
                f"<int:pk>/{name}/",
                self.admin_site.admin_view(func),
                name=f"newsletter_issue_{name.replace('-', '_')}",
            )

        return [
            path(
                "make-digest/",
                self.admin_site.admin_view(self.make_digest_view),
                name="newsletter_issue_make_digest",
            ),
            view(self.preview_view, "preview"),
            view(self.test_send_view, "test-send"),
            view(self.send_view, "send"),
            view(self.resume_view, "resume"),
            *super().get_urls(),
        ]

    def _issue(self, request, pk: int) -> Issue:
        issue = get_object_or_404(Issue, pk=pk)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def _can_send(self, request) -> bool:
        return request.user.has_perm("newsletter.send_issue")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            can_send=self._can_send(request),
            test_address=request.user.email,
            is_stalled=obj is not None and Issue.objects.stalled().filter(pk=obj.pk).exists(),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def make_digest_view(self, request: HttpRequest) -> HttpResponse:
        """The daily digest of articles published since the last one, as a draft to review."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        kind = Issue.Kind.WEEKLY if request.POST.get("kind") == "weekly" else Issue.Kind.DAILY
        issue = services.create_digest(frequency=kind)
        if issue is None:
            self.message_user(
                request, "No article was published since the last digest.", messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:newsletter_issue_changelist"))
        Issue.objects.filter(pk=issue.pk).update(created_by=request.user)
        self.message_user(
            request,
            f"Made “{issue.subject}” with {issue.article_links.count()} article(s). Review, then send.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The email as subscribers will see it. Mail needs inline styles, so this one page
        relaxes the style rule of the CSP (scripts stay forbidden)."""
        issue = self._issue(request, pk)
        rendered = services.render_issue(issue)
        token = uuid.UUID(int=0).hex
        if request.GET.get("format") == "text":
            response = HttpResponse(
                rendered.personalize(rendered.text, token_hex=token),
                content_type="text/plain; charset=utf-8",
            )
        else:
            response = HttpResponse(rendered.personalize(rendered.html, token_hex=token))
        return csp_override(
            {
                "default-src": [CSP.NONE],
                "style-src": [CSP.UNSAFE_INLINE],
                "img-src": [CSP.SELF, "https:", "data:"],
                "frame-ancestors": [CSP.NONE],
            }
        )(lambda _request: response)(request)

    def test_send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(request, pk)
        if request.method != "POST" or not self.has_change_permission(request, issue):
            raise PermissionDenied
        address = normalize_email(request.POST.get("email", ""))
        field = forms.EmailField(max_length=254)
        try:
            field.clean(address)
        except forms.ValidationError:
            self.message_user(request, "Enter a valid address for the test.", messages.ERROR)
        else:
            send_test_issue.enqueue(issue_id=issue.pk, email=address)
            self.message_user(
                request,
                f"A test copy is queued for {address}; the worker sends it within a minute.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(request, pk)
        if not self._can_send(request):
            raise PermissionDenied
        change_url = reverse("admin:newsletter_issue_change", args=[issue.pk])
        if not issue.is_editable:
            self.message_user(request, "This issue has already been sent.", messages.WARNING)
            return HttpResponseRedirect(change_url)
        # Subscribers get only what they can open: an article not live yet would silently drop out.
        not_live = issue.articles_not_live()
        if request.method == "POST" and not_live:
            self.message_user(
                request,
                "Not sent: "
                + ", ".join(f"“{article.title}”" for article in not_live)
                + " cannot be read on the site yet. Publish them, wait for their time, or take them"
                " out of the issue.",
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:newsletter_issue_send", args=[issue.pk]))
        if request.method == "POST":
            start_send(issue=issue)
            self.message_user(
                request,
                "Sending started in the background. Progress shows on this page.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "issue": issue,
            "title": f"Send “{issue.subject}”?",
            "recipients": Subscriber.objects.for_audience(issue.audience).count(),
            # What subscribers will get: the live articles only.
            "article_count": issue.ordered_articles().count(),
            "not_live": not_live,
        }
        return render(request, "newsletter/admin/issue_send.html", context)

    def resume_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(request, pk)
        if request.method != "POST" or not self._can_send(request):
            raise PermissionDenied
        unfinished = issue.status in {Issue.Status.QUEUED, Issue.Status.SENDING}
        if unfinished or Issue.objects.stalled().filter(pk=issue.pk).exists():
            send_issue.enqueue(issue_id=issue.pk)
            self.message_user(request, "The send is queued again.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))


class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "subscriber_email",
        "issue",
        "status",
        "attempts",
        "sent_at",
        "retry_at",
        "error",
    ]
    list_filter = ["status", "issue"]
    list_select_related = ["subscriber", "issue"]
    search_fields = ["=subscriber__email"]
    search_help_text = "A whole email address."
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 100

    @admin.display(description="Subscriber", ordering="subscriber__email")
    def subscriber_email(self, delivery: Delivery) -> str:
        return delivery.subscriber.email

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _local(moment) -> str:
    if moment is None:
        return "Not scheduled"
    return f"{timezone.localtime(moment):%A %d %B %Y, %H:%M}"


class DigestScheduleAdmin(admin.ModelAdmin):
    """One row: when the digests go out on their own. The workers read it at every check."""

    fieldsets = [
        ("Daily digest", {"fields": ["daily_enabled", "daily_time", "next_daily"]}),
        (
            "Weekly digest",
            {"fields": ["weekly_enabled", "weekly_weekday", "weekly_time", "next_weekly"]},
        ),
    ]
    readonly_fields = ["next_daily", "next_weekly"]
    list_display = ["__str__", "daily_enabled", "daily_time", "weekly_enabled", "weekly_weekday"]
    list_filter = ["daily_enabled", "weekly_enabled"]

    @admin.display(description="Next daily digest")
    def next_daily(self, digests: DigestSchedule):
        return _local(schedule.next_due("newsletter.daily-digest"))

    @admin.display(description="Next weekly digest")
    def next_weekly(self, digests: DigestSchedule):
        return _local(schedule.next_due("newsletter.weekly-digest"))

    def has_add_permission(self, request) -> bool:
        return False  # the one row is made on the first visit (below)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        # There is only one schedule: go straight to it (made with the defaults on first visit).
        if self.has_view_or_change_permission(request):
            schedule, _ = DigestSchedule.objects.get_or_create(pk=1)
            return HttpResponseRedirect(
                reverse("admin:newsletter_digestschedule_change", args=[schedule.pk])
            )
        raise PermissionDenied


admin.site.register(Subscriber, SubscriberAdmin)
admin.site.register(DigestSchedule, DigestScheduleAdmin)
admin.site.register(Issue, IssueAdmin)
admin.site.register(Delivery, DeliveryAdmin)
