"""A reader's visit in Chromium, at a phone's width and a desktop's: front page, a section from the
menu, an article; every page passes axe-core, logs no console error and does not shift as it loads."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

VIDEO_ARTICLE = "/2025/01/30/damascus-opens-its-files/"
AXE_PAGES = {
    "home": "/",
    "article": VIDEO_ARTICLE,
    "category": "/category/middle-east/",
    "archives": "/archives/",
    "author": "/author/leila-farahani/",
    "tag": "/tag/iran/",
    "page": "/about/",
    "page-2": "/page/2/",
    "featured": "/featured/",
    "search": "/search/?q=iran",
    "search-filtered": "/search/?q=oil+or+gas&category=energy",
    "search-empty": "/search/",
}

# Cumulative layout shift collected from the moment the page started loading.
LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def is_phone(page) -> bool:
    return page.viewport_size["width"] < 960


def test_reader_goes_from_front_page_to_a_section_to_an_article(any_page, demo_site):
    page = any_page
    page.open("/")
    assert page.locator(".featured .card--large .card__title").is_visible()
    assert page.locator(".latest .card").count() == 10
    assert page.locator(".pagination").is_visible()
    page.screenshot_as("home")

    toggle = page.get_by_role("button", name="Menu")
    section_link = page.locator(".site-nav").get_by_role("link", name="Middle East")
    if is_phone(page):
        # The menu folds behind its button on a phone.
        assert toggle.is_visible() and not section_link.is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        page.screenshot_as("menu-open")
    else:
        assert not toggle.is_visible()
    assert section_link.is_visible()
    section_link.click()
    page.wait_for_url(re.compile(r"/category/middle-east/$"))
    assert page.locator("h1").inner_text() == "Middle East"
    # (Folded away again on a phone, so not found by role: look it up by address.)
    current = page.locator('.site-nav a[href="/category/middle-east/"]')
    assert current.get_attribute("aria-current") == "page"
    page.screenshot_as("category")

    first_title = page.locator(".content .card__title a").first
    title = first_title.inner_text()
    first_title.click()
    page.wait_for_url(re.compile(r"/\d{4}/\d{2}/\d{2}/[\w-]+/$"))
    article = page.locator("article.entry")
    assert article.locator("h1").inner_text() == title
    for part in (
        ".kicker a",
        ".entry-dek",
        ".byline a[rel=author]",
        ".byline time",
        ".share-links a.share-links__x",
        ".share-links a.share-links__email",
        ".entry-image img",
        ".entry-content p",
        ".filed-under a[rel=category]",
        ".filed-under a[rel=tag]",
        ".author-box--entry",
    ):
        assert article.locator(part).first.is_visible(), part
    image_width = article.locator(".entry-image img").evaluate("img => img.naturalWidth")
    assert image_width > 0
    assert page.locator("nav.adjacent a").first.is_visible()
    page.screenshot_as("article")
    assert page.console_errors == []


def test_related_video_loads_its_player_only_when_asked(desktop_page, demo_site):
    page = desktop_page
    third_party = []
    page.route(
        re.compile(r"youtube|vimeo|ytimg"),
        lambda route: (third_party.append(route.request.url), route.abort()),
    )
    page.open(VIDEO_ARTICLE)
    assert page.locator(".related-video").is_visible()
    assert page.locator(".related-video iframe").count() == 0
    assert third_party == []  # nothing left the site before the click
    page.locator(".video-embed__load").click()
    frame = page.locator(".related-video iframe")
    assert frame.count() == 1
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    assert frame.get_attribute("title")


def test_keyboard_reader_can_skip_to_the_content_and_the_sidebar(any_page, demo_site):
    page = any_page
    page.open("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    box = skip.bounding_box()
    assert box and box["y"] >= 0  # shown on screen while focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.open("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.locator(":focus").inner_text() == "Skip to primary sidebar"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "sidebar"


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_pages_pass_axe_without_console_errors_or_layout_shift(any_page, demo_site, name):
    page = any_page
    page.open(AXE_PAGES[name])
    page.assert_accessible()
    shift = page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.05, f"{name} shifted by {shift:.3f} while loading"
    # The footer reaches the bottom of the window even when the page is short.
    footer_bottom = page.evaluate(
        "document.querySelector('.site-footer').getBoundingClientRect().bottom + window.scrollY"
    )
    assert footer_bottom >= page.viewport_size["height"] - 1
    assert page.locator("h1").count() == 1
    assert page.console_errors == []
    page.screenshot_as("page")


def test_not_found_page_is_in_the_layout_and_accessible(any_page, demo_site):
    page = any_page
    response = page.goto(page.base_url + "/no-such-article/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.locator(".site-nav").count() == 1
    page.assert_accessible()
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] >= page.viewport_size["height"] - 1
    page.screenshot_as("404")
