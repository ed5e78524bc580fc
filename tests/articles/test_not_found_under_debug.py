"""Under `make run` (DEBUG=1) an unknown address shows the site's own 404 page, as in production,
not Django's technical page."""

import pytest

from articles.models import Page
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True  # before the client's first request builds the middleware chain


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",  # the page catch-all's view raises Http404
        "/category/nope/",
        "/2017/11/04/not-an-article/",
        "/a/b/c/d/e/f/",  # no URL pattern matches at all
        "/static-nothing.php",
    ],
)
def test_unknown_address_shows_the_sites_404_page_under_debug(client, debug_on, url):
    ArticleFactory()
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    for technical in ("Using the URLconf", "DEBUG = True", "technical_404"):
        assert technical not in html


def test_slash_and_legacy_redirects_still_happen_under_debug(client, debug_on):
    Page.objects.create(slug="about", title="About", body="<p>Us.</p>", published=True)
    ArticleFactory(primary_category=CategoryFactory(slug="middle-east"))
    assert client.get("/about")["Location"] == "/about/"
    # A nested WordPress category address (no pattern matches it) still gets its 301.
    response = client.get("/category/world/middle-east/")
    assert response.status_code == 301
    assert response["Location"] == "/category/middle-east/"


def test_admin_and_real_pages_are_untouched_under_debug(client, debug_on):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/admin/").status_code == 302  # to the login page
