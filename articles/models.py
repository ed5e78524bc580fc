"""Content: who writes (Author), what they write (Article, Page), how it is filed (Category, tags),
the pictures it shows (Image) and how readers find it (MenuItem, Publication)."""

import datetime
import re
from collections.abc import Iterator
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import parseaddr
from html import unescape
from typing import NamedTuple, Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connections, models
from django.db.models import Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.urls import URLResolver, get_resolver, get_script_prefix
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.functional import cached_property
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from articles.embeds import video_embed_url, video_host
from articles.sanitize import clean_html
from articles.singleton import SingletonModel

WORDS_PER_MINUTE = 230
_READ_MORE = re.compile(r'<span id="more-\d+"></span>')


def plain_text(html: str) -> str:
    """A body as text: a space between adjacent tags (so "<h2>Title</h2><p>Text" is two words),
    entities made characters, spaces collapsed. Autoescaping makes it safe again in templates."""
    return " ".join(unescape(strip_tags(html.replace("><", "> <"))).split())


# WordPress's own addresses, which no URL pattern here owns: old links and bots still ask for them
# (the legacy redirects answer /wp-content/uploads/…), and a page must not shadow them.
WORDPRESS_PATHS = ("wp-admin", "wp-content", "wp-login.php")


def site_path(*segments: str) -> str:
    """`/segment/…/` under the site's script prefix: what `reverse()` answers for the reader
    URLs in articles/urls.py (tests/articles/test_urls.py holds them equal), without its cost:
    a listing page builds some hundred addresses, and reverse() made a tenth of its render time."""
    return get_script_prefix() + "/".join(segments) + "/"


def reserved_slugs() -> frozenset[str]:
    """First path segments other addresses own, so a Page may not take one as its slug: the
    literal first segment of every URL pattern (admin, feed, search, donate, robots.txt…), the
    static and media prefixes (served before the URLs are consulted) and WordPress's paths."""
    segments = set(WORDPRESS_PATHS)
    for prefix in (settings.STATIC_URL, settings.MEDIA_URL):
        if "://" not in prefix:
            segments.add(prefix.strip("/").split("/")[0])
    segments.update(_first_segments(get_resolver().url_patterns))
    segments.discard("")
    return frozenset(segments)


def _first_segments(patterns) -> Iterator[str]:
    for entry in patterns:
        head = str(entry.pattern).removeprefix("^").split("/", 1)[0]
        if isinstance(entry, URLResolver) and not head:
            yield from _first_segments(entry.url_patterns)  # include("…") at the root
        elif re.fullmatch(r"[\w.-]+", head):  # a literal, not <a converter> or (a group)
            yield head


class Publication(SingletonModel):
    """The site's identity, edited in the admin. There is one row; `current()` reads it from cache."""

    CACHE_KEY = "articles:publication"

    title = models.CharField(max_length=120, default="Newsroom")
    tagline = models.CharField(max_length=200, blank=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences for search engines and social cards."
    )
    copyright_holder = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = "publication settings"
        verbose_name_plural = "publication settings"

    def __str__(self) -> str:
        return self.title

    def mail_sender(self) -> str:
        """The From of mail sent in the publication's name: "The Long View <news@…>", the title
        with DEFAULT_FROM_EMAIL's address (the name quoted where RFC 5322 needs it; the mailer
        encodes non-ASCII names)."""
        fallback_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        try:
            return str(Address(display_name=self.title or fallback_name, addr_spec=address))
        except (ValueError, IndexError, HeaderParseError):
            return settings.DEFAULT_FROM_EMAIL


