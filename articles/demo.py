"""The demo publication's content side: site settings, categories, menu, pages, authors, the demo
accounts and 44 articles with drawn pictures (texts in `demo_content/`), and a week of read counts
so the "Popular" box ranks something right after `make run`.

`manage.py load_demo` calls `load_demo()` here, as it calls every app's `demo.load_demo`.
Safe to run again: it adds what is missing and never overwrites, unless `update` is set."""

import datetime
import io
import math
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import OutputWrapper
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw

from articles import demo_content
from articles.models import (
    Article,
    ArticleViewDay,
    Author,
    Category,
    Image,
    MenuItem,
    Page,
    Publication,
)
from articles.popular import POPULAR_DAYS
from articles.renditions import make_renditions

DEMO_PASSWORDS = {"editor": "editor-demo-password", "contributor": "contributor-demo-password"}
# Sky top, sky bottom, sun, and the nearest ridge colour, by the article's primary category.
PALETTES = {
    "middle-east": ((244, 217, 166), (233, 164, 106), (255, 244, 214), (90, 42, 29)),
    "environment": ((206, 232, 214), (142, 196, 170), (250, 246, 210), (22, 74, 56)),
    "energy": ((40, 52, 96), (232, 132, 72), (255, 214, 120), (24, 24, 40)),
    "us-politics": ((214, 226, 240), (150, 176, 210), (196, 40, 48), (20, 36, 72)),
    "us-foreign-policy": ((198, 214, 228), (120, 150, 182), (244, 240, 226), (32, 50, 72)),
    "economy": ((222, 236, 232), (150, 196, 190), (224, 176, 64), (16, 70, 72)),
    "politics": ((234, 222, 238), (178, 150, 196), (250, 236, 210), (60, 30, 76)),
    "history": ((240, 228, 204), (204, 176, 132), (250, 240, 220), (84, 58, 36)),
    "religion": ((36, 40, 88), (96, 88, 150), (240, 206, 120), (18, 16, 44)),
}


def load_demo(
    *, stdout: OutputWrapper, update: bool = False, dry_run: bool = False, renditions: bool = True
) -> None:
    """Load the content side of the demo (see the module docstring) and report what it did."""
    demo = ArticlesDemo(update=update, dry_run=dry_run, renditions=renditions)
    demo.load_publication()
    categories = demo.load_categories()
    pages = demo.load_pages()
    demo.load_menu(categories, pages)
    users = demo.load_users()
    authors = demo.load_authors(users)
    created, updated, kept = demo.load_articles(categories, authors, users)
    reads = load_demo_reads()
    stdout.write(
        f"Articles: {created} articles created, {updated} updated, {kept} already present; "
        f"{len(categories)} categories, {len(pages)} pages; {reads} daily read counts added."
    )
    stdout.write("Demo accounts (log in at /admin/; demo passwords, never use in production):")
    for username, password in DEMO_PASSWORDS.items():
        stdout.write(f"  {username:<12} {password}")


# Real counts come from readers' browsers (articles.popular); the demo fakes a week of them.
READ_ARTICLES = 12


