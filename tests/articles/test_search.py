import datetime

import pytest
from django.db import connection
from django.urls import reverse

from articles import search as search_module
from articles.models import Article
from articles.search import SearchFilters, clean_query, search
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.postgres


@pytest.fixture
def require_postgres(using_postgres):
    if not using_postgres:
        pytest.skip("PostgreSQL full-text search")


@pytest.fixture(params=["native", "fallback"])
def engine(request, monkeypatch, using_postgres):
    """Run a test against the engine the database offers and against the simple fallback."""
    if request.param == "native" and not using_postgres:
        pytest.skip("the native engine on SQLite is the fallback, tested by the other param")
    if request.param == "fallback":
        monkeypatch.setattr(search_module, "full_text_available", lambda: False)
    return request.param


def bulk_create_articles(title: str, body: str, category) -> list[Article]:
    """Three published articles written as bulk loaders write them: no save(), no signals."""
    return Article.objects.bulk_create(
        Article(
            title=f"{title} {n}",
            slug=f"{title.lower()}-{n}",
            body=body,
            status=Article.Status.PUBLISHED,
            published_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            primary_category=category,
        )
        for n in range(3)
    )


def titles(results) -> list[str]:
    return [article.title for article in results.page.object_list]


def test_words_are_found_in_title_dek_body_byline_category_and_tags(engine):
    ArticleFactory(title="Pipelines across the Caspian", body="<p>Nothing else.</p>")
    ArticleFactory(title="Second", dek="A note on Caspian caviar.")
    ArticleFactory(title="Third", body="<p>The Caspian shore is <em>shrinking</em>.</p>")
    ArticleFactory(title="Fourth", authors=[AuthorFactory(display_name="Nadia Caspian")])
    ArticleFactory(
        title="Fifth", primary_category=CategoryFactory(name="Caspian Affairs", slug="caspian")
    )
    ArticleFactory(title="Sixth", tags=["caspian"])
    ArticleFactory(title="Unrelated", body="<p>Baltic matters.</p>")
    results = search("caspian")
    assert sorted(titles(results)) == sorted(
        ["Pipelines across the Caspian", "Second", "Third", "Fourth", "Fifth", "Sixth"]
    )
    assert results.total == 6


