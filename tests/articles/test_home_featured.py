"""The front page shows its featured articles once: on top, not again at the top of Latest."""

import datetime
import re

import pytest
from django.utils import timezone

from articles.views import FEATURED_ON_HOME, LISTING_PAGE_SIZE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def section_titles(html: str, section: str) -> list[str]:
    part = html.split(f'<section class="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', part)


def test_featured_articles_are_not_repeated_in_latest(client):
    now = timezone.now()
    for n in range(15):
        ArticleFactory(
            title=f"Piece {n:02d}",
            featured=n in {14, 13, 12, 11, 2},  # the four newest featured are on top
            published_at=now - datetime.timedelta(hours=15 - n),
        )
    html = client.get("/").content.decode()
    featured = section_titles(html, "featured")
    latest = section_titles(html, "latest")
    assert featured == ["Piece 14", "Piece 13", "Piece 12", "Piece 11"]
    assert len(featured) == FEATURED_ON_HOME
    assert not set(featured) & set(latest)
    assert latest[0] == "Piece 10" and len(latest) == LISTING_PAGE_SIZE
    # Page 2 goes on where page 1 stopped; the older featured piece (not on top) is listed.
    page_two = section_titles(client.get("/page/2/").content.decode(), "latest")
    assert page_two == ["Piece 00"]
    # Every article is on the front pages exactly once; the older featured one is in Latest.
    assert sorted(featured + latest + page_two) == [f"Piece {n:02d}" for n in range(15)]
    assert "Piece 02" in latest
