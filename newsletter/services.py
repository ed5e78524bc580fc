"""Everything the newsletter does that leaves the process or changes a subscriber's state on their
behalf: signup, confirmation, unsubscribing, the notices we mail, and composing issues.

Sending issues lives in `newsletter.sending` (the batch engine the worker runs); queueing work for
the workers in `newsletter.tasks`, which calls this module (never the other way round)."""

import dataclasses
import datetime
import functools
import logging
import uuid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Publication
from newsletter.mime import IssueMime, PreparedEmail, can_prepare
from newsletter.models import Issue, IssueArticle, Subscriber, normalize_email

logger = logging.getLogger(__name__)

NOTICE_INTERVAL = datetime.timedelta(hours=1)
BACKDATE_GRACE = datetime.timedelta(days=1)
_CONFIRM_SALT = "newsletter.confirm"

# Marks in the once-rendered issue, replaced per recipient (rendering 100,000 times would not scale).
UNSUBSCRIBE_MARK = "__newsletter_unsubscribe_url__"
PREFERENCES_MARK = "__newsletter_preferences_url__"


def absolute_url(path: str) -> str:
    """Links in mail are absolute, built from SITE_URL (there is no request in a worker)."""
    return f"{settings.SITE_URL}{path}"


def confirm_max_age() -> int:
    return int(settings.NEWSLETTER_CONFIRM_MAX_AGE)


# --- Signup, confirmation, unsubscribing -----------------------------------------------------


def record_signup(
    *,
    email: str,
    name: str = "",
    frequency: str = Subscriber.Frequency.DAILY,
    source: str = Subscriber.Source.PAGE,
    ip: str | None = None,
) -> tuple[Subscriber, str | None]:
    """Record a signup; returns the subscriber and the notice it warrants ("confirm" or
    "already"), or None when this address was mailed within the hour.

    Run it in the transaction that queues the notice (`tasks.request_subscription`)."""
    email = normalize_email(email)
    # get_or_create survives a concurrent signup of the same address: the loser of the race
    # hits the unique index inside a savepoint and reads the winner's row.
    subscriber, created = Subscriber.objects.get_or_create(
        email=email,
        defaults={"name": name, "frequency": frequency, "source": source, "signup_ip": ip},
    )
    if not created and subscriber.status in {
        Subscriber.Status.UNSUBSCRIBED,
        Subscriber.Status.BOUNCED,
    }:
        # Signing up again is the only way back after unsubscribing; consent is asked afresh.
        Subscriber.objects.filter(pk=subscriber.pk, status=subscriber.status).update(
            status=Subscriber.Status.PENDING,
            name=name or subscriber.name,
            frequency=frequency,
            signup_ip=ip,
            confirmed_at=None,
            confirmed_ip=None,
        )
        subscriber.refresh_from_db()
    if not claim_notice_slot(subscriber):
        return subscriber, None
    return subscriber, "already" if subscriber.status == Subscriber.Status.CONFIRMED else "confirm"


def claim_notice_slot(subscriber: Subscriber, *, now: datetime.datetime | None = None) -> bool:
    """True for the one caller per hour allowed to mail this address; atomic across servers."""
    now = now or timezone.now()
    won = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            Q(last_notice_sent_at__isnull=True) | Q(last_notice_sent_at__lte=now - NOTICE_INTERVAL)
        )
        .update(last_notice_sent_at=now)
    )
    return won == 1


def release_notice_slot(subscriber: Subscriber) -> None:
    """The notice could not be sent: give the hour's allowance back."""
    Subscriber.objects.filter(pk=subscriber.pk).update(last_notice_sent_at=None)


def make_confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign(subscriber.token.hex)


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def subscriber_for_confirm_token(token: str) -> Subscriber:
    """The subscriber a confirmation link names. Raises LinkExpired or LinkInvalid."""
    signer = signing.TimestampSigner(salt=_CONFIRM_SALT)
    try:
        key = signer.unsign(token, max_age=confirm_max_age())
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    subscriber = subscriber_for_token(key)
    if subscriber is None or subscriber.status not in {
        Subscriber.Status.PENDING,
        Subscriber.Status.CONFIRMED,
    }:
        # Unsubscribed after the mail went out: an old confirmation link must not undo that.
        raise LinkInvalid
    return subscriber


