"""Fill the database with a large, realistic site for the benchmark (`make bench`).

Bulk inserts, no per-row save(): 50,000 articles of about 800 words with authors, categories, tags
and shared images, plus newsletter subscribers, in well under two minutes on PostgreSQL. Every row
it makes is recognisable (slugs and addresses start with "bench-"), and running it again replaces
them, so it is safe to repeat.
"""

import concurrent.futures
import contextlib
import datetime
import io
import random
import time
import uuid
from collections.abc import Iterator

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Category, Image, MenuItem
from articles.renditions import add_image
from pagecache.generation import bump

PREFIX = "bench-"
BATCH = 2000
VOCABULARY = (
    "government minister election parliament protest economy oil sanctions treaty border "
    "refugees ceasefire coalition budget inflation drought climate reform court ruling "
    "president opposition militia embassy negotiation pipeline region allies military "
    "history empire revolution democracy elections constitution journalist report analysis "
    "the a of and to in that for on with as by from at this which was were has have been "
    "it its their they not but also more than after before during while because however "
    "people country city state war peace power policy public security water energy trade "
    "market prices workers students women children families villages farmers doctors "
    "hospital school university newspaper television interview statement agreement crisis "
    "decision vote majority support against between within across among toward under "
    "said says told according would could should might will must new old first last "
    "long short major minor national international local foreign domestic official"
)
WORDS = VOCABULARY.split()
CATEGORY_NAMES = [
    "Middle East", "Iran", "Iraq", "Syria", "Afghanistan", "Climate", "Energy", "Europe",
    "United States", "Human Rights", "Media", "History",
]  # fmt: skip
PARAGRAPHS_PER_ARTICLE = 10
WORDS_PER_PARAGRAPH = 80


