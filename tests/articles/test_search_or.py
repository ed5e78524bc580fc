"""`or` in a search means what PostgreSQL's websearch_to_tsquery makes of it, on both engines:
alternatives, binding loosest (`iran oil or gas` is (iran and oil) or gas)."""

import pytest

from articles.search import search
from tests.articles.test_search import engine, titles
from tests.factories import ArticleFactory

__all__ = ["engine"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    ArticleFactory(title="Iran and its oil", body="<p>Tehran's crude exports.</p>")
    ArticleFactory(title="Iran alone", body="<p>Tehran politics.</p>")
    ArticleFactory(title="Gas fields", body="<p>Qatar's reserves.</p>")
    ArticleFactory(title="Oil without the rest", body="<p>Texas crude.</p>")
    ArticleFactory(title="Solar panels", body="<p>Nothing here.</p>")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("iran or gas", ["Gas fields", "Iran alone", "Iran and its oil"]),
        ("iran OR gas", ["Gas fields", "Iran alone", "Iran and its oil"]),
        ("iran oil or gas", ["Gas fields", "Iran and its oil"]),
        ("iran or oil gas", ["Iran alone", "Iran and its oil"]),
        ("-iran oil or gas", ["Gas fields", "Oil without the rest"]),
        ('"crude exports" or qatar', ["Gas fields", "Iran and its oil"]),
        ("or solar", ["Solar panels"]),  # a leading or trailing `or` is ignored
        ("solar or", ["Solar panels"]),
    ],
)
def test_or_joins_alternatives_as_websearch_does(engine, articles, query, expected):
    assert sorted(titles(search(query))) == expected