class Author(models.Model):
    """A byline. It may belong to a login (contributors) or stand alone (guests, imported writers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )
    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    bio = models.TextField(blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return site_path("author", self.slug)


class Byline(NamedTuple):
    name: str
    url: str


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return site_path("category", self.slug)


# Renditions are named after their picture: images/2019/05/river.jpg → renditions/2019/05/river-480w.webp
_RENDITION_NAME = re.compile(r"^(?P<folder>.+)/(?P<stem>[^/]+)-(?P<width>\d+)w\.[a-z]+$")


class ImageQuerySet(models.QuerySet):
    def stored_at(self, url: str) -> "Image | None":
        """The library Image whose file or rendition lives at `url` (a path under MEDIA_URL)."""
        media_url = default_storage.base_url
        if not url.startswith(media_url):
            return None
        name = url.removeprefix(media_url)
        rendition = _RENDITION_NAME.match(name)
        if rendition:
            folder = rendition["folder"].replace("renditions", "images", 1)
            candidates = self.filter(file__startswith=f"{folder}/{rendition['stem']}.")
            return next((i for i in candidates if name in i.rendition_names), None)
        return self.filter(file=name).first()


class Image(models.Model):
    """A picture in the library, used as a featured image or inside bodies. Its files and
    renditions are made by articles.renditions."""

    file = models.ImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        max_length=300, help_text="Describe the picture for readers who cannot see it."
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Resized copies made at upload: {format: [{width, height, url}]}.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    wp_attachment_id = models.PositiveBigIntegerField(
        "WordPress attachment id", null=True, blank=True, unique=True, editable=False
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.alt_text or self.file.name

    @property
    def rendition_names(self) -> set[str]:
        return {
            entry["name"]
            for key in ("original", "webp")
            for entry in (self.renditions or {}).get(key, [])
        }


BODY_IMAGE_SIZES = "(min-width: 960px) 700px, 100vw"
_IMG_TAG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


def with_responsive_images(html: str) -> str:
    """Give every library picture in a body its size, WebP `srcset`, `sizes` and lazy loading.

    Runs when an article is saved (the editor sends only src and alt), so reading costs nothing."""
    if "<img" not in html:
        return html

    def rewrite(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        image = Image.objects.stored_at(attributes.get("src", ""))
        if image is None or not image.width:
            return match.group(0)
        webp = (image.renditions or {}).get("webp") or []
        attributes.update(width=str(image.width), height=str(image.height), loading="lazy")
        if webp:
            attributes["srcset"] = ", ".join(f"{r['url']} {r['width']}w" for r in webp)
            attributes.setdefault("sizes", BODY_IMAGE_SIZES)  # a gallery gives its own
        attributes.setdefault("alt", image.alt_text)
        # Values come HTML-escaped from the sanitiser: unescape first so nothing is escaped twice.
        pairs = (f'{key}="{escape(unescape(value))}"' for key, value in attributes.items())
        return "<img " + " ".join(pairs) + ">"

    return _IMG_TAG.sub(rewrite, html)


def in_progress_first_ordering() -> list:
    """The order of a writer's own work list (also the admin's ordering for contributors)."""
    in_progress = Case(
        When(status__in=Article.EDITABLE_BY_CONTRIBUTOR, then=Value(0)), default=Value(1)
    )
    return [in_progress.asc(), "-updated_at", "-pk"]


# The order of names in a byline: by name, then (the same name twice) by id.
BYLINE_ORDER_SQL = "author.display_name, author.id"


def article_authors_sql(article_id: str) -> str:
    """`FROM … WHERE …` for the authors (as `author`) of the article whose id is `article_id`,
    an SQL expression or placeholder."""
    links = Article.authors.through._meta
    return (
        f"FROM {Author._meta.db_table} author JOIN {links.db_table} link "
        f"ON link.{links.get_field('author').column} = author.id "
        f"WHERE link.{links.get_field('article').column} = {article_id}"
    )


def listed_authors_sql() -> RawSQL:
    """The article's authors as [{"name", "slug"}] in byline order (PostgreSQL). Written as SQL:
    built through the ORM (an ArraySubquery), it took longer to put together than to run, and
    every listing builds it, even one whose rows are kept."""
    return RawSQL(
        "ARRAY(SELECT jsonb_build_object('name', author.display_name, 'slug', author.slug) "
        f"{article_authors_sql(f'{Article._meta.db_table}.id')} ORDER BY {BYLINE_ORDER_SQL})",
        (),
        output_field=ArrayField(models.JSONField()),
    )


class ArticleQuerySet(models.QuerySet):
    def published(self) -> Self:
        """Articles a reader may see: published or scheduled, once their time has come."""
        return self.filter(status__in=Article.LIVE_STATUSES, published_at__lte=timezone.now())

    def for_listing(self) -> Self:
        """Everything a teaser shows, fetched in a fixed number of queries. The bylines (read with
        `Article.bylines()`) come with the rows on PostgreSQL, as an array of the authors' names
        and slugs: one query where a prefetch takes two, and a third of a listing's time in the
        ORM. Elsewhere they are prefetched."""
        listing = self.select_related("primary_category", "featured_image")
        if connections[self.db].vendor != "postgresql":
            return listing.prefetch_related("authors")
        return listing.annotate(listed_authors=listed_authors_sql())

    def newest_first(self) -> Self:
        return self.order_by("-published_at", "-pk")

    def in_category(self, category: Category) -> Self:
        # A subquery, not a join + DISTINCT: DISTINCT over whole rows (bodies included) made the
        # paginator's COUNT take half a second at 50,000 articles. Written as SQL: built through
        # the ORM, the subquery cost more to put together than the kept page it belongs to.
        links = Article.categories.through._meta
        category_column = links.get_field("category").column
        linked = RawSQL(
            f"SELECT {links.get_field('article').column} FROM {links.db_table} "
            f"WHERE {category_column} = %s",
            (category.pk,),
        )
        return self.filter(Q(primary_category=category) | Q(pk__in=linked))

    def in_review(self) -> Self:
        return self.filter(status=Article.Status.REVIEW)

    def scheduled(self) -> Self:
        """Scheduled articles whose time has not come yet."""
        return self.filter(status=Article.Status.SCHEDULED, published_at__gt=timezone.now())

    def written_by(self, user) -> Self:
        """Articles `user` created or is a byline of (a subquery, so no duplicate rows)."""
        own = Article.objects.filter(Q(created_by=user) | Q(authors__user=user)).values("pk")
        return self.filter(pk__in=own)

    def visible_in_admin_to(self, user) -> Self:
        """The articles a staff user sees in the admin: all for editors, their own for contributors."""
        if user.has_perm("articles.edit_any_article"):
            return self.all()
        return self.written_by(user)

    def editable_by(self, user) -> Self:
        """Editors change any article; a contributor only their own, while it is a draft or in review."""
        if user.has_perm("articles.edit_any_article"):
            return self.all()
        return self.written_by(user).filter(status__in=Article.EDITABLE_BY_CONTRIBUTOR)


class TransitionNotAllowed(ValueError):
    """A workflow step that the article's current status does not allow; `field` names the
    field at fault, if one is (the publish time of a schedule)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Workflow:
    """The steps an editor or writer takes with an article (`Article.take_step`); the admin's
    buttons post them as `_workflow=<step>`."""

    SAVE = "save"  # keep the status
    DRAFT = "draft"  # save as draft / back to draft
    REVIEW = "review"  # submit for review
    PUBLISH = "publish"  # publish now
    SCHEDULE = "schedule"  # publish at the chosen future time
    UNPUBLISH = "unpublish"

    ALL = frozenset({SAVE, DRAFT, REVIEW, PUBLISH, SCHEDULE, UNPUBLISH})
    EDITOR_ONLY = frozenset({PUBLISH, SCHEDULE, UNPUBLISH})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


