"""`manage.py load_demo`, run the way `make run` runs it: twice on the same database."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from PIL import Image as PILImage

from articles import demo_content
from articles.demo import DEMO_PASSWORDS
from articles.models import Article, Author, Category, Image, MenuItem, Page, Publication

pytestmark = pytest.mark.django_db


def load_demo(*args: str, renditions: bool = False) -> str:
    """Run the command; without renditions unless asked (they take most of its time)."""
    out = io.StringIO()
    call_command("load_demo", *args, *([] if renditions else ["--no-renditions"]), stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Category, Image, MenuItem, Page)
    }


def test_load_demo_fills_the_site_and_a_second_run_duplicates_nothing():
    output = load_demo(renditions=True)
    assert "44 articles created" in output
    first = row_counts()
    assert first == {
        "Article": 44,
        "Author": 3,
        "Category": 9,
        "Image": 44,
        "MenuItem": 11,
        "Page": 3,
    }
    output = load_demo(renditions=True)
    assert "0 articles created" in output and "44 already present" in output
    assert row_counts() == first
    # Demo pictures get the responsive copies an upload gets, so pages carry srcset and WebP.
    image = Image.objects.first()
    assert [r["width"] for r in image.renditions["webp"]] == [480, 800, 1200]
    # The passwords are printed for the person who ran `make run`.
    for username, password in DEMO_PASSWORDS.items():
        assert f"{username:<12} {password}" in output


def test_demo_content_is_a_plausible_publication():
    load_demo()
    published = Article.objects.published()
    assert 38 <= published.count() <= 45
    years = {article.published_at.year for article in published}
    assert years >= set(range(2017, 2027))
    for article in published:
        words = article.word_count
        assert 250 <= words <= 500, f"{article.slug} has {words} words"
        assert article.body.count("<p>") >= 4, article.slug
        assert article.dek and article.primary_category and article.tags.exists(), article.slug
        assert article.featured_image.width == 1200 and article.featured_image.height == 800
    assert published.filter(featured=True).count() >= 4
    assert published.exclude(source_name="").count() >= 3
    with_video = published.exclude(video_url="")
    assert with_video.count() >= 3
    assert all(a.video_embed and a.video_caption and a.video_added_by for a in with_video)
    assert (
        published.filter(authors__slug="leila-farahani")
        .filter(authors__slug="miriam-haddad")
        .exists()
    )  # a co-written piece shows "A and B" bylines
    assert Publication.current().tagline == "Commentary on the Middle East, its past and its faiths"


def test_demo_menu_follows_the_issue_order():
    load_demo()
    assert [item.label for item in MenuItem.objects.all()] == [
        "Featured",
        "US politics",
        "Middle East",
        "Environment",
        "US Foreign Policy",
        "Energy",
        "Economy",
        "Politics",
        "About",
        "Archives",
        "Submissions",
    ]
    assert {page.slug for page in Page.objects.all()} >= {"about", "submissions"}


def test_demo_accounts_log_in_and_the_contributor_owns_a_published_article_and_a_draft():
    load_demo()
    editor = authenticate(username="editor", password=DEMO_PASSWORDS["editor"])
    contributor = authenticate(username="contributor", password=DEMO_PASSWORDS["contributor"])
    assert editor and editor.is_staff
    assert contributor and contributor.is_staff
    profile = contributor.author_profile
    assert profile.slug == "daniel-okafor"
    own = Article.objects.filter(authors=profile, created_by=contributor)
    assert own.published().exists()
    assert own.filter(status=Article.Status.DRAFT).exists()
    assert Article.objects.filter(status=Article.Status.REVIEW).exists()
    scheduled = Article.objects.get(status=Article.Status.SCHEDULED)
    assert not scheduled.is_live


def test_demo_images_are_real_pictures_with_alt_text(settings):
    load_demo()
    image = Image.objects.first()
    with PILImage.open(image.file.path) as picture:
        assert picture.size == (1200, 800) and picture.format == "JPEG"
    assert image.alt_text and image.credit


def test_a_second_run_keeps_the_editors_changes_unless_asked_to_update():
    load_demo()
    article = Article.objects.get(slug="drones-over-abqaiq")
    article.title = "Edited in the admin"
    article.save()
    MenuItem.objects.filter(label="Politics").delete()
    load_demo()
    assert Article.objects.get(slug="drones-over-abqaiq").title == "Edited in the admin"
    assert not MenuItem.objects.filter(label="Politics").exists()
    load_demo("--update")
    assert Article.objects.get(slug="drones-over-abqaiq").title.startswith("Drones Over Abqaiq")
    assert MenuItem.objects.filter(label="Politics").exists()
    assert Image.objects.count() == 44  # pictures are never drawn twice


def test_dry_run_saves_nothing(settings):
    from donations.models import Promotion

    output = load_demo("--dry-run")
    assert "Dry run, nothing saved" in output
    assert Article.objects.count() == 0 and Category.objects.count() == 0
    assert Promotion.objects.count() == 0
    # No picture or book cover is left behind for rows that were rolled back.
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_demo_text_is_written_as_paragraphs_not_markup():
    for data in demo_content.ARTICLES:
        assert "<" not in data["body"], data["slug"]
        assert data["categories"][0] in {slug for slug, _, _ in demo_content.CATEGORIES}


def test_load_demo_asks_every_installed_app_for_its_demo():
    from donations.models import SidebarBlock

    output = load_demo()
    assert "Support sidebar:" in output  # donations' own demo hook, found through the app registry
    assert SidebarBlock.objects.filter(is_visible=True).count() == 6
    assert output.rstrip().endswith("Demo content ready.")
