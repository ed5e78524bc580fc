"""Factories make valid, published objects by default; variations are Traits."""

import datetime
import io
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image as PILImage

from articles.models import Article, Author, Category, Image, MenuItem, Page
from donations.models import Campaign, Donation, SidebarBlock
from newsletter.models import Issue, Subscriber


def jpeg_bytes(width: int = 120, height: int = 80, color=(120, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    display_name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    bio = "Writes about the region."


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ImageFactory(DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="picture.jpg"))
    alt_text = "A red rectangle"
    caption = "A caption"
    credit = "Photo: Test"


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-number-{n}")
    dek = "A short summary of the article."
    body = "<p>First paragraph of the body.</p><p>Second paragraph.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(days=1, minutes=n)
    )
    primary_category = factory.SubFactory(CategoryFactory)

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        in_review = factory.Trait(status=Article.Status.REVIEW, published_at=None)
        scheduled = factory.Trait(
            status=Article.Status.SCHEDULED,
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=2)),
        )
        with_image = factory.Trait(featured_image=factory.SubFactory(ImageFactory))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create:
            self.authors.set(extracted if extracted is not None else [AuthorFactory()])

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class PageFactory(DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "<p>About this site.</p>"


class MenuItemFactory(DjangoModelFactory):
    class Meta:
        model = MenuItem

    label = factory.Sequence(lambda n: f"Item {n}")
    url = "/archives/"


# --- Newsletter


class SubscriberFactory(DjangoModelFactory):
    """A confirmed daily reader (the one an issue goes to); other states are traits."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    status = Subscriber.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(status=Subscriber.Status.PENDING, confirmed_at=None)
        unsubscribed = factory.Trait(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=factory.LazyFunction(timezone.now),
        )
        bounced = factory.Trait(
            status=Subscriber.Status.BOUNCED, bounced_at=factory.LazyFunction(timezone.now)
        )
        weekly = factory.Trait(frequency=Subscriber.Frequency.WEEKLY)


class IssueFactory(DjangoModelFactory):
    """A hand-picked edition, still a draft (ready to send); `sent` is one in the archive."""

    class Meta:
        model = Issue

    subject = factory.Sequence(lambda n: f"Issue {n}")
    intro = "Hello, readers."

    class Params:
        sent = factory.Trait(status=Issue.Status.SENT, sent_at=factory.LazyFunction(timezone.now))


# --- Donations


class CampaignFactory(DjangoModelFactory):
    """A fund drive running today; `ended` finished last week."""

    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Fund drive {n}")
    goal = Decimal("1000")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))

    class Params:
        ended = factory.Trait(
            starts_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=30)
            ),
            ends_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7)),
        )


class DonationFactory(DjangoModelFactory):
    """A gift by check, received now; `paypal` and `refund` (of another gift) are traits."""

    class Meta:
        model = Donation

    amount = Decimal("25")
    method = Donation.Method.CHECK
    reference = factory.Sequence(lambda n: f"{1000 + n}")

    class Params:
        paypal = factory.Trait(
            method=Donation.Method.PAYPAL, reference=factory.Sequence(lambda n: f"TX{n:06d}")
        )
        refund = factory.Trait(
            kind=Donation.Kind.REFUND,
            refund_of=factory.SubFactory("tests.factories.DonationFactory"),
            amount=factory.LazyAttribute(lambda gift: -gift.refund_of.amount),
        )


class SidebarBlockFactory(DjangoModelFactory):
    """A visible free-text block; pass `kind=` for the others (they need no body)."""

    class Meta:
        model = SidebarBlock

    kind = SidebarBlock.Kind.TEXT
    title = factory.LazyAttributeSequence(
        lambda block, n: f"Notice {n}" if block.kind == SidebarBlock.Kind.TEXT else ""
    )
    body = factory.LazyAttribute(
        lambda block: (
            "<p>A word from the editor.</p>" if block.kind == SidebarBlock.Kind.TEXT else ""
        )
    )
    position = factory.Sequence(lambda n: n)
