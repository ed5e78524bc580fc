"""`manage.py make_wxr OUT.xml --posts 10000`: write a synthetic WordPress export for benchmarks.

The posts look like a commentary blog's (classic and block editor bodies, shortcodes, a video now
and then, several categories and tags each) so the import's timing means something.
"""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand

WORDS = [
    "water",
    "oil",
    "policy",
    "region",
    "council",
    "minister",
    "treaty",
    "election",
    "river",
    "border",
    "market",
    "energy",
    "climate",
    "history",
    "religion",
    "trade",
    "war",
    "peace",
    "farmers",
    "city",
    "drought",
    "pipeline",
    "report",
    "analysis",
    "parliament",
    "coalition",
    "sanctions",
    "diplomacy",
    "refugees",
    "harvest",
    "grid",
    "solar",
    "wind",
]


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class Command(BaseCommand):
    help = "Write a synthetic WXR 1.2 file (authors, nested categories, tags, posts, pages)."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--pages", type=int, default=10)
        parser.add_argument("--authors", type=int, default=12)
        parser.add_argument("--categories", type=int, default=30)
        parser.add_argument("--tags", type=int, default=300)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, out: Path, posts: int, pages: int, authors: int, **options):
        rng = random.Random(options["seed"])
        categories = [f"topic-{n}" for n in range(options["categories"])]
        tags = [f"tag-{n}" for n in range(options["tags"])]
        site = "https://bench.example"
        with out.open("w", encoding="utf-8") as wxr:
            wxr.write(
                '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
                'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                f"<title>Bench</title><link>{site}</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
                f"<wp:base_site_url>{site}</wp:base_site_url><wp:base_blog_url>{site}</wp:base_blog_url>\n"
            )
            for n in range(authors):
                wxr.write(
                    f"<wp:author><wp:author_id>{n + 1}</wp:author_id><wp:author_login>{cdata(f'writer{n}')}"
                    f"</wp:author_login><wp:author_email>{cdata(f'writer{n}@bench.example')}</wp:author_email>"
                    f"<wp:author_display_name>{cdata(f'Writer {n}')}</wp:author_display_name></wp:author>\n"
                )
            for n, slug in enumerate(categories):
                parent = categories[n // 5 - 1] if n >= 5 else ""
                wxr.write(
                    f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>{slug}"
                    f"</wp:category_nicename><wp:category_parent>{parent}</wp:category_parent>"
                    f"<wp:cat_name>{cdata(slug.replace('-', ' ').title())}</wp:cat_name></wp:category>\n"
                )
            for n, slug in enumerate(tags):
                wxr.write(
                    f"<wp:tag><wp:term_id>{1000 + n}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
                    f"<wp:tag_name>{cdata(slug.replace('-', ' '))}</wp:tag_name></wp:tag>\n"
                )
            start = datetime(2008, 1, 1, tzinfo=UTC)
            for n in range(posts):
                when = start + timedelta(hours=6 * n + rng.randint(0, 5))
                self._item(wxr, rng, site, n + 1, "post", when, authors, categories, tags)
            for n in range(pages):
                when = start + timedelta(days=n)
                self._item(wxr, rng, site, posts + n + 1, "page", when, authors, [], [])
            wxr.write("</channel>\n</rss>\n")
        self.stdout.write(f"Wrote {out}: {posts} posts, {pages} pages.")

    def _item(self, wxr, rng, site, post_id, post_type, when, authors, categories, tags) -> None:
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        slug = f"{title.lower().replace(' ', '-')[:60]}-{post_id}"
        link = f"{site}/{when:%Y/%m/%d}/{slug}/" if post_type == "post" else f"{site}/{slug}/"
        body = self._body(rng, post_id)
        status = rng.choices(["publish", "draft", "pending", "private"], [94, 3, 2, 1])[0]
        terms = "".join(
            f'<category domain="category" nicename="{c}">{cdata(c)}</category>'
            for c in rng.sample(categories, min(len(categories), rng.randint(1, 3)))
        ) + "".join(
            f'<category domain="post_tag" nicename="{t}">{cdata(t)}</category>'
            for t in rng.sample(tags, min(len(tags), rng.randint(0, 5)))
        )
        wxr.write(
            f"<item><title>{cdata(title)}</title><link>{escape(link)}</link>"
            f"<dc:creator>{cdata(f'writer{rng.randrange(authors)}')}</dc:creator>"
            f'<guid isPermaLink="false">{site}/?p={post_id}</guid>'
            f"<content:encoded>{cdata(body)}</content:encoded>"
            f"<excerpt:encoded>{cdata(title + '.')}</excerpt:encoded>"
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date>"
            f"<wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
            f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
            f"<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
            f"<wp:post_type>{post_type}</wp:post_type><wp:post_password></wp:post_password>"
            f"<wp:is_sticky>{int(rng.random() < 0.01)}</wp:is_sticky>{terms}</item>\n"
        )

    def _body(self, rng, post_id: int) -> str:
        paragraphs = []
        for _ in range(rng.randint(4, 12)):
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
                for _ in range(rng.randint(2, 5))
            ]
            paragraphs.append("\n".join(sentences))
        if rng.random() < 0.2:
            paragraphs.insert(2, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        if rng.random() < 0.3:
            paragraphs.insert(
                1, '<blockquote>A quoted <a href="https://example.org/">source</a>.</blockquote>'
            )
        if rng.random() < 0.1:
            paragraphs.append(f'[contact-form-7 id="{post_id}"]')
        if rng.random() < 0.3:  # a block-editor post
            return "\n\n".join(
                f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
            )
        return "\n\n".join(paragraphs)