# The statuses that put an article on the site once its publish time has come (`published()`).
LIVE_STATUSES = (ArticleStatus.SCHEDULED, ArticleStatus.PUBLISHED)


def live_or_scheduled_condition() -> Q:
    """Articles that are live or go live on their own at their time (never drafts or articles in
    review), as a condition: the choices a newsletter issue offers (`limit_choices_to`)."""
    return Q(status__in=LIVE_STATUSES)


class Article(models.Model):
    Status = ArticleStatus
    LIVE_STATUSES = LIVE_STATUSES

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the article's address. Keep it once published: links use it.",
    )
    dek = models.TextField(
        "dek / excerpt", blank=True, help_text="A sentence or two under the title and in listings."
    )
    body = models.TextField(blank=True)
    featured_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="featured_in"
    )
    authors = models.ManyToManyField(Author, related_name="articles", blank=True)
    primary_category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_articles",
        help_text="Shown as the kicker above the title.",
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="articles", help_text="Further categories."
    )
    tags = TaggableManager(blank=True)
    # The tag links as rows, so revisions (articles.revisions) can keep them: taggit's manager
    # is not serialised. (Deleting an article also deletes its links, as it should.)
    tagged_items = GenericRelation(TaggedItem)
    source_name = models.CharField(
        max_length=200, blank=True, help_text="For republished pieces: where it first appeared."
    )
    source_url = models.URLField(max_length=500, blank=True)
    canonical_to_source = models.BooleanField(
        "point search engines to the source",
        default=False,
        help_text="For a republished piece: its canonical address becomes the source address.",
    )
    video_url = models.URLField(
        "related video", max_length=500, blank=True, help_text="A YouTube or Vimeo address."
    )
    video_caption = models.CharField(max_length=300, blank=True)
    video_added_by = models.CharField(
        max_length=120, blank=True, help_text="Shown as “Related video added by …”."
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        db_index=True,
        help_text="When a scheduled article goes live; for a published one, its date.",
    )
    featured = models.BooleanField(default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by `import_wordpress`: a newer export updates this row, and old ?p=ID links find it.
    wp_post_id = models.PositiveBigIntegerField(
        "WordPress post id", null=True, blank=True, unique=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            # Whether an article is live, read from the index alone (PostgreSQL): tag, section
            # and search listings check it for every article they match, not just those shown.
            models.Index(fields=["id"], include=["published_at", "status"], name="article_live"),
            # The newest featured articles (the home page's top, /featured/): read in order from
            # here, not by sorting every article ever featured on each page.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(featured=True),
                name="article_featured_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=list(LIVE_STATUSES)) | Q(published_at__isnull=False),
                name="article_live_needs_publish_time",
            )
        ]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and feature articles"),
            ("edit_any_article", "Can edit articles of any author"),
        ]

    # A contributor's own article stays theirs to change until the editor takes it live.
    EDITABLE_BY_CONTRIBUTOR = (Status.DRAFT, Status.REVIEW)

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The allow-list applies to every writer (admin, import, demo), so it lives with the field.
        self.body = with_responsive_images(clean_html(self.body))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        day = self.local_date
        return site_path(f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}", self.slug)

    def clean(self) -> None:
        if self.status in self.LIVE_STATUSES and not self.published_at:
            raise ValidationError(
                {"published_at": "A scheduled or published article needs a time."}
            )
        if self.canonical_to_source and not self.source_url:
            raise ValidationError(
                {"canonical_to_source": "Give the source address to point search engines to it."}
            )
        if self.video_url and not video_embed_url(self.video_url):
            raise ValidationError({"video_url": "Use a YouTube or Vimeo video address."})

    # --- Workflow. Each transition changes fields only; the caller saves (the admin saves once).

    def submit_for_review(self) -> None:
        if self.status != self.Status.DRAFT:
            raise TransitionNotAllowed("Only a draft can be submitted for review.")
        self.status = self.Status.REVIEW

    def return_to_draft(self) -> None:
        if self.status != self.Status.REVIEW:
            raise TransitionNotAllowed("Only an article in review can go back to draft.")
        self.status = self.Status.DRAFT

    def publish(self, at: datetime.datetime | None = None) -> None:
        """Publish now, or schedule when `at` lies in the future."""
        when = at or timezone.now()
        self.published_at = when
        self.status = self.Status.SCHEDULED if when > timezone.now() else self.Status.PUBLISHED

    def take_step(self, step: str, *, at: datetime.datetime | None = None) -> None:
        """Apply one `Workflow` step; `at` is the publish time the writer chose, if any.
        Who may take which step is the caller's check (`Workflow.EDITOR_ONLY`)."""
        if step == Workflow.SAVE:
            if self.status in self.LIVE_STATUSES:
                # Moving the publish time of a live article reschedules it (or publishes it).
                self.publish(at=at or self.published_at)
        elif step == Workflow.DRAFT:
            if self.status == self.Status.REVIEW:
                self.return_to_draft()
            elif self.status != self.Status.DRAFT:
                raise TransitionNotAllowed("Unpublish the article to make it a draft again.")
        elif step == Workflow.REVIEW:
            self.submit_for_review()
        elif step == Workflow.PUBLISH:
            # A time in the past back-dates the article; otherwise it goes out now.
            self.publish(at=at if at and at <= timezone.now() else None)
        elif step == Workflow.SCHEDULE:
            if not at or at <= timezone.now():
                raise TransitionNotAllowed(
                    "Choose a publish time in the future to schedule the article.",
                    field="published_at",
                )
            self.publish(at=at)
        elif step == Workflow.UNPUBLISH:
            self.unpublish()

    def unpublish(self) -> None:
        """Take a published or scheduled article off the site; it keeps its date for its address."""
        if self.status not in self.LIVE_STATUSES:
            raise TransitionNotAllowed("Only a published or scheduled article can be unpublished.")
        self.status = self.Status.DRAFT

    def is_editable_by(self, user) -> bool:
        return Article.objects.editable_by(user).filter(pk=self.pk).exists()

    def is_previewable_by(self, user) -> bool:
        return (
            user.is_active
            and user.is_staff
            and Article.objects.visible_in_admin_to(user).filter(pk=self.pk).exists()
        )

    @property
    def is_live(self) -> bool:
        return (
            self.status in self.LIVE_STATUSES
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def local_date(self) -> datetime.date:
        return timezone.localtime(self.published_at or self.created_at).date()

    # The body's text with the body it was taken from: a page reads it up to three times
    # (summary, word count for the reading time and the JSON-LD), and it is worked out once.
    _plain_text: tuple[str, str] = ("", "")

    @property
    def plain_text(self) -> str:
        body, text = self._plain_text
        if body != self.body:
            text = plain_text(self.body)
            self._plain_text = (self.body, text)
        return text

    @property
    def word_count(self) -> int:
        return len(self.plain_text.split())

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    @property
    def summary(self) -> str:
        """The dek; else the teaser before a read-more mark (`<!--more-->` in WordPress);
        else the body's first words. Plain text, entities made characters."""
        if self.dek:
            return self.dek
        more = _READ_MORE.search(self.body)
        if more:
            return Truncator(plain_text(self.body[: more.start()])).words(80)
        return Truncator(self.plain_text).words(40)

    def bylines(self) -> list["Byline"]:
        """The authors as bylines show them, in name order: from the row when it was read by
        `for_listing()` on PostgreSQL, else from the (prefetched) relation."""
        listed = self.__dict__.get("listed_authors")
        if listed is None:
            return [Byline(a.display_name, a.get_absolute_url()) for a in self.authors.all()]
        return [Byline(a["name"], site_path("author", a["slug"])) for a in listed]

    @property
    def video_embed(self) -> str:
        return video_embed_url(self.video_url)

    @property
    def video_host(self) -> str:
        return video_host(self.video_embed)

    def all_categories(self) -> list[Category]:
        """The primary category first, then the others, each once (uses prefetched categories)."""
        ordered = [self.primary_category] if self.primary_category else []
        ordered += [c for c in self.categories.all() if c.pk != self.primary_category_id]
        return ordered


class PageQuerySet(models.QuerySet):
    def published(self) -> Self:
        return self.filter(published=True)


class Page(models.Model):
    """A static page (About, Submissions) at /<slug>/, or below its parent: /about/team/.

    `path` is the page's address without its slashes, kept on the row (made on save, passed down
    to sub-pages) so an address costs one lookup and a link costs no query."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the address; letters of any script, digits and dashes.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A page above this one: its address becomes /parent/this-page/.",
    )
    path = models.CharField(max_length=500, unique=True, editable=False)
    body = models.TextField(blank=True)
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    wp_post_id = models.PositiveBigIntegerField(
        "WordPress page id", null=True, blank=True, unique=True, editable=False
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body = clean_html(self.body)
        previous_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)
        if previous_path and previous_path != self.path:
            for child in self.children.all():
                child.save(update_fields=["path"])

    def get_absolute_url(self) -> str:
        # reverse() would percent-encode a slug in another script; so does iri_to_uri.
        return iri_to_uri(site_path(self.path))

    def clean(self) -> None:
        if not self.parent_id and (self.slug in reserved_slugs() or self.slug.isdigit()):
            raise ValidationError({"slug": f"“{self.slug}” is used by another part of the site."})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A page cannot sit below itself."})
            ancestor = ancestor.parent


class MenuItem(models.Model):
    """One entry of the main navigation: a category, a page, or an address."""

    CACHE_KEY = "articles:menu"

    label = models.CharField(max_length=60)
    order = models.PositiveIntegerField(default=0, db_index=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE)
    url = models.CharField(
        max_length=300, blank=True, help_text="A path such as /archives/ or a full address."
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(category__isnull=False, page__isnull=True, url="")
                    | Q(category__isnull=True, page__isnull=False, url="")
                    | (Q(category__isnull=True, page__isnull=True) & ~Q(url=""))
                ),
                name="menuitem_exactly_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        targets = [bool(self.category_id), bool(self.page_id), bool(self.url)]
        if sum(targets) != 1:
            raise ValidationError(
                "Point the item at exactly one of: a category, a page, an address."
            )
        if self.url and not self.url.startswith(("/", "http://", "https://")):
            raise ValidationError({"url": "Start with / for this site, or with https://."})

    @cached_property
    def href(self) -> str:
        if self.category_id:
            return self.category.get_absolute_url()
        if self.page_id:
            return self.page.get_absolute_url()
        return self.url

    @classmethod
    def navigation(cls) -> list["MenuItem"]:
        """The menu in order, kept in the sitewide cache until the next change: every page shows it
        (each item's `href` worked out before it is kept)."""

        def read_menu() -> list[MenuItem]:
            items = list(cls.objects.select_related("category", "page"))
            for item in items:
                item.href  # noqa: B018 (computed now, so kept with the item)
            return items

        return caches["sitewide"].get_or_set(cls.CACHE_KEY, read_menu, 300)


class ArticleViewDay(models.Model):
    """How often an article was read on one day. Written in batches from cache counters
    (articles.popular), never once per page view."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_days")
    date = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "date"], name="articleviewday_one_per_day")
        ]
        indexes = [models.Index(fields=["date", "article"], name="articleviewday_date")]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.date}: {self.views}"


class PopularOverride(models.Model):
    """The editor's hand on the "Popular" box: pin an article into it, or keep one out of it."""

    class Action(models.TextChoices):
        PIN = "pin", "Pin to the top"
        HIDE = "hide", "Never show"

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="popular_override"
    )
    action = models.CharField(max_length=4, choices=Action, default=Action.PIN)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Pinned articles are shown in this order, before the most read."
    )
    until = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty to keep it until you remove it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "position", "-created_at"]
        verbose_name = "popular box override"

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.article}"


