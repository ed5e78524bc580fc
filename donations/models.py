"""The support side of the site: what readers are asked for, and the record of what came in."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Self

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Publication
from articles.sanitize import clean_html
from articles.singleton import SingletonModel

CURRENCIES = [
    ("USD", "US dollar"),
    ("EUR", "Euro"),
    ("GBP", "Pound sterling"),
    ("CAD", "Canadian dollar"),
    ("AUD", "Australian dollar"),
    ("CHF", "Swiss franc"),
    ("SEK", "Swedish krona"),
    ("NOK", "Norwegian krone"),
    ("DKK", "Danish krone"),
    ("NZD", "New Zealand dollar"),
    ("JPY", "Japanese yen"),
]


def parse_amounts(text: str) -> list[Decimal]:
    """'10, 25 ,50' -> [10, 25, 50]; raises ValueError on anything that is not a positive amount."""
    amounts = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            amount = Decimal(part.strip())
        except InvalidOperation:
            raise ValueError(f"“{part.strip()}” is not an amount.") from None
        if not amount.is_finite() or amount <= 0:
            raise ValueError(f"“{part.strip()}” is not a positive amount.")
        amounts.append(amount.quantize(Decimal("0.01")))
    return amounts


def validate_amount_list(text: str) -> None:
    try:
        amounts = parse_amounts(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if not amounts:
        raise ValidationError("List at least one amount, e.g. “10, 25, 50, 100”.")


class DonationSettings(SingletonModel):
    """The editor's words and PayPal/check details. One row; `current()` reads it from cache."""

    CACHE_KEY = "donations:settings"
    CACHE_SECONDS = 3600

    appeal_heading = models.CharField(max_length=120, default="Support Independent Journalism")
    appeal_text = models.TextField(
        default="Reader support keeps this site independent and free of paywalls.",
        help_text="Plain text; blank lines separate paragraphs. Shown in the sidebar and on /donate/.",
    )
    donate_page_text = models.TextField(
        blank=True, help_text="Extra paragraphs shown only on the /donate/ page."
    )
    suggested_amounts = models.CharField(
        max_length=120,
        default="10, 25, 50, 100",
        validators=[validate_amount_list],
        help_text="Comma-separated amounts offered as buttons.",
    )
    default_amount = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("25"), validators=[MinValueValidator(1)]
    )
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    monthly_enabled = models.BooleanField(
        "offer monthly giving",
        default=True,
        help_text="Needs a PayPal business id (hosted buttons cannot be made recurring here).",
    )
    paypal_business = models.CharField(
        "PayPal business id",
        max_length=254,
        blank=True,
        help_text=(
            "The PayPal account's email address or merchant id that receives donations. Needed "
            "with a hosted button too: PayPal notifications are accepted only for this receiver."
        ),
    )
    paypal_hosted_button_id = models.CharField(
        "PayPal hosted button id",
        max_length=64,
        blank=True,
        help_text="Used for one-time gifts only when no business id is set.",
    )
    paypal_item_name = models.CharField(
        max_length=127,
        blank=True,
        help_text="What PayPal shows the reader. Blank: “Donation to” and the publication's title.",
    )
    paypal_sandbox = models.BooleanField(
        "use PayPal's sandbox",
        default=False,
        help_text="Send readers to sandbox.paypal.com (set PAYPAL_IPN_VERIFY_URL to the sandbox too).",
    )
    check_payee = models.CharField("make checks payable to", max_length=120, blank=True)
    check_address = models.TextField("mailing address for checks", blank=True)
    check_note = models.CharField(max_length=250, blank=True)
    thank_you_heading = models.CharField(max_length=120, default="Thank you!")
    thank_you_text = models.TextField(
        default="Your gift keeps independent journalism going. A receipt is on its way from PayPal."
    )
    thank_you_email_subject = models.CharField(
        max_length=150, default="Thank you for supporting our journalism"
    )
    thank_you_email_text = models.TextField(
        default="Thank you for your gift. Readers like you keep this site independent.",
        help_text="Plain text; the greeting and the amount are added around it.",
    )

    class Meta:
        verbose_name = "donation settings"
        verbose_name_plural = "donation settings"

    def __str__(self) -> str:
        return "Donation settings"

    def clean(self) -> None:
        if self.paypal_business and " " in self.paypal_business.strip():
            raise ValidationError(
                {"paypal_business": "An email address or merchant id has no spaces."}
            )

    @property
    def amount_choices(self) -> list[Decimal]:
        try:
            return parse_amounts(self.suggested_amounts)
        except ValueError:
            return []

    @property
    def accepts_paypal(self) -> bool:
        return bool(self.paypal_business or self.paypal_hosted_button_id)

    def item_name(self) -> str:
        """The gift's name on PayPal's checkout: the editor's, or "Donation to The Long View"."""
        return self.paypal_item_name or f"Donation to {Publication.current().title}"

    @property
    def offers_monthly(self) -> bool:
        return self.monthly_enabled and bool(self.paypal_business)

    @property
    def accepts_checks(self) -> bool:
        return bool(self.check_payee and self.check_address)

    def is_our_receiver(self, *candidates: str) -> bool:
        """Does any of PayPal's receiver fields (receiver_email, receiver_id, business) name us?"""
        ours = self.paypal_business.strip().lower()
        return bool(ours) and any(c.strip().lower() == ours for c in candidates if c)


class CampaignQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> Self:
        """Campaigns whose period covers `on` (today), newest first."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on).order_by("-starts_on", "-pk")


class Campaign(models.Model):
    """A fundraising goal over a period; its progress is the sum of the donations linked to it."""

    RAISED_CACHE_KEY = "donations:campaign-raised"

    title = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    goal = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="donations_campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(goal__gt=0), name="donations_campaign_goal_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The campaign must end on or after its first day."})

    def raised(self) -> Decimal:
        """Net amount received in the campaign's currency. Every campaign's totals are read in one
        query and kept in the sitewide cache until the next change (a gift moves the generation)."""

        def totals_of_every_campaign() -> dict[tuple[int, str], Decimal]:
            return {
                (row["campaign"], row["currency"]): row["total"]
                for row in Donation.objects.filter(campaign__isnull=False)
                .values("campaign", "currency")
                .annotate(total=Sum("amount"))
                .order_by()
            }

        totals = caches["sitewide"].get_or_set(
            self.RAISED_CACHE_KEY, totals_of_every_campaign, 3600
        )
        return totals.get((self.pk, self.currency)) or Decimal("0")

    def percent_raised(self) -> int:
        return max(0, min(100, int(self.raised() * 100 / self.goal))) if self.goal else 0


class DonationQuerySet(models.QuerySet):
    def totals_by_currency(self) -> list[dict]:
        """[{"currency": "USD", "total": Decimal, "count": int}, ...] for this set (net of refunds)."""
        return list(
            self.order_by()
            .values("currency")
            .annotate(total=Sum("amount"), count=models.Count("pk"))
            .order_by("currency")
        )

    def monthly_totals(self, currency: str) -> list[dict]:
        """[{"month": datetime, "total": Decimal}, ...] oldest first, for one currency."""
        return list(
            self.filter(currency=currency)
            .order_by()
            .annotate(month=TruncMonth("received_at"))
            .values("month")
            .annotate(total=Sum("amount"))
            .order_by("month")
        )

    def recurring_donor_thanked(self, email: str) -> bool:
        """Has this address already been thanked for a monthly gift?"""
        return bool(email) and (
            self.filter(
                recurring=True, thank_you_sent_at__isnull=False, donor_email__iexact=email
            ).exists()
        )

    def awaiting_thank_you(self) -> Self:
        return self.filter(kind=Donation.Kind.DONATION, thank_you_sent_at__isnull=True).exclude(
            donor_email=""
        )


class Donation(models.Model):
    """One movement of money: a gift, or a refund/reversal recorded against the gift it undoes."""

    class Method(models.TextChoices):
        PAYPAL = "paypal", "PayPal"
        CHECK = "check", "Check"
        OTHER = "other", "Other"

    class Kind(models.TextChoices):
        DONATION = "donation", "Donation"
        REFUND = "refund", "Refund"
        REVERSAL = "reversal", "Reversal (chargeback)"
        REVERSAL_CANCELLED = "reversal_cancelled", "Reversal cancelled"

    amount = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Refunds and reversals are negative."
    )
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.CHECK)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DONATION)
    donor_name = models.CharField(max_length=200, blank=True)
    donor_email = models.EmailField(blank=True)
    received_at = models.DateTimeField("date received", default=timezone.now, db_index=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="donations"
    )
    recurring = models.BooleanField(default=False, help_text="Part of a monthly subscription.")
    reference = models.CharField(
        max_length=64, blank=True, help_text="PayPal transaction id or check number."
    )
    note = models.TextField(blank=True)
    refund_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        help_text="For refunds and reversals: the gift this undoes.",
    )
    thank_you_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            # PayPal retries notifications: one row per transaction id, enforced by the database.
            models.UniqueConstraint(
                fields=["method", "reference"],
                condition=Q(method="paypal") & ~Q(reference=""),
                name="donations_unique_paypal_transaction",
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=["donation", "reversal_cancelled"]) & Q(amount__gt=0))
                | (Q(kind__in=["refund", "reversal"]) & Q(amount__lt=0)),
                name="donations_amount_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        who = self.donor_name or self.donor_email or "anonymous"
        return f"{self.amount} {self.currency} ({self.get_kind_display().lower()}, {who})"

    def clean(self) -> None:
        if self.amount is None:
            return
        gives = self.kind in (self.Kind.DONATION, self.Kind.REVERSAL_CANCELLED)
        if gives and self.amount <= 0:
            raise ValidationError({"amount": "A donation is a positive amount."})
        if not gives and self.amount >= 0:
            raise ValidationError(
                {"amount": "Refunds and reversals are entered as negative amounts."}
            )
        if not gives and not self.refund_of_id:
            raise ValidationError(
                {"refund_of": "Say which donation this refund or reversal undoes."}
            )

    @property
    def thank_you_sent(self) -> bool:
        return self.thank_you_sent_at is not None


class PayPalNotification(models.Model):
    """Every IPN message as received, so none is lost while PayPal's verifier is unreachable."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for verification"
        RECORDED = "recorded", "Recorded"
        DUPLICATE = "duplicate", "Duplicate (already recorded)"
        IGNORED = "ignored", "Verified but ignored"
        INVALID = "invalid", "Rejected by PayPal (INVALID)"
        FAILED = "failed", "Gave up verifying"

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    body = models.TextField(help_text="The urlencoded body exactly as PayPal sent it.")
    txn_id = models.CharField(max_length=64, blank=True, db_index=True)
    txn_type = models.CharField(max_length=64, blank=True)
    payment_status = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    detail = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    donation = models.ForeignKey(
        Donation, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    sender_ip = models.GenericIPAddressField(
        null=True, blank=True, help_text="Where the notification came from (PayPal's servers)."
    )
    body_digest = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="SHA-256 of the body: resends match it."
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "PayPal notification"
        indexes = [
            models.Index(fields=["sender_ip", "status"], name="donations_ipn_sender_status"),
        ]

    def __str__(self) -> str:
        return f"IPN {self.txn_id or '(no txn_id)'} {self.payment_status} – {self.get_status_display()}"


class PromotionQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> Self:
        """Promotions shown on `on` (today): inside their dates, in the editor's order."""
        on = on or timezone.localdate()
        return (
            self.filter(is_published=True)
            .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .order_by("position", "pk")
        )


class Promotion(models.Model):
    """A book or product the site promotes in the sidebar."""

    title = models.CharField(max_length=200)
    cover = models.ImageField(
        upload_to="promotions/", width_field="cover_width", height_field="cover_height", blank=True
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    text = models.CharField("short text", max_length=300, blank=True)
    link_url = models.URLField("buy link", max_length=500)
    link_label = models.CharField(max_length=60, default="Buy the book")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    is_published = models.BooleanField("show", default=True)
    starts_on = models.DateField(null=True, blank=True, help_text="Empty: from now on.")
    ends_on = models.DateField(null=True, blank=True, help_text="Empty: until unpublished.")

    objects = PromotionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The promotion must end on or after its first day."})


class SocialLink(models.Model):
    class Network(models.TextChoices):
        BLUESKY = "bluesky", "Bluesky"
        INSTAGRAM = "instagram", "Instagram"
        MASTODON = "mastodon", "Mastodon"
        THREADS = "threads", "Threads"
        X = "x", "X (Twitter)"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        TIKTOK = "tiktok", "TikTok"
        LINKEDIN = "linkedin", "LinkedIn"
        TELEGRAM = "telegram", "Telegram"
        RSS = "rss", "RSS feed"
        OTHER = "other", "Other"

    network = models.CharField(max_length=20, choices=Network.choices)
    label = models.CharField(max_length=60, blank=True, help_text="Empty: the network's name.")
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    is_visible = models.BooleanField("show", default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or self.get_network_display()


class SidebarBlock(models.Model):
    """One box in the sidebar; the editor orders, shows and hides them in the admin."""

    class Kind(models.TextChoices):
        DONATION_APPEAL = "donation_appeal", "Donation appeal"
        CAMPAIGN = "campaign", "Campaign progress"
        NEWSLETTER = "newsletter", "Newsletter signup"
        SOCIAL_LINKS = "social_links", "Social links"
        POPULAR = "popular", "Popular posts"
        PROMOTIONS = "promotions", "Promotions"
        TEXT = "text", "Free text"

    # The order used until the editor saves any block (the seed site's sidebar).
    DEFAULT_ORDER = [
        Kind.DONATION_APPEAL,
        Kind.CAMPAIGN,
        Kind.NEWSLETTER,
        Kind.SOCIAL_LINKS,
        Kind.POPULAR,
        Kind.PROMOTIONS,
    ]

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(
        max_length=120, blank=True, help_text="Heading of free-text and social blocks."
    )
    body = models.TextField(
        blank=True, help_text="Free-text blocks only. Basic HTML (links, emphasis, lists)."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    is_visible = models.BooleanField("show", default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def clean(self) -> None:
        if self.kind == self.Kind.TEXT and not self.body.strip():
            raise ValidationError({"body": "A free-text block needs some text."})

    @property
    def safe_body(self) -> SafeString:
        return mark_safe(clean_html(self.body))  # cleaned by the site's allow-list


def next_dated_change() -> datetime.datetime | None:
    """The next midnight at which a campaign or promotion starts or ends: the sidebar shows them,
    so the page cache moves on then (DonationsConfig.page_cache_next_change)."""
    today = timezone.localdate()
    days = [
        day
        for model in (Campaign, Promotion)
        for start, end in model.objects.values_list("starts_on", "ends_on")
        for day in (start, end + datetime.timedelta(days=1) if end else None)
        if day and day > today
    ]
    if not days:
        return None
    return timezone.make_aware(datetime.datetime.combine(min(days), datetime.time()))