def test_a_title_match_outranks_body_matches(engine):
    ArticleFactory(
        title="Notes from the week",
        body="<p>" + " ".join(["Desalination plants everywhere."] * 8) + "</p>",
        published_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
    )
    ArticleFactory(
        title="Desalination is no cure",
        body="<p>Water is scarce.</p>",
        published_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    assert titles(search("desalination"))[0] == "Desalination is no cure"


def test_drafts_and_scheduled_articles_are_never_found(engine):
    ArticleFactory(title="Published zeppelin")
    ArticleFactory(title="Draft zeppelin", draft=True)
    ArticleFactory(title="Scheduled zeppelin", scheduled=True)
    assert titles(search("zeppelin")) == ["Published zeppelin"]


def test_phrase_and_exclusion_queries(engine):
    ArticleFactory(title="Human rights in the Gulf", body="<p>Reports of abuses.</p>")
    ArticleFactory(title="Rights of the human body", body="<p>Medicine.</p>")
    ArticleFactory(title="Human rights and oil", body="<p>Oil money.</p>")
    assert sorted(titles(search('"human rights"'))) == [
        "Human rights and oil",
        "Human rights in the Gulf",
    ]
    assert titles(search('"human rights" -oil')) == ["Human rights in the Gulf"]


def test_snippets_highlight_the_match_and_cannot_inject_markup(engine):
    ArticleFactory(
        title="Aquifers",
        body="<p>Intro words here.</p><p>Farmers pump the aquifer dry &amp; fast "
        "&lt;script&gt;alert(1)&lt;/script&gt; while the state looks away.</p>",
    )
    [article] = search("aquifer").page.object_list
    assert "<mark>" in article.snippet
    assert "<script>" not in article.snippet
    assert "&lt;script&gt;" in article.snippet
    assert "&amp; fast" in article.snippet
    assert article.title_highlighted.startswith("<mark>Aquifer")


def paragraph_of_nothing(sentences: int) -> str:
    """A paragraph that matches no search of these tests: it pushes a match deep into a body."""
    return "<p>" + "Plain words about nothing in particular. " * sentences + "</p>"


def snippet_of_the_only_result(query: str) -> str:
    """The snippet of the one article `query` finds, its spaces collapsed."""
    [article] = search(query).page.object_list
    return " ".join(article.snippet.split())


def test_snippets_come_from_deep_in_long_bodies(engine):
    filler = paragraph_of_nothing(120)
    ArticleFactory(
        title="Long read",
        dek="A dek that is not the snippet.",
        body=f"{filler}<p>Farmers say the <em>aquifers</em> ran dry.</p>{filler}",
    )
    assert "Farmers say the <mark>aquifer" in snippet_of_the_only_result("aquifer")


def test_without_a_match_in_the_text_the_snippet_is_the_summary(engine, django_assert_num_queries):
    ArticleFactory(title="Plain", dek="", body="<p>Opening words of the body.</p>", tags=["ore"])
    ArticleFactory(title="Other", dek="The dek.", body="<p>Nothing.</p>", tags=["ore"])
    with django_assert_num_queries(3 if engine == "native" else 4):  # no body read row by row
        results = search("ore")
    snippets = {article.title: article.snippet for article in results.page.object_list}
    assert snippets == {"Plain": "Opening words of the body.", "Other": "The dek."}


def test_the_snippet_starts_at_a_word_not_at_the_same_letters_inside_another(engine):
    filler = paragraph_of_nothing(40)
    ArticleFactory(
        title="Long read",
        dek="A dek that is not the snippet.",
        body=f"<p>The software failed.</p>{filler}<p>Then the war began.</p>{filler}",
    )
    snippet = snippet_of_the_only_result("war")
    assert "Then the <mark>war</mark> began" in snippet
    assert "software" not in snippet


def test_a_match_whose_stem_is_not_a_prefix_of_the_word_is_still_marked(require_postgres):
    # "countries" and "country" share the stem "countri", which begins neither word: the window
    # cannot be placed, and the whole body is read.
    filler = paragraph_of_nothing(120)
    ArticleFactory(title="Long read", body=f"{filler}<p>One country said no.</p>")
    assert "One <mark>country</mark>" in snippet_of_the_only_result("countries")


def test_facet_and_page_links_are_what_querystring_writes(rf):
    from django.core.paginator import Paginator
    from django.template import RequestContext, Template

    from articles.search import FacetOption, SearchResults, link_facets, page_links

    request = rf.get(
        "/search/", {"q": "oil & gas", "category": "energy", "page": "5", "x": ["1", "2"]}
    )
    results = SearchResults(
        query="oil",
        categories=[FacetOption("Energy", "energy", 2, True), FacetOption("War", "war", 1)],
        years=[FacetOption("2024", "2024", 3)],
    )
    link_facets(results, request.GET)
    pages = page_links(Paginator(range(200), 10).get_page(5), request.GET)
    written = Template(
        "{% querystring category=None page=None %} {% querystring category='war' page=None %}"
        " {% querystring year='2024' page=None %} {% querystring page=4 %}"
        " {% querystring page=6 %} {% querystring page=20 %}"
    ).render(RequestContext(request))
    ours = [o.href for o in [*results.categories, *results.years]]
    ours += [pages["previous_page_url"](), pages["next_page_url"](), pages["page_links"]()[-1][1]]
    assert " ".join(ours) == written.replace("&amp;", "&")


def test_filters_narrow_results_and_facets_count_each_dimension(engine):
    politics = CategoryFactory(name="Politics", slug="politics")
    energy = CategoryFactory(name="Energy", slug="energy")
    writer = AuthorFactory(display_name="Juan Writer", slug="juan")
    ArticleFactory(
        title="Tanker one",
        primary_category=politics,
        authors=[writer],
        published_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
    )
    tanker_two = ArticleFactory(
        title="Tanker two",
        primary_category=energy,
        published_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
    )
    tanker_two.categories.add(politics)  # a further category counts too, once
    ArticleFactory(
        title="Tanker three",
        primary_category=energy,
        published_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )

    results = search("tanker")
    assert {(o.value, o.count) for o in results.categories} == {("politics", 2), ("energy", 2)}
    assert ("juan", 1) in {(o.value, o.count) for o in results.authors}
    assert [(o.value, o.count) for o in results.years] == [("2025", 2), ("2024", 1)]

    narrowed = search("tanker", filters=SearchFilters(category=politics))
    assert sorted(titles(narrowed)) == ["Tanker one", "Tanker two"]
    assert next(o for o in narrowed.categories if o.value == "politics").selected
    # The year facet counts within the chosen category; the category facet does not narrow itself.
    assert [(o.value, o.count) for o in narrowed.years] == [("2025", 1), ("2024", 1)]
    assert {o.value for o in narrowed.categories} == {"politics", "energy"}

    assert titles(search("tanker", filters=SearchFilters(author=writer))) == ["Tanker one"]
    assert sorted(titles(search("tanker", filters=SearchFilters(year=2025)))) == [
        "Tanker three",
        "Tanker two",
    ]


def test_search_page_shows_results_facets_and_keeps_filters_in_links(client, engine):
    politics = CategoryFactory(name="Politics", slug="politics")
    ArticleFactory(title="Ceasefire talks resume", primary_category=politics)
    response = client.get(reverse("articles:search"), {"q": "ceasefire"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 article found" in html
    assert "<mark>Ceasefire</mark> talks resume" in html
    assert "?q=ceasefire&amp;category=politics" in html
    assert '<meta name="robots" content="noindex, follow">' in html

    filtered = client.get(reverse("articles:search"), {"q": "ceasefire", "category": "politics"})
    assert 'aria-current="true" href="?q=ceasefire"' in filtered.content.decode()


def test_results_are_paginated(client, engine):
    for number in range(23):
        ArticleFactory(title=f"Drought report {number}")
    first = search("drought")
    assert first.total == 23 and len(first.page.object_list) == 10
    third = search("drought", page_number="3")
    assert len(third.page.object_list) == 3
    assert len(search("drought", page_number="999").page.object_list) == 3
    assert len(search("drought", page_number="x").page.object_list) == 10
    html = client.get(reverse("articles:search"), {"q": "drought", "page": "2"}).content.decode()
    assert "page 2 of 3" in html and "?q=drought&amp;page=3" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 20_000,
        "war " * 3000,
        "'; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        '"""',
        "-",
        "- - -",
        "!!! :* & | ( ) <-> \\",
        "or",
        "the",
        "ﬁnance café 🛢️",
        "%_%",
    ],
)
def test_hostile_or_odd_queries_get_a_clear_page(client, engine, query):
    ArticleFactory(title="Oil and gas")
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert Article.objects.count() == 1


@pytest.mark.parametrize("query", ["\x00", "oil\x00gas"])
def test_a_nul_character_is_refused_at_the_edge(client, query):
    # No page of ours can use it (PostgreSQL refuses it in text); edge.guard answers for all.
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_an_empty_query_invites_a_search(client):
    html = client.get(reverse("articles:search")).content.decode()
    assert "Type one or more words" in html


def test_a_too_long_query_is_shortened_with_a_notice(client, engine):
    ArticleFactory(title="Sanctions")
    html = client.get(reverse("articles:search"), {"q": "sanctions " * 100}).content.decode()
    assert "only its beginning was used" in html
    query, notices = clean_query("word " * 100)
    assert len(query) <= 200 and notices


def test_unknown_filters_are_dropped_with_a_notice(client, engine):
    ArticleFactory(title="Embargo")
    html = client.get(
        reverse("articles:search"),
        {"q": "embargo", "category": "nope", "author": "nobody", "year": "20x5"},
    ).content.decode()
    assert "That category does not exist" in html
    assert "That author does not exist" in html
    assert "That is not a year" in html
    assert "1 article found" in html


def test_stop_words_only_explains_itself(client, require_postgres):
    ArticleFactory(title="The and of")
    html = client.get(reverse("articles:search"), {"q": "the and"}).content.decode()
    assert "too common to search for" in html


def test_search_vector_follows_edits_tags_authors_and_renames(require_postgres):
    article = ArticleFactory(title="Plain title", body="<p>Nothing.</p>")
    assert titles(search("kerosene")) == []
    article.body = "<p>Kerosene prices rose.</p>"
    article.save()
    assert titles(search("kerosene")) == ["Plain title"]

    article.tags.add("Fertiliser")
    assert titles(search("fertiliser")) == ["Plain title"]
    article.tags.remove("Fertiliser")
    assert titles(search("fertiliser")) == []

    author = AuthorFactory(display_name="Someone")
    article.authors.add(author)
    author.display_name = "Zenobia Quill"
    author.save()
    assert titles(search("zenobia")) == ["Plain title"]

    category = article.primary_category
    category.name = "Petrochemicals"
    category.save()
    assert titles(search("petrochemicals")) == ["Plain title"]


def test_bulk_created_articles_are_searchable(require_postgres):
    bulk_create_articles("Bulk", "<p>Phosphate mining.</p>", CategoryFactory())
    assert search("phosphate").total == 3


def test_search_vectors_are_kept_in_their_rows(require_postgres):
    """Ranking reads a pool of vectors: out of line, each cost a TOAST lookup (migration 0014)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'articles_article'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)


def test_searches_find_the_same_whichever_end_they_start_from(require_postgres, monkeypatch):
    """Few matches: the newest matches are read from the index up (`_from_the_matches_up`);
    many: the planner's own plan. Both must answer alike, with filters and without."""
    politics, energy = CategoryFactory(slug="politics"), CategoryFactory(slug="energy")
    writer = AuthorFactory(slug="juan")
    start = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
    for number in range(24):
        article = ArticleFactory(
            title=f"Tanker {number}" if number % 3 else f"Convoy {number}",
            primary_category=politics if number % 2 else energy,
            authors=[writer] if number % 4 == 0 else None,
            published_at=start + datetime.timedelta(days=45 * number),
        )
        if number % 5 == 0:
            article.categories.add(politics)
    filter_sets = [
        SearchFilters(),
        SearchFilters(category=politics),
        SearchFilters(category=energy, year=2024),
        SearchFilters(author=writer),
        SearchFilters(category=politics, author=writer, year=2025),
    ]

    def answers(limit: int) -> list:
        monkeypatch.setattr(search_module, "MATCH_FIRST_LIMIT", limit)
        monkeypatch.setattr(search_module, "MATCH_FIRST_LIMIT_UNFILTERED", limit)
        monkeypatch.setattr(search_module, "CANDIDATES", 4)  # pools cut short, as at scale
        found = []
        for filters in filter_sets:
            for page in (1, 2):
                results = search("tanker", filters=filters, page_number=page)
                found.append((titles(results), results.total, results.broad))
        return found

    from_the_matches, planned = answers(10**9), answers(-1)
    assert from_the_matches == planned
    assert any(titles for titles, *_ in planned)


def test_unfiltered_phrases_are_left_to_the_planner(require_postgres):
    """Its estimate of a phrase's matches is a guess, and reading them from the index means
    checking the word order of every article holding the words."""
    from articles.search import _PostgresSearch

    ArticleFactory(title="Tanker convoy")
    assert _PostgresSearch("tanker").matches_are_few(SearchFilters())
    assert not _PostgresSearch('"tanker convoy"').matches_are_few(SearchFilters())
    assert not _PostgresSearch("tanker-convoy").matches_are_few(SearchFilters())


def test_search_runs_a_fixed_number_of_queries(django_assert_num_queries, engine):
    def run() -> None:
        results = search("bauxite")
        list(results.page.object_list)

    for number in range(3):
        ArticleFactory(title=f"Bauxite {number}", tags=["mining"])
    # on PostgreSQL: the planner's estimate of the matches (which end to read them from), the
    # ranked candidates with their facet counts, the page with its snippets and authors;
    # elsewhere: candidate ids, the page, its authors, the facet counts
    expected = 3 if engine == "native" else 4
    with django_assert_num_queries(expected):
        run()
    for number in range(12):
        ArticleFactory(title=f"More bauxite {number}", tags=["mining"])
    with django_assert_num_queries(expected):
        run()


def test_words_match_at_word_starts_not_inside_other_words(engine):
    ArticleFactory(title="Wars of the century")
    ArticleFactory(title="An awkward silence", body="<p>Software updates.</p>")
    assert titles(search("war")) == ["Wars of the century"]


def test_broad_queries_rank_a_bounded_pool_that_keeps_old_title_matches(
    client, engine, monkeypatch
):
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    ArticleFactory(
        title="Irrigation, a history",
        body="<p>Old piece.</p>",
        published_at=now - datetime.timedelta(days=3000),
    )
    for number in range(12):
        ArticleFactory(
            title=f"Notes {number}",
            body="<p>Irrigation mentioned in passing.</p>",
            published_at=now - datetime.timedelta(days=number),
        )
    results = search("irrigation")
    assert results.broad
    assert titles(results)[0] == "Irrigation, a history"  # old, but the title matches
    assert results.total == 6  # the 5 newest and the title match
    html = client.get(reverse("articles:search"), {"q": "irrigation"}).content.decode()
    assert "Many articles match" in html

    narrow = search("irrigation", filters=SearchFilters(year=2018))
    assert not narrow.broad


@pytest.mark.parametrize("read_from", ["the matches up", "the planner's end"])
def test_an_old_title_match_in_a_broad_pool_still_obeys_exclusions_and_drafts(
    engine, monkeypatch, read_from
):
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    if read_from == "the planner's end":
        monkeypatch.setattr(search_module, "MATCH_FIRST_LIMIT", -1)
        monkeypatch.setattr(search_module, "MATCH_FIRST_LIMIT_UNFILTERED", -1)
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    old = now - datetime.timedelta(days=3000)
    ArticleFactory(title="Irrigation and drought", body="<p>Old piece.</p>", published_at=old)
    ArticleFactory(title="Irrigation, a history", body="<p>Drought years.</p>", published_at=old)
    ArticleFactory(title="Irrigation canals", published_at=old, status=Article.Status.DRAFT)
    ArticleFactory(title="Irrigation schemes", body="<p>Old piece.</p>", published_at=old)
    for number in range(12):
        ArticleFactory(
            title=f"Notes {number}",
            body="<p>Irrigation mentioned in passing.</p>",
            published_at=now - datetime.timedelta(days=number),
        )
    results = search("irrigation -drought")
    assert results.broad
    assert results.total == 6  # the 5 newest and the one title match left
    assert "Irrigation schemes" in titles(results)
    everything = search("irrigation")
    assert everything.total == 8  # the 5 newest and the three live title matches
    assert set(titles(everything)[:3]) == {
        "Irrigation and drought",
        "Irrigation schemes",
        "Irrigation, a history",
    }


def test_bulk_loads_can_defer_the_vectors_to_one_rebuild(require_postgres):
    from articles.search import search_vectors_rebuilt_after

    category = CategoryFactory(name="Uplands")
    with search_vectors_rebuilt_after():
        created = bulk_create_articles("Deferred", "<p>Lithium brine.</p>", category)
        created[0].tags.add("salt-flats")
        assert search("lithium").total == 0  # not yet
    assert search("lithium").total == 3
    assert search("uplands").total == 3
    assert titles(search("salt-flats")) == ["Deferred 0"]
    ArticleFactory(title="Lithium after")  # the triggers are back
    assert search("lithium").total == 4
