"""Reader pages' markup details that checkers flag: the search page's landmarks and sections, the
footer's sections, the share links."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import ArticleFactory, CategoryFactory, MenuItemFactory, PageFactory

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Each <section> with whether it holds a heading; each search landmark with its name."""

    def __init__(self):
        super().__init__()
        self.open_sections: list[dict] = []
        self.sections: list[dict] = []
        self.search_landmarks: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.open_sections.append({"class": attrs.get("class"), "heading": False})
        elif re.fullmatch(r"h[1-6]", tag):
            for section in self.open_sections:
                section["heading"] = True
        if attrs.get("role") == "search" or tag == "search":
            self.search_landmarks.append(attrs.get("aria-label"))

    def handle_endtag(self, tag):
        if tag == "section" and self.open_sections:
            self.sections.append(self.open_sections.pop())


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("query", ["", "?q=caspian", "?q=nothing-matches-this"])
def test_search_page_landmarks_are_named_apart_and_every_section_has_a_heading(client, query):
    ArticleFactory(title="The Caspian")
    page = outline(client.get(f"/search/{query}").content.decode())
    assert len(page.search_landmarks) == 2
    assert None not in page.search_landmarks
    assert len(set(page.search_landmarks)) == 2
    assert page.sections and all(section["heading"] for section in page.sections), page.sections


def test_footer_sections_list_only_categories(client):
    category = CategoryFactory(name="Energy", slug="energy")
    MenuItemFactory(label="Energy", category=category, url="", order=1)
    MenuItemFactory(label="Featured", url="/featured/", order=2)
    MenuItemFactory(label="About us", page=PageFactory(slug="about"), url="", order=3)
    html = client.get("/").content.decode()
    footer = html.split('aria-label="Sections"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r"<a [^>]*>([^<]+)</a>", footer) == ["Energy"]


def test_email_share_link_opens_the_mail_program_not_a_tab(client):
    article = ArticleFactory(title="Water and power")
    html = client.get(article.get_absolute_url()).content.decode()
    links = dict(re.findall(r'<a class="share-links__(\w+)"([^>]*)>', html))
    assert set(links) == {"x", "facebook", "reddit", "bluesky", "email"}
    assert 'href="mailto:?' in links["email"] and "target=" not in links["email"]
    for name in ("x", "facebook", "reddit", "bluesky"):
        assert 'target="_blank"' in links[name]