def subscriber_for_token(key: str) -> Subscriber | None:
    try:
        token = uuid.UUID(hex=key)
    except (ValueError, TypeError):
        return None
    return Subscriber.objects.filter(token=token).first()


def confirm_subscription(*, subscriber: Subscriber, ip: str | None) -> None:
    subscriber.confirm(ip=ip)


def unsubscribe(*, subscriber: Subscriber) -> None:
    subscriber.unsubscribe()


def purge_unconfirmed(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete signups never confirmed within 30 days; returns how many."""
    stale = Subscriber.objects.stale_pending(now=now)
    if dry_run:
        return stale.count()
    deleted, _ = stale.delete()
    return deleted


# --- Notices: the confirmation mail and "you are already subscribed" --------------------------


def send_notice(*, subscriber: Subscriber, kind: str) -> None:
    """Mail the confirmation link (kind "confirm") or a reminder with the preferences link
    (kind "already"). Runs in the worker."""
    publication = Publication.current()
    context = {
        "site": publication,
        "site_url": settings.SITE_URL,
        "subscriber": subscriber,
        "confirm_url": absolute_url(
            reverse("newsletter:confirm", kwargs={"token": make_confirm_token(subscriber)})
        ),
        "confirm_days": confirm_max_age() // 86400,
        "preferences_url": absolute_url(subscriber.get_preferences_path()),
        "unsubscribe_url": absolute_url(subscriber.get_unsubscribe_path()),
    }
    if kind == "confirm":
        subject = f"Please confirm your subscription to {publication.title}"
    else:
        subject = f"You are already subscribed to {publication.title}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"newsletter/email/{kind}.txt", context),
        from_email=publication.mail_sender(),
        to=[subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string(f"newsletter/email/{kind}.html", context), "text/html"
    )
    message.send()


# --- Issues: composing and rendering ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RenderedIssue:
    """An issue rendered once; `message_for` fills in the personal links per recipient."""

    subject: str
    text: str
    html: str
    list_id: str
    mime: IssueMime
    from_email: str

    def personalize(self, body: str, *, token_hex: str, unsubscribe: str | None = None) -> str:
        return body.replace(UNSUBSCRIBE_MARK, unsubscribe or unsubscribe_url(token_hex)).replace(
            PREFERENCES_MARK, preferences_url(token_hex)
        )

    def message_for(self, *, email: str, token_hex: str) -> EmailMultiAlternatives:
        unsubscribe = unsubscribe_url(token_hex)
        # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs here.
        personal = {"List-Unsubscribe": f"<{unsubscribe}>"}
        headers = {**personal, **STATIC_ISSUE_HEADERS, "List-Id": self.list_id}
        text = self.personalize(self.text, token_hex=token_hex, unsubscribe=unsubscribe)
        html = self.personalize(self.html, token_hex=token_hex, unsubscribe=unsubscribe)
        if can_prepare(email, list(personal.values())):
            prepared = self.mime.build(to=email, personal_headers=personal, text=text, html=html)
            message = PreparedEmail(
                subject=self.subject,
                body=text,
                from_email=self.from_email,
                to=[email],
                headers=headers,
                prepared=prepared,
            )
        else:
            message = EmailMultiAlternatives(
                subject=self.subject,
                body=text,
                from_email=self.from_email,
                to=[email],
                headers=headers,
            )
        message.attach_alternative(html, "text/html")
        return message


STATIC_ISSUE_HEADERS = {
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Precedence": "bulk",
}


_SAMPLE_TOKEN = "0" * 32


@functools.lru_cache(maxsize=16)
def _url_template(name: str, site_url: str) -> tuple[str, str]:
    """The parts of a personal link around its token, resolved once (not per recipient)."""
    url = site_url + reverse(name, kwargs={"token": _SAMPLE_TOKEN})
    before, _, after = url.rpartition(_SAMPLE_TOKEN)
    return before, after


def unsubscribe_url(token_hex: str) -> str:
    before, after = _url_template("newsletter:unsubscribe", settings.SITE_URL)
    return f"{before}{token_hex}{after}"


def preferences_url(token_hex: str) -> str:
    before, after = _url_template("newsletter:preferences", settings.SITE_URL)
    return f"{before}{token_hex}{after}"


def issue_context(issue: Issue, *, personal: bool = True) -> dict:
    publication = Publication.current()
    articles = [
        {
            "title": article.title,
            "dek": article.dek,
            "url": absolute_url(article.get_absolute_url()),
            "published_at": article.published_at,
            "authors": ", ".join(author.name for author in article.bylines()),
            "category": article.primary_category.name if article.primary_category else "",
        }
        for article in issue.ordered_articles()
    ]
    return {
        "issue": issue,
        "site": publication,
        "site_url": settings.SITE_URL,
        "intro_paragraphs": [p.strip() for p in issue.intro.split("\n\n") if p.strip()],
        "articles": articles,
        "web_url": absolute_url(issue.get_absolute_url()),
        "archive_url": absolute_url(reverse("newsletter:archive")),
        "unsubscribe_url": UNSUBSCRIBE_MARK if personal else "",
        "preferences_url": PREFERENCES_MARK if personal else "",
    }


def render_issue(issue: Issue) -> RenderedIssue:
    context = issue_context(issue)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    list_id = f"{context['site'].title} <newsletter.{host}>"
    sender = context["site"].mail_sender()
    return RenderedIssue(
        subject=issue.subject,
        text=render_to_string("newsletter/email/issue.txt", context),
        html=render_to_string("newsletter/email/issue.html", context),
        list_id=list_id,
        mime=IssueMime(
            subject=issue.subject,
            from_email=sender,
            static_headers={**STATIC_ISSUE_HEADERS, "List-Id": list_id},
        ),
        from_email=sender,
    )


def send_test_issue(*, issue: Issue, email: str) -> None:
    """One copy to the editor; its personal links point nowhere (there is no subscriber)."""
    rendered = render_issue(issue)
    rendered = dataclasses.replace(
        rendered,
        subject=f"[Test] {rendered.subject}",
        mime=IssueMime(
            subject=f"[Test] {rendered.subject}",
            from_email=rendered.from_email,
            static_headers={**STATIC_ISSUE_HEADERS, "List-Id": rendered.list_id},
        ),
    )
    rendered.message_for(email=normalize_email(email), token_hex=uuid.UUID(int=0).hex).send()


def create_digest(
    *, frequency: str = Issue.Kind.DAILY, now: datetime.datetime | None = None
) -> Issue | None:
    """Make the daily (or weekly) digest of the articles published since the previous one.

    Returns None, and makes nothing, when no article is new."""
    now = now or timezone.now()
    previous = (
        Issue.objects.filter(kind=frequency, period_end__isnull=False)
        .order_by("-period_end")
        .first()
    )
    fallback = datetime.timedelta(days=7 if frequency == Issue.Kind.WEEKLY else 1)
    since = previous.period_end if previous else now - fallback
    # An article published with a back-dated time just after the last digest went out is still
    # new to readers: look a day further back, leaving out what an earlier digest carried.
    articles = list(
        Article.objects.published()
        .filter(published_at__gt=since - BACKDATE_GRACE, published_at__lte=now)
        .exclude(issue_links__issue__kind=frequency)
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)
    )
    if not articles:
        return None
    title = Publication.current().title
    label = "Daily digest" if frequency == Issue.Kind.DAILY else "Weekly digest"
    local_day = timezone.localdate(now)
    with transaction.atomic():
        issue = Issue.objects.create(
            subject=f"{title} — {label}, {local_day:%B} {local_day.day}, {local_day.year}",
            kind=frequency,
            audience=frequency,
            period_start=since,
            period_end=now,
        )
        IssueArticle.objects.bulk_create(
            IssueArticle(issue=issue, article_id=pk, position=index)
            for index, pk in enumerate(reversed(articles))
        )
    return issue