class Command(BaseCommand):
    help = (
        "Fill the database with bench data: --articles articles of ~800 words (authors, "
        "categories, tags, shared images) and --subscribers newsletter subscribers. Replaces the "
        "bench rows of an earlier run; leaves every other row alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=50_000)
        parser.add_argument("--subscribers", type=int, default=100_000)
        parser.add_argument("--images", type=int, default=24, help="Pictures shared by articles.")
        parser.add_argument("--seed", type=int, default=8, help="Random seed (same data each run).")

    def handle(
        self, *args, articles: int, subscribers: int, images: int, seed: int, **options
    ) -> None:
        self.random = random.Random(seed)
        self.verbosity = options.get("verbosity", 1)
        started = time.monotonic()
        with self.triggers_paused() as paused:
            self.remove_previous_run()
            pictures = self.images(images)
            categories = self.categories()
            authors = self.authors(60)
            tags = self.tags(400)
            self.menu(categories)
            self.articles(
                articles, images=pictures, categories=categories, authors=authors, tags=tags
            )
            self.subscribers(subscribers)
        inserted = time.monotonic()
        if paused:
            self.run_article_triggers()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The trigger pass rewrote every article row: reclaim, then refresh statistics.
                # Vacuumed, the tag links are read from their index alone, as on a site whose
                # archive autovacuum has long settled. (VACUUM cannot run inside a transaction,
                # e.g. under a test.)
                if not connection.in_atomic_block:
                    tagged = TaggedItem._meta.db_table
                    cursor.execute(f"VACUUM (ANALYZE) {Article._meta.db_table}, {tagged}")
                cursor.execute("ANALYZE")
        bump()
        finished = time.monotonic()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {articles} articles and {subscribers} subscribers: rows inserted in "
                f"{inserted - started:.1f} s, search index and statistics built in "
                f"{finished - inserted:.1f} s ({finished - started:.1f} s in all)."
            )
        )

    # --- PostgreSQL: triggers once per article, not once per linked row ------------------------

    @contextlib.contextmanager
    def triggers_paused(self) -> Iterator[bool]:
        """On PostgreSQL, pause triggers while loading: the search-vector triggers would otherwise
        rebuild each article's vector after every author, category and tag row (four times over).
        `run_article_triggers` then fires them once per article. Needs a superuser; without one
        the load simply runs with triggers on."""
        if connection.vendor != "postgresql":
            yield False
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        except DatabaseError:
            yield False
            return
        try:
            yield True
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")

    def run_article_triggers(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [Article._meta.db_table],
            )
            if not cursor.fetchone()[0]:
                return
        ids = list(Article.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))
        batches = [ids[i : i + 1000] for i in range(0, len(ids), 1000)]
        done = []

        def touch(batch: list[int]) -> None:
            try:
                with connection.cursor() as cursor:
                    # A no-op update of the columns the triggers watch fires them once per row.
                    cursor.execute(
                        f"UPDATE {Article._meta.db_table} SET title = title WHERE id = ANY(%s)",
                        [batch],
                    )
                done.append(len(batch))
                self.say(f"search index: {sum(done)}/{len(ids)}")
            finally:
                connection.close()

        if connection.in_atomic_block:  # other connections could not see the new rows
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Article._meta.db_table} SET title = title WHERE id = ANY(%s)", [ids]
                )
            return
        # Two connections: PostgreSQL computes the vectors on both cores.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(touch, batches))

    def say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    # --- Replacing an earlier run --------------------------------------------------------------

    def remove_previous_run(self) -> None:
        bench_articles = Article.objects.filter(slug__startswith=PREFIX)
        if not bench_articles.exists() and not self._bench_subscribers().exists():
            return
        self.say("Removing the previous bench data…")
        article_type = ContentType.objects.get_for_model(Article)
        ids = bench_articles.values("pk")
        with transaction.atomic():
            # Raw deletes: the rows are ours, and collecting 50,000 objects for signals is slow.
            TaggedItem.objects.filter(content_type=article_type, object_id__in=ids)._raw_delete(
                connection.alias
            )
            for relation in Article._meta.related_objects:
                if relation.one_to_many or relation.one_to_one:  # rows pointing at an article
                    relation.related_model.objects.filter(
                        **{f"{relation.field.name}__in": ids}
                    )._raw_delete(connection.alias)
            for through in (Article.authors.through, Article.categories.through):
                through.objects.filter(article_id__in=ids)._raw_delete(connection.alias)
            bench_articles._raw_delete(connection.alias)
            self._bench_subscribers().delete()
            Tag.objects.filter(slug__startswith=PREFIX).delete()
            Author.objects.filter(slug__startswith=PREFIX).delete()
            MenuItem.objects.filter(category__slug__startswith=PREFIX).delete()
            Category.objects.filter(slug__startswith=PREFIX).delete()

    @staticmethod
    def _model(app_label: str, name: str):
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            return None

    def _bench_subscribers(self):
        subscriber = self._model("newsletter", "Subscriber")
        if subscriber is None:
            return Article.objects.none()
        return subscriber.objects.filter(email__startswith=PREFIX)

    # --- The pieces ----------------------------------------------------------------------------

    def words(self, count: int) -> list[str]:
        return self.random.choices(WORDS, k=count)

    def sentence(self, count: int) -> str:
        text = " ".join(self.words(count))
        return text[0].upper() + text[1:] + "."

    def images(self, count: int) -> list[Image]:
        existing = list(Image.objects.filter(alt_text__startswith="Bench picture")[:count])
        for number in range(len(existing), count):
            picture = PILImage.new("RGB", (1600, 900), self._color())
            draw = ImageDraw.Draw(picture)
            for _ in range(6):
                x, y = self.random.randrange(1600), self.random.randrange(900)
                draw.rectangle([x, y, x + 400, y + 250], fill=self._color())
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=80)
            existing.append(
                add_image(
                    upload=ContentFile(buffer.getvalue(), name=f"bench-{number}.jpg"),
                    alt_text=f"Bench picture {number}: coloured blocks",
                    caption="A generated picture shared by many bench articles.",
                    credit="Bench",
                )
            )
        self.say(f"{len(existing)} images")
        return existing

    def _color(self) -> tuple[int, int, int]:
        return (self.random.randrange(256), self.random.randrange(256), self.random.randrange(256))

    def categories(self) -> list[Category]:
        rows = [
            Category(name=name, slug=f"{PREFIX}{name.lower().replace(' ', '-')}", order=order)
            for order, name in enumerate(CATEGORY_NAMES)
        ]
        return Category.objects.bulk_create(rows)

    def authors(self, count: int) -> list[Author]:
        rows = [
            Author(
                display_name=f"{self.sentence(1)[:-1]} Writer {n}",
                slug=f"{PREFIX}writer-{n}",
                bio=self.sentence(25),
            )
            for n in range(count)
        ]
        return Author.objects.bulk_create(rows)

    def tags(self, count: int) -> list[Tag]:
        rows = [Tag(name=f"{word} {n}", slug=f"{PREFIX}{word}-{n}") for n, word in
                enumerate(self.random.choices(WORDS, k=count))]  # fmt: skip
        return Tag.objects.bulk_create(rows)

    def menu(self, categories: list[Category]) -> None:
        MenuItem.objects.bulk_create(
            MenuItem(label=category.name, category=category, order=100 + n)
            for n, category in enumerate(categories[:6])
        )

    def articles(self, count, *, images, categories, authors, tags) -> None:
        paragraphs = [f"<p>{self.sentence(WORDS_PER_PARAGRAPH)}</p>" for _ in range(3000)]
        subheads = [f"<h2>{self.sentence(5)[:-1]}</h2>" for _ in range(200)]
        article_type = ContentType.objects.get_for_model(Article)
        authors_through = Article.authors.through
        categories_through = Article.categories.through
        view_days = self._model("articles", "ArticleViewDay")
        now = timezone.now()
        span = datetime.timedelta(days=365 * 10).total_seconds()
        today = timezone.localdate()
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            rows = []
            for number in range(start, start + size):
                body = self.random.sample(paragraphs, PARAGRAPHS_PER_ARTICLE)
                body.insert(5, self.random.choice(subheads))
                # Newest first by number: article 0 is an hour old, the last ten years old.
                age = datetime.timedelta(seconds=3600 + span * number / max(count, 1))
                rows.append(
                    Article(
                        title=self.sentence(self.random.randint(6, 12))[:-1],
                        slug=f"{PREFIX}{number}",
                        dek=self.sentence(28),
                        body="".join(body),
                        status=Article.Status.PUBLISHED,
                        published_at=now - age,
                        featured=number % 97 == 0,
                        primary_category=self.random.choice(categories),
                        featured_image=self.random.choice(images)
                        if self.random.random() < 0.8
                        else None,
                    )
                )
            with transaction.atomic():
                created = Article.objects.bulk_create(rows)
                links, extra_categories, tagged, views = [], [], [], []
                for article in created:
                    for author in self.random.sample(authors, self.random.choice((1, 1, 1, 2))):
                        links.append(authors_through(article_id=article.pk, author_id=author.pk))
                    if self.random.random() < 0.3:
                        extra = self.random.choice(categories)
                        if extra.pk != article.primary_category_id:
                            extra_categories.append(
                                categories_through(article_id=article.pk, category_id=extra.pk)
                            )
                    for tag in self.random.sample(tags, self.random.randint(2, 5)):
                        tagged.append(
                            TaggedItem(content_type=article_type, object_id=article.pk, tag=tag)
                        )
                    if view_days and start == 0 and len(views) < 7 * 500:
                        views += [
                            view_days(
                                article_id=article.pk,
                                date=today - datetime.timedelta(days=d),
                                views=self.random.randint(1, 5000),
                            )
                            for d in range(7)
                        ]
                authors_through.objects.bulk_create(links)
                categories_through.objects.bulk_create(extra_categories)
                TaggedItem.objects.bulk_create(tagged)
                if views:
                    view_days.objects.bulk_create(views)
            self.say(f"articles: {start + size}/{count}")

    def subscribers(self, count: int) -> None:
        subscriber = self._model("newsletter", "Subscriber")
        if subscriber is None:
            self.stdout.write(
                self.style.WARNING("No newsletter Subscriber model yet: skipped subscribers.")
            )
            return
        now = timezone.now()
        statuses = ["confirmed"] * 17 + ["pending"] * 2 + ["unsubscribed"]
        for start in range(0, count, BATCH * 5):
            size = min(BATCH * 5, count - start)
            rows = []
            for number in range(start, start + size):
                status = self.random.choice(statuses)
                signed_up = now - datetime.timedelta(minutes=number)
                rows.append(
                    subscriber(
                        email=f"{PREFIX}{number}@example.com",
                        status=status,
                        frequency="weekly" if number % 4 == 0 else "daily",
                        token=uuid.UUID(int=self.random.getrandbits(128), version=4),
                        created_at=signed_up,
                        confirmed_at=None if status == "pending" else signed_up,
                        unsubscribed_at=now if status == "unsubscribed" else None,
                    )
                )
            with transaction.atomic():
                subscriber.objects.bulk_create(rows)
            self.say(f"subscribers: {start + size}/{count}")
