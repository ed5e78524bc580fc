"""Reader polish in Chromium, at 1280 px and at a phone's width: the front page shows each article
once, the desktop menu keeps one row however many items it has (the rest under "More"), the phone
header keeps its Newsletter link, body pictures line up with the text, kickers are touch-sized,
and the Email share link opens no tab."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Category, Image, MenuItem
from tests.browser.test_reading import is_phone

pytestmark = pytest.mark.django_db(transaction=True)

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def tops(locator) -> set[int]:
    return {round(box["y"]) for box in (item.bounding_box() for item in locator.all()) if box}


def test_front_page_shows_each_article_once_and_fits_the_screen(any_page, demo_site):
    page = any_page
    page.open("/")
    featured = page.locator(".featured .card__title").all_inner_texts()
    latest = page.locator(".latest .card__title").all_inner_texts()
    assert len(featured) == 4 and len(latest) == 10
    assert not set(featured) & set(latest)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    # Kicker links are touch targets of at least 24 px (axe's target-size checks the same).
    kickers = page.locator(".kicker a").all()
    assert kickers
    for kicker in kickers:
        assert kicker.bounding_box()["height"] >= 24
    # The header keeps Newsletter beside Donate and the search, on one row on a phone too.
    newsletter = page.locator(".site-header").get_by_role("link", name="Newsletter")
    donate = page.locator(".site-header").get_by_role("link", name="Donate")
    assert newsletter.is_visible() and donate.is_visible()
    assert abs(newsletter.bounding_box()["y"] - donate.bounding_box()["y"]) < 2
    if not is_phone(page):
        # The demo's eleven menu items fit on one row; nothing needs "More".
        assert len(tops(page.locator("#site-nav-menu > li:visible"))) == 1
        assert page.locator(".site-nav__more").is_hidden()
    page.assert_accessible()
    page.screenshot_as("home")


@pytest.fixture
def long_menu(demo_site):
    """Fifteen items, as a site with many sections has."""
    order = MenuItem.objects.order_by("-order").first().order
    for number, (slug, name) in enumerate(
        [
            ("religion", "Religion"),
            ("history", "History"),
            ("books-and-reviews", "Books and reviews"),
            ("letters-to-the-editor", "Letters to the editor"),
        ],
        start=1,
    ):
        category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name})
        MenuItem.objects.create(label=name, category=category, order=order + number * 10)
    return MenuItem.objects.count()


def test_a_long_menu_keeps_one_row_and_puts_the_rest_under_more(desktop_page, long_menu):
    page = desktop_page
    page.open("/")
    shown = page.locator("#site-nav-menu > li:not(.site-nav__more):visible")
    more = page.get_by_role("button", name="More")
    folded = page.locator("#site-nav-more > li")
    assert more.is_visible()
    assert len(tops(page.locator("#site-nav-menu > li:visible"))) == 1  # one row
    assert shown.count() + folded.count() == long_menu
    assert folded.count() >= 1 and folded.first.is_hidden()
    nav = page.locator(".site-nav").bounding_box()
    assert nav["height"] < 60

    more.click()
    assert more.get_attribute("aria-expanded") == "true"
    last = folded.last.get_by_role("link")
    assert last.is_visible() and last.text_content() == "Letters to the editor"
    # On screen, not clipped by the bar: the point at its centre is the link itself.
    box = last.bounding_box()
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).textContent",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit == "Letters to the editor"
    page.assert_accessible()
    page.screenshot_as("more-open")
    # A window resized through a narrow width (a rotated tablet; Chromium's full-page
    # screenshot passes through 1x1) shows "More" open again once it is wide again.
    toggle = page.locator(".site-nav__more-toggle")  # by role it is gone while hidden
    size = page.viewport_size
    page.set_viewport_size({"width": 800, "height": 900})
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.set_viewport_size(size)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert last.is_visible()
    # Escape while it is hidden for now still closes it for good.
    page.set_viewport_size({"width": 800, "height": 900})
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Escape")
    page.set_viewport_size(size)
    expect(more).to_be_visible()
    assert more.get_attribute("aria-expanded") == "false" and folded.first.is_hidden()
    more.click()
    page.keyboard.press("Escape")
    assert more.get_attribute("aria-expanded") == "false" and folded.first.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "More"
    # Tabbing past the last item in "More" closes it.
    more.click()
    folded.last.get_by_role("link").focus()
    page.keyboard.press("Tab")
    assert more.get_attribute("aria-expanded") == "false"

    # A section in "More" is marked as the current one there too.
    more.click()
    last.click()
    page.wait_for_url("**/category/letters-to-the-editor/")
    assert page.locator(".site-nav__more--current").count() == 1

    # Narrower (a tablet): the menu folds behind its button and "More" goes away.
    page.set_viewport_size({"width": 800, "height": 900})
    page.get_by_role("button", name="Menu").click()
    assert page.locator("#site-nav-menu > li:not(.site-nav__more):visible").count() == long_menu
    assert page.locator(".site-nav__more").is_hidden()


def test_body_figures_line_up_with_the_text(any_page, demo_site):
    image = Image.objects.first()
    article = Article.objects.published().first()
    article.body = (
        "<p>Before the picture, a paragraph long enough to fill the measure of the column.</p>"
        f'<figure><img src="{image.file.url}" alt="Hills" width="1200" height="800">'
        "<figcaption>Hills at dusk.</figcaption></figure>"
        "<p>After the picture, another paragraph of text.</p>"
    )
    article.save()
    page = any_page
    page.open(article.get_absolute_url())
    paragraph = page.locator(".entry-content > p").first.bounding_box()
    figure = page.locator(".entry-content figure").bounding_box()
    picture = page.locator(".entry-content figure img").bounding_box()
    assert abs(figure["x"] - paragraph["x"]) < 1
    assert abs(picture["x"] - paragraph["x"]) < 1
    assert picture["x"] + picture["width"] <= paragraph["x"] + paragraph["width"] + 1
    page.assert_accessible()
    page.locator(".entry-content figure").screenshot(
        path=str(page.screenshot_as("article").with_name(f"{page.artifact_prefix}-figure.png"))
    )


def test_email_share_link_opens_no_tab(desktop_page, demo_site):
    page = desktop_page
    page.open(Article.objects.published().first().get_absolute_url())
    email = page.locator(".share-links__email")
    assert email.get_attribute("href").startswith("mailto:?subject=")
    assert email.get_attribute("target") is None
    tabs = len(page.context.pages)
    email.click()
    page.wait_for_timeout(300)
    assert len(page.context.pages) == tabs
    assert page.locator(".share-links__x").get_attribute("target") == "_blank"
