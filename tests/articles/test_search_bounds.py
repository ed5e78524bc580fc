"""Whatever a reader types into search is answered, and the page says when it was shortened."""

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["-" * 40, "- " * 60, "x " + "-" * 60, "x ---y", '"' * 41, "or or or", "!!&&|| :*"]
)
def test_operator_runs_are_answered_not_crashed(client, query):
    ArticleFactory(title="Water rights in the valley")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_a_query_of_only_operators_says_there_is_nothing_to_look_for(client):
    response = client.get("/search/", {"q": "- - - - -"})
    assert "Your search has no letters or digits to look for." in response.text


def test_a_very_long_query_is_cut_to_its_first_words_and_says_so(client):
    ArticleFactory(title="Water rights in the valley")
    words = ["water"] + [f"word{n}" for n in range(30)]
    response = client.get("/search/", {"q": " ".join(words)})
    assert response.status_code == 200
    assert "Only the first 16 words of your search were used." in response.text


def test_extra_hyphens_still_find_the_word(client, using_postgres):
    ArticleFactory(title="Water rights in the valley")
    response = client.get("/search/", {"q": "---water"})
    # "---water" means "not water": one minus, as a reader would mean it.
    assert "rights in the valley" not in response.text
    response = client.get("/search/", {"q": "water ---"})
    assert "rights in the valley" in response.text
