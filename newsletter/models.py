"""The newsletter: who receives it (Subscriber), what is sent (Issue, its IssueArticles) and what
happened to each copy (Delivery, one per subscriber per issue)."""

import datetime
import uuid
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from articles.models import live_or_scheduled_condition

UNCONFIRMED_LIFETIME = datetime.timedelta(days=30)


def normalize_email(value: str) -> str:
    """One spelling per address: surrounding spaces and letter case never make a second subscriber."""
    return (value or "").strip().lower()


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self) -> Self:
        """Addresses that receive issues: confirmed by their owner, not unsubscribed or bounced."""
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def for_audience(self, audience: str) -> Self:
        """The confirmed subscribers an issue of `audience` goes to."""
        confirmed = self.confirmed()
        if audience == Issue.Audience.ALL:
            return confirmed
        return confirmed.filter(frequency=audience)

    def stale_pending(self, *, now: datetime.datetime | None = None) -> Self:
        """Signups never confirmed within 30 days: purged, since there is no consent to keep them."""
        cutoff = (now or timezone.now()) - UNCONFIRMED_LIFETIME
        return self.filter(status=Subscriber.Status.PENDING, created_at__lt=cutoff)

    def unsubscribe_all(self) -> int:
        return self.exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
            status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )

    def reenable_bounced(self) -> int:
        """The editor's decision that a bounced address works again."""
        return self.filter(status=Subscriber.Status.BOUNCED).update(
            status=Subscriber.Status.CONFIRMED, bounced_at=None, bounce_reason=""
        )

    def counts_by_status(self) -> dict[str, int]:
        rows = self.order_by().values_list("status").annotate(n=Count("pk"))
        counts = dict.fromkeys(Subscriber.Status.values, 0)
        counts.update(dict(rows))
        return counts


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    class Source(models.TextChoices):
        SIDEBAR = "sidebar", "Sidebar form"
        PAGE = "page", "Newsletter page"
        IMPORT = "import", "CSV import"
        ADMIN = "admin", "Added in the admin"

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING, db_index=True)
    frequency = models.CharField(max_length=6, choices=Frequency, default=Frequency.DAILY)
    source = models.CharField(max_length=8, choices=Source, default=Source.ADMIN, db_index=True)
    # The key of every personal link (confirm, unsubscribe, preferences). Random and stored, so
    # links in old emails keep working even after SECRET_KEY is rotated.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("signed up", default=timezone.now)
    signup_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField("consent given", null=True, blank=True, editable=False)
    confirmed_ip = models.GenericIPAddressField("consent IP", null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True, editable=False)
    bounced_at = models.DateTimeField(null=True, blank=True, editable=False)
    bounce_reason = models.CharField(max_length=500, blank=True, editable=False)
    # When we last mailed this address outside an issue (confirmation, "already subscribed").
    last_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # `email` is stored normalised; this guards writers that forget to normalise.
            models.UniqueConstraint(Lower("email"), name="subscriber_email_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "frequency", "id"], name="subscriber_audience"),
            # The admin list's default order (newest first), walked backwards, without a sort.
            models.Index(fields=["created_at", "id"], name="subscriber_signup_order"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.email = normalize_email(self.email)

    # --- Personal links (paths; services make them absolute for mail).

    def get_unsubscribe_path(self) -> str:
        return reverse("newsletter:unsubscribe", kwargs={"token": self.token.hex})

    def get_preferences_path(self) -> str:
        return reverse("newsletter:preferences", kwargs={"token": self.token.hex})

    # --- Transitions. Each saves only the fields it changes.

    def confirm(self, *, ip: str | None, at: datetime.datetime | None = None) -> None:
        """Record consent. Confirming an already confirmed address changes nothing."""
        if self.status == self.Status.CONFIRMED:
            return
        self.status = self.Status.CONFIRMED
        self.confirmed_at = at or timezone.now()
        self.confirmed_ip = ip
        self.unsubscribed_at = None
        self.save(update_fields=["status", "confirmed_at", "confirmed_ip", "unsubscribed_at"])

    def unsubscribe(self) -> None:
        if self.status == self.Status.UNSUBSCRIBED:
            return
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = timezone.now()
        self.save(update_fields=["status", "unsubscribed_at"])


class IssueQuerySet(models.QuerySet):
    def archived(self) -> Self:
        """Issues readers may read on the web: those that went out."""
        return self.filter(status=Issue.Status.SENT, show_in_archive=True)

    def stalled(self, *, now: datetime.datetime | None = None) -> Self:
        """Sends whose workers stopped making progress (killed, or the queue lost the task)."""
        lease = datetime.timedelta(seconds=claim_lease_seconds())
        cutoff = (now or timezone.now()) - lease
        return self.filter(
            status__in=[Issue.Status.QUEUED, Issue.Status.SENDING], last_progress_at__lt=cutoff
        )


def claim_lease_seconds() -> int:
    return int(settings.NEWSLETTER_CLAIM_LEASE_SECONDS)


class Issue(models.Model):
    """One edition of the newsletter."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    class Kind(models.TextChoices):
        EDITION = "edition", "Hand-picked edition"
        DAILY = "daily", "Daily digest"
        WEEKLY = "weekly", "Weekly digest"

    class Audience(models.TextChoices):
        ALL = "all", "Every confirmed subscriber"
        DAILY = "daily", "Subscribers who chose daily"
        WEEKLY = "weekly", "Subscribers who chose weekly"

    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="Plain text; blank lines start new paragraphs.")
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.EDITION)
    audience = models.CharField(max_length=8, choices=Audience, default=Audience.ALL)
    articles = models.ManyToManyField(
        "articles.Article", through="IssueArticle", related_name="newsletter_issues", blank=True
    )
    # For digests: the articles published in (period_start, period_end] are the issue's.
    period_start = models.DateTimeField(null=True, blank=True, editable=False)
    period_end = models.DateTimeField(null=True, blank=True, editable=False)
    show_in_archive = models.BooleanField(
        default=True, help_text="Readable on the web at /newsletter/archive/ once sent."
    )
    status = models.CharField(
        max_length=8, choices=Status, default=Status.DRAFT, editable=False, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients_prepared = models.BooleanField(default=False, editable=False)
    recipient_count = models.PositiveIntegerField(default=0, editable=False)
    sent_at = models.DateTimeField("finished sending", null=True, blank=True, editable=False)
    last_progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_issue", "Can send an issue to subscribers")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletter:archive-detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def ordered_articles(self) -> models.QuerySet:
        """The issue's published articles in the editor's order, ready for teasers."""
        from articles.models import Article

        return (
            Article.objects.published()
            .filter(issue_links__issue=self)
            .for_listing()
            .order_by("issue_links__position", "issue_links__pk")
        )

    def articles_not_live(self) -> list:
        """The issue's articles readers cannot open yet (scheduled for later, or taken back to
        draft or review): `ordered_articles` would leave them out, so the issue must wait."""
        from articles.models import Article

        live = Article.objects.published().filter(pk=models.OuterRef("article_id"))
        return [
            link.article
            for link in self.article_links.select_related("article")
            .exclude(models.Exists(live))
            .order_by("position", "pk")
        ]

    def progress(self) -> dict[str, int]:
        """Copies sent, failed (incl. bounced), skipped and still to go."""
        rows = dict(self.deliveries.order_by().values_list("status").annotate(n=Count("pk")))
        done = Delivery.Status
        sent = rows.get(done.SENT, 0)
        failed = rows.get(done.FAILED, 0) + rows.get(done.BOUNCED, 0)
        skipped = rows.get(done.SKIPPED, 0)
        remaining = rows.get(done.PENDING, 0) + rows.get(done.CLAIMED, 0)
        return {
            "sent": sent,
            "failed": failed,
            "bounced": rows.get(done.BOUNCED, 0),
            "skipped": skipped,
            "remaining": remaining,
            "total": sum(rows.values()),
        }


class IssueArticle(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="issue_links",
        # Only what readers will be able to open: drafts and articles in review are not offered.
        limit_choices_to=live_or_scheduled_condition,
        help_text="Published articles, or scheduled ones (the issue cannot go out before they do).",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="issue_article_once")
        ]
        verbose_name = "article in the issue"
        verbose_name_plural = "articles in the issue"

    def __str__(self) -> str:
        return str(self.article)


class DeliveryQuerySet(models.QuerySet):
    def claimable(self, *, now: datetime.datetime | None = None) -> Self:
        """Copies no live worker holds: never claimed, or claimed by a worker whose lease ran out."""
        cutoff = (now or timezone.now()) - datetime.timedelta(seconds=claim_lease_seconds())
        return self.filter(
            Q(status=Delivery.Status.PENDING)
            | Q(status=Delivery.Status.CLAIMED, claimed_at__lt=cutoff)
        )


class Delivery(models.Model):
    """One copy of one issue for one subscriber. The unique pair is what makes sends exactly-once:
    a resumed or parallel send can only ever pick up copies that are not yet sent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        CLAIMED = "claimed", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced (address rejected)"
        SKIPPED = "skipped", "Skipped (unsubscribed during the send)"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once_per_issue")
        ]
        indexes = [models.Index(fields=["issue", "status", "id"], name="delivery_work_queue")]

    def __str__(self) -> str:
        return f"{self.issue} → {self.subscriber_id}"

    def clean(self) -> None:
        if self.status == self.Status.SENT and not self.sent_at:
            raise ValidationError({"sent_at": "A sent copy needs its time."})
