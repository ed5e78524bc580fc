"""Fill an empty site with the demo publication; safe to run again (it updates, never duplicates)."""

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles import demo_content
from articles.models import Article, Author, Category, Image, MenuItem, Page, Publication

DEMO_PASSWORDS = {"editor": "editor-demo-password", "contributor": "contributor-demo-password"}
PALETTES = [
    ((164, 22, 26), (244, 211, 94)),
    ((11, 79, 138), (198, 222, 241)),
    ((46, 125, 50), (232, 245, 233)),
    ((94, 53, 177), (237, 231, 246)),
    ((191, 54, 12), (255, 224, 178)),
    ((38, 50, 56), (207, 216, 220)),
]


class Command(BaseCommand):
    help = "Load the demo publication: categories, menu, pages, authors, accounts and articles."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            self.load_publication()
            categories = self.load_categories()
            pages = self.load_pages()
            self.load_menu(categories, pages)
            users = self.load_users()
            authors = self.load_authors(users)
            created, updated = self.load_articles(categories, authors, users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {created} articles created, {updated} updated, "
                f"{len(categories)} categories, {len(pages)} pages."
            )
        )
        self.stdout.write(
            "Demo accounts (log in at /admin/; demo passwords, never use in production):"
        )
        for username, password in DEMO_PASSWORDS.items():
            self.stdout.write(f"  {username:<12} {password}")

    def load_publication(self) -> None:
        publication = Publication.objects.filter(pk=1).first() or Publication(pk=1)
        for field, value in demo_content.SITE.items():
            setattr(publication, field, value)
        publication.save()

    def load_categories(self) -> dict[str, Category]:
        categories = {}
        for order, (slug, name, description) in enumerate(demo_content.CATEGORIES):
            categories[slug], _ = Category.objects.update_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )
        return categories

    def load_pages(self) -> dict[str, Page]:
        pages = {}
        for page in demo_content.PAGES:
            pages[page["slug"]], _ = Page.objects.update_or_create(
                slug=page["slug"], defaults={"title": page["title"], "body": page["body"]}
            )
        return pages

    def load_menu(self, categories: dict, pages: dict) -> None:
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
            authors[slug], _ = Author.objects.update_or_create(
                slug=slug,
                defaults={"display_name": name, "bio": bio, "user": users.get(login)},
            )
        return authors

    def load_articles(self, categories: dict, authors: dict, users: dict) -> tuple[int, int]:
        created_count = updated_count = 0
        for index, data in enumerate(demo_content.ARTICLES):
            when = timezone.make_aware(datetime.datetime.fromisoformat(data["date"]))
            status = data.get("status", Article.Status.PUBLISHED)
            author = authors[data["author"]]
            body = "".join(f"<p>{paragraph}</p>" for paragraph in data["paragraphs"])
            body += data.get("extra_html", "")
            article, created = Article.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title": data["title"],
                    "dek": data.get("dek", ""),
                    "body": body,
                    "status": status,
                    "published_at": when if status != Article.Status.DRAFT else None,
                    "featured": data.get("featured", False),
                    "primary_category": categories[data["categories"][0]],
                    "source_name": data.get("source_name", ""),
                    "source_url": data.get("source_url", ""),
                    "video_url": data.get("video_url", ""),
                    "video_caption": data.get("video_caption", ""),
                    "video_added_by": data.get("video_added_by", ""),
                    "created_by": author.user,
                },
            )
            if article.featured_image_id is None and data.get("image", True):
                article.featured_image = make_demo_image(
                    index, data["title"], data.get("image_alt")
                )
                article.save(update_fields=["featured_image"])
            article.authors.set([author])
            article.categories.set([categories[slug] for slug in data["categories"][1:]])
            article.tags.set(data.get("tags", []))
            if created:
                created_count += 1
            else:
                updated_count += 1
        return created_count, updated_count


def make_demo_image(index: int, title: str, alt_text: str | None = None) -> Image:
    """A 1200×800 abstract picture drawn with Pillow (no downloads): bands and circles of a palette."""
    rng = random.Random(index)
    dark, light = PALETTES[index % len(PALETTES)]
    picture = PILImage.new("RGB", (1200, 800), light)
    draw = ImageDraw.Draw(picture)
    for band in range(8):
        y = 800 - band * rng.randint(60, 110)
        shade = tuple(
            int(low + (high - low) * band / 8) for low, high in zip(dark, light, strict=True)
        )
        draw.polygon(
            [(0, y), (1200, y - rng.randint(-120, 120)), (1200, 800), (0, 800)], fill=shade
        )
    for _ in range(3):
        x, y, r = rng.randint(100, 1100), rng.randint(80, 400), rng.randint(40, 140)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=dark, width=6)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return Image.objects.create(
        file=ContentFile(buffer.getvalue(), name=f"demo-{index:02d}.jpg"),
        alt_text=alt_text or f"Abstract illustration for “{title}”",
        credit="Illustration: Newsroom demo",
    )