class ArticleAutosaveQuerySet(models.QuerySet):
    def of(self, *, user, article: Article | None) -> Self:
        """The autosave of `user` for `article` (None: the article they are writing but never saved)."""
        return (
            self.filter(user=user, article=article)
            if article
            else self.filter(user=user, article__isnull=True)
        )


class ArticleAutosave(models.Model):
    """The wording (title, dek, body) of an article as it stands in someone's open form, kept every
    half minute by the admin's autosave. It is never published and makes no revision: one row per
    writer and article, replaced each time, dropped when they save the article itself."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300, blank=True)
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField()

    objects = ArticleAutosaveQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_writer_and_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="autosave_one_new_article_per_writer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or 'Untitled'} (autosaved {self.saved_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs) -> None:
        self.body = clean_html(self.body)  # shown back in the editor: the same allow-list
        super().save(*args, **kwargs)

    def is_newer_than(self, article: Article | None) -> bool:
        """Worth offering: newer than the saved article (or any text at all for a new one)."""
        if article is None:
            return bool(self.title or self.dek or self.body)
        return article.updated_at is None or self.saved_at > article.updated_at


def next_scheduled_publication() -> datetime.datetime | None:
    """When the next scheduled article goes live: it changes pages without a save, so the page
    cache moves on then (ArticlesConfig.page_cache_next_change)."""
    return (
        Article.objects.filter(
            status__in=Article.LIVE_STATUSES,
            published_at__gt=timezone.now(),
        )
        .aggregate(next=models.Min("published_at"))
        .get("next")
    )
