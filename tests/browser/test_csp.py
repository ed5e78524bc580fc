"""The strict Content-Security-Policy holds in a real browser: Chromium reports every violation on
the console, so no page type may log one — with the page cache off and on (replayed pages must carry
a policy that matches what they contain)."""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site_pages():
    category = CategoryFactory(slug="world", name="World")
    author = AuthorFactory(slug="jane", display_name="Jane Writer")
    article = ArticleFactory(
        with_image=True,
        primary_category=category,
        authors=[author],
        tags=["oil"],
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_caption="A related video",
    )
    PageFactory(slug="about", title="About")
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": "/category/world/",
        "tag": "/tag/oil/",
        "author": "/author/jane/",
        "page": "/about/",
        "archives": "/archives/",
    }


def csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


@pytest.mark.parametrize("page_cache", [False, True], ids=["uncached", "page-cache"])
def test_no_page_type_violates_the_content_security_policy(
    desktop_page, site_pages, settings, page_cache
):
    settings.PAGE_CACHE_ENABLED = page_cache
    for label, path in site_pages.items():
        for _visit in range(2 if page_cache else 1):  # the second visit replays the cached page
            response = desktop_page.open(path)
            assert "Content-Security-Policy" in response.headers or (
                "content-security-policy" in response.headers
            ), label
            # site.js ran (a blocked script would leave the class off).
            assert desktop_page.evaluate("document.documentElement.classList.contains('js')"), label
    assert csp_violations(desktop_page.console_errors) == []


def test_loading_a_related_video_respects_the_policy(desktop_page, site_pages):
    desktop_page.open(site_pages["article"])
    load = desktop_page.locator(".video-embed__load")
    if not load.count():
        pytest.skip("the article template shows no click-to-load video")
    load.first.click()
    desktop_page.wait_for_selector(".video-embed iframe", state="attached")
    desktop_page.wait_for_timeout(300)
    assert csp_violations(desktop_page.console_errors) == []


def test_an_inline_script_would_be_reported(desktop_page, site_pages):
    """The check above can fail: injecting an inline script is reported as a violation."""
    desktop_page.open("/")
    desktop_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.append(s); }"
    )
    desktop_page.wait_for_timeout(200)
    assert csp_violations(desktop_page.console_errors), desktop_page.console_errors