def load_demo_reads(*, now: datetime.datetime | None = None) -> int:
    """Daily counts for the newest published articles over the last week; returns how many rows
    it added. Adds nothing when the week already has counts (a second run, or real readers)."""
    today = timezone.localdate(now)
    week = [today - datetime.timedelta(days=offset) for offset in range(POPULAR_DAYS)]
    if ArticleViewDay.objects.filter(date__gte=week[-1]).exists():
        return 0
    articles = list(
        Article.objects.published().newest_first().values_list("pk", flat=True)[:READ_ARTICLES]
    )
    rng = random.Random(7)  # the same demo ranking on every machine
    rows = []
    for rank, article_id in enumerate(articles):
        # Newer pieces are read more, with some day-to-day noise and one older piece doing well.
        base = 400 // (rank + 2) + (150 if rank == 5 else 0)
        rows.extend(
            ArticleViewDay(article_id=article_id, date=day, views=base + rng.randint(0, base // 2))
            for day in week
        )
    ArticleViewDay.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


class ArticlesDemo:
    """One load of the articles demo; each `load_*` method adds one kind of row."""

    def __init__(self, *, update: bool, dry_run: bool, renditions: bool) -> None:
        self.update = update
        self.dry_run = dry_run
        self.renditions = renditions

    def save_demo_row(self, model, lookup: dict, values: dict):
        """Create the row if it is missing; overwrite it only with --update. Returns (row, created)."""
        if self.update:
            return model.objects.update_or_create(**lookup, defaults=values)
        return model.objects.get_or_create(**lookup, defaults=values)

    def load_publication(self) -> None:
        self.save_demo_row(Publication, {"pk": 1}, demo_content.SITE)

    def load_categories(self) -> dict[str, Category]:
        categories = {}
        for order, (slug, name, description) in enumerate(demo_content.CATEGORIES):
            categories[slug], _ = self.save_demo_row(
                Category, {"slug": slug}, {"name": name, "description": description, "order": order}
            )
        return categories

    def load_pages(self) -> dict[str, Page]:
        pages = {}
        for page in demo_content.PAGES:
            pages[page["slug"]], _ = self.save_demo_row(
                Page,
                {"slug": page["slug"]},
                {"title": page["title"], "body": page["body"].strip()},
            )
        return pages

    def load_menu(self, categories: dict, pages: dict) -> None:
        # The editor owns the menu once it exists: items they removed stay removed.
        if MenuItem.objects.exists() and not self.update:
            return
        for order, (label, kind, target) in enumerate(demo_content.MENU):
            target_fields = {"category": None, "page": None, "url": ""}
            if kind == "category":
                target_fields["category"] = categories[target]
            elif kind == "page":
                target_fields["page"] = pages[target]
            else:
                target_fields["url"] = target
            MenuItem.objects.update_or_create(
                label=label, defaults={"order": order * 10, **target_fields}
            )

    def load_users(self) -> dict:
        users = {}
        for username, password in DEMO_PASSWORDS.items():
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "is_staff": True},
            )
            if created:
                user.set_password(password)
                user.save()
            group = Group.objects.filter(name=username.capitalize()).first()
            if group:
                user.groups.add(group)
            users[username] = user
        return users

    def load_authors(self, users: dict) -> dict[str, Author]:
        authors = {}
        for slug, name, bio, login in demo_content.AUTHORS:
            authors[slug], _ = self.save_demo_row(
                Author,
                {"slug": slug},
                {"display_name": name, "bio": bio, "user": users.get(login)},
            )
        return authors

    def load_articles(self, categories: dict, authors: dict, users: dict) -> tuple[int, int, int]:
        created_count = updated_count = kept_count = 0
        for index, data in enumerate(demo_content.ARTICLES):
            if not self.update and Article.objects.filter(slug=data["slug"]).exists():
                kept_count += 1
                continue
            author_slugs = data["author"] if isinstance(data["author"], list) else [data["author"]]
            article_authors = [authors[slug] for slug in author_slugs]
            status = data.get("status", Article.Status.PUBLISHED)
            when = timezone.make_aware(datetime.datetime.fromisoformat(data["date"]))
            live = status in Article.LIVE_STATUSES
            article, created = Article.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "dek": data.get("dek", ""),
                    "body": paragraphs_to_html(data["body"]),
                    "status": status,
                    "published_at": when if live else None,
                    "featured": data.get("featured", False),
                    "primary_category": categories[data["categories"][0]],
                    "source_name": data.get("source_name", ""),
                    "source_url": data.get("source_url", ""),
                    "video_url": data.get("video_url", ""),
                    "video_caption": data.get("video_caption", ""),
                    "video_added_by": data.get("video_added_by", ""),
                    # Guest writers have no login: the editor entered their pieces.
                    "created_by": article_authors[0].user or users["editor"],
                },
            )
            if article.featured_image_id is None and not self.dry_run:
                article.featured_image = make_demo_image(
                    index, data["title"], data["categories"][0]
                )
                if self.renditions:
                    # The same WebP and JPEG widths an upload in the admin gets (srcset).
                    make_renditions(article.featured_image)
                article.save(update_fields=["featured_image"])
            article.authors.set(article_authors)
            article.categories.set([categories[slug] for slug in data["categories"][1:]])
            article.tags.set(data.get("tags", []))
            if created:
                created_count += 1
            else:
                updated_count += 1
        return created_count, updated_count, kept_count


def paragraphs_to_html(text: str) -> str:
    """Demo bodies are written as plain paragraphs separated by blank lines."""
    paragraphs = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs if paragraph)


def make_demo_image(index: int, title: str, category: str = "") -> Image:
    """A 1200×800 landscape drawn with Pillow (no downloads): a sky, a sun and layered ridges in
    the colours of the article's category, shaped by `index` so no two are alike."""
    rng = random.Random(index)
    sky_top, sky_bottom, sun, ridge = PALETTES.get(category, PALETTES["history"])
    width, height = 1200, 800
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=blend(sky_top, sky_bottom, y / height))
    sun_x, sun_y, radius = rng.randint(200, 1000), rng.randint(160, 360), rng.randint(70, 130)
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=sun)
    layers = 4
    for layer in range(layers):
        base = 430 + layer * 95 + rng.randint(-30, 30)
        amplitude, wavelength = rng.randint(25, 90), rng.randint(260, 700)
        phase = rng.uniform(0, math.tau)
        outline = [
            (x, base + amplitude * math.sin(phase + math.tau * x / wavelength))
            for x in range(0, width + 20, 20)
        ]
        # Far ridges fade into the sky; the nearest takes the category's darkest colour.
        shade = blend(sky_bottom, ridge, (layer + 1) / layers)
        draw.polygon([*outline, (width, height), (0, height)], fill=shade)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return Image.objects.create(
        file=ContentFile(buffer.getvalue(), name=f"demo-{index:02d}.jpg"),
        alt_text=f"Illustration for “{title}”: hills under a {'moonlit' if category == 'religion' else 'sunlit'} sky",
        credit="Illustration: Newsroom demo",
    )


def blend(start: tuple, end: tuple, amount: float) -> tuple[int, int, int]:
    return tuple(round(a + (b - a) * amount) for a, b in zip(start, end, strict=True))
