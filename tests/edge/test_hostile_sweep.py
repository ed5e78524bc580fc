"""Hostile input against every public URL pattern: no 5xx, and no traceback in the logs.

The URL list comes from the resolver, so a new pattern is swept as soon as it exists (and the sweep
fails until it knows how to fill the pattern's parameters). Each pattern is requested with hostile
values in its path parameters, in the query parameters pages and WordPress links read, and in form
bodies, with methods the site does not use, and the IPN endpoint with hostile bodies."""

import logging
import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from taggit.models import Tag

from newsletter import services as newsletter_services
from newsletter.models import Issue, Subscriber
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory
from wordpress.models import LegacyRedirect

# transaction=True: a failing query must not abort the transaction the rest of the sweep runs in.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

# Percent-encoded as they travel in a URL.
PAYLOADS = [
    "%00",
    "a%00b",
    "x" * 3000,
    "9" * 5000,  # more digits than int() converts
    quote("²"),
    quote("٣"),
    quote("１２"),
    "%ff%fe",
    "%c3%28",
    "%ed%a0%80",  # a UTF-16 surrogate in UTF-8
    quote("' OR 1=1 --"),
    quote("-" * 40),
    quote(" - " * 30),
    quote("x " + "-" * 60),
    quote('"' * 41),
    quote("!!!&&&|||(((:*"),
    quote("a | b & !c <-> d:*"),
    quote("(" * 50 + "a"),
    quote('"' + "a " * 100 + '"'),
    quote("x-" * 100),
    quote("or " * 60),
    quote("-" + '"-' * 40),
    "99999999999999999999999",
    "-1",
    "-99999999999999999999",
    "0",
    "0000",
    "00000000",
    "99991231",
    "1e308",
    "NaN",
    quote("<script>alert(1)</script>"),
    quote("../../../../etc/passwd"),
    quote("\u202e\u200b\ufeff"),
    quote("%s%n{0}"),
]

# The query-string links WordPress answers on its front page (written out here rather than taken
# from wordpress.redirects, so the sweep does not trust the code it checks).
WORDPRESS_FRONT_PAGE_KEYS = [
    "p",
    "page_id",
    "feed",
    "cat",
    "tag",
    "m",
    "author",
    "author_name",
    "category_name",
    "name",
]
# What reader pages, search and WordPress's query-string links read from the query string.
QUERY_KEYS = [
    "q",
    "page",
    *WORDPRESS_FRONT_PAGE_KEYS,
    "category",
    "year",
    "s",
    "amount",
    "frequency",
    "email",
    "ts",
    "preview",
]

# Pages that stop at the first key they understand (WordPress's links on the front page) or read
# several (search): each of their keys is swept alone.
KEYS_READ_ONE_AT_A_TIME = {
    "articles:home": WORDPRESS_FRONT_PAGE_KEYS,
    "articles:search": ["q", "page", "category", "author", "year"],
}

# Out-of-range dates and numbers in the path parameters' own shapes.
PATH_VALUES = {
    "yyyy": ["0000", "0001", "9999"],
    "dd": ["00", "13", "31", "99"],
    "int": ["0", "99999999999999999999", "9" * 400],
    "slug": ["-", "a" * 600, "x" * 3000, "--", "_"],
    "str": ["x", "a" * 3000, "%00", quote("٣"), "%ff"],
}

TRACEBACK = re.compile(r"Traceback \(most recent call last\)")


def public_patterns() -> list[tuple[str, str, dict]]:
    """(route, view name, converters) of every public pattern (the admin's login and password
    reset included, its pages behind the login not)."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                route = prefix + str(pattern.pattern)
                if pattern.namespace == "admin":  # the admin itself is behind its login
                    continue
                inner = ":".join(p for p in (namespace, pattern.namespace or "") if p)
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("^media"):  # DEBUG only: files, served by the web server
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append((route, name, pattern.pattern.converters))

    walk(get_resolver().url_patterns, "", "")
    return found


@pytest.fixture
def site(db):
    category = CategoryFactory(slug="world")
    author = AuthorFactory(slug="writer")
    article = ArticleFactory(
        slug="an-article", primary_category=category, authors=[author], tags=["iran"]
    )
    article.categories.add(category)
    article.wp_post_id = 123
    article.save()
    page = PageFactory(slug="about")
    LegacyRedirect.objects.create(old_path="/old-address/", article=article)
    subscriber = Subscriber.objects.create(email="reader@example.com")
    issue = Issue.objects.filter().first()
    return {
        "article": article,
        "category": category,
        "author": author,
        "page": page,
        "subscriber": subscriber,
        "issue": issue,
    }


def valid_kwargs(site: dict, name: str) -> dict:
    """Parameters that make the pattern answer 200 (or a redirect): the sweep's starting point."""
    article = site["article"]
    date = article.published_at
    slugs = {
        "articles:detail": article.slug,
        "articles:page": site["page"].slug,
        "articles:category": site["category"].slug,
        "articles:category-feed": site["category"].slug,
        "articles:category-feed-atom": site["category"].slug,
        "articles:tag": Tag.objects.get(name="iran").slug,
        "articles:tag-feed": Tag.objects.get(name="iran").slug,
        "articles:tag-feed-atom": Tag.objects.get(name="iran").slug,
        "articles:author": site["author"].slug,
        "articles:author-feed": site["author"].slug,
        "articles:author-feed-atom": site["author"].slug,
    }
    token = newsletter_services.make_confirm_token(site["subscriber"])
    return {
        "year": date.year,
        "month": date.month,
        "day": date.day,
        "page": 2,
        "pk": article.pk if name.startswith("articles:") else 1,
        "slug": slugs.get(name),
        "path": site["page"].path,  # articles:page, /about/ or /parent/child/
        "section": "categories",
        "uidb64": "MQ",
        "token": token if name == "newsletter:confirm" else site["subscriber"].token.hex,
    }


def concrete(route: str, site: dict, name: str, converters: dict, **hostile: str) -> str:
    """The route with every parameter filled: a valid value, or the hostile one given."""
    values = valid_kwargs(site, name)
    path = route
    for parameter, converter in converters.items():
        kind = type(converter).__name__
        value = hostile.get(parameter, values.get(parameter))
        assert value is not None, f"the sweep does not know how to fill {parameter} of {name}"
        if kind in {"FourDigitYear"} and parameter not in hostile:
            value = f"{int(value):04d}"
        elif kind == "TwoDigits" and parameter not in hostile:
            value = f"{int(value):02d}"
        path = re.sub(rf"<(?:[^:>]+:)?{parameter}>", str(value), path, count=1)
    return "/" + path


def converter_kind(converter) -> str:
    return {
        "FourDigitYear": "yyyy",
        "TwoDigits": "dd",
        "IntConverter": "int",
        "SlugConverter": "slug",
        "PagePath": "slug",
        "StringConverter": "str",
    }.get(type(converter).__name__, "str")


@pytest.fixture
def sweep(client, caplog):
    """Send requests; collect every one that answered 5xx or logged an error or a traceback."""
    client.raise_request_exception = False
    failures: list[str] = []

    def send(method: str, path: str, **extra):
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = client.generic(method, path, **extra)
        troubles = [
            f"{record.name} {record.levelname}: {record.getMessage()[:200]}"
            for record in caplog.records
            if record.levelno >= logging.ERROR
            or record.exc_info
            or TRACEBACK.search(record.getMessage())
        ]
        if response.status_code >= 500 or troubles:
            failures.append(f"{method} {path[:160]} → {response.status_code} {troubles}")
        return response

    send.failures = failures
    return send


def test_the_sweep_knows_every_public_pattern(site):
    patterns = public_patterns()
    names = {name for _, name, _ in patterns}
    # Reader pages, search, feeds, sitemaps, newsletter, donations and the IPN are all in it.
    assert {
        "articles:home",
        "articles:detail",
        "articles:search",
        "articles:feed",
        "sitemap-index",
        "newsletter:subscribe",
        "donations:checkout",
        "donations:paypal-ipn",
        "admin_password_reset",
        "password_reset_confirm",
    } <= names
    for route, name, converters in patterns:
        concrete(route, site, name, converters)  # fails for a parameter it cannot fill


def test_no_public_pattern_answers_hostile_path_values_with_an_error(site, sweep):
    for route, name, converters in public_patterns():
        sweep("GET", concrete(route, site, name, converters))
        for parameter, converter in converters.items():
            for value in PATH_VALUES[converter_kind(converter)] + PAYLOADS:
                sweep("GET", concrete(route, site, name, converters, **{parameter: value}))
        base = concrete(route, site, name, converters)
        for payload in PAYLOADS[:12]:
            sweep("GET", f"{base.rstrip('/')}/{payload}/")  # 404s reach the legacy lookups
    assert sweep.failures == [], "\n".join(sweep.failures)


def test_no_public_pattern_answers_hostile_query_parameters_with_an_error(site, sweep):
    for route, name, converters in public_patterns():
        path = concrete(route, site, name, converters)
        for payload in PAYLOADS:
            if name in KEYS_READ_ONE_AT_A_TIME:  # each key alone, so none hides another
                for key in KEYS_READ_ONE_AT_A_TIME[name]:
                    query = f"{key}={payload}" if key == "q" else f"q=war&{key}={payload}"
                    sweep("GET", f"{path}?{query}")
            else:
                sweep("GET", f"{path}?" + "&".join(f"{key}={payload}" for key in QUERY_KEYS))
        for payload in PAYLOADS[:12]:  # hostile parameter names too
            sweep("GET", f"{path}?{payload}={payload}")
    assert sweep.failures == [], "\n".join(sweep.failures)


def test_no_public_pattern_answers_hostile_form_bodies_with_an_error(site, sweep):
    for route, name, converters in public_patterns():
        path = concrete(route, site, name, converters)
        for payload in PAYLOADS:
            body = "&".join(
                f"{key}={payload}"
                for key in ["email", "name", "frequency", "source", "website", "ts", "txn_id"]
            )
            sweep("POST", path, data=body, content_type="application/x-www-form-urlencoded")
        sweep("POST", path, data=b"\xff\xfe\x00garbage", content_type="application/octet-stream")
        sweep("POST", path, data={"txn_id": "1", "email": "a@example.com"})  # multipart
        sweep("POST", path, data={"email": "a\x00@example.com"})
        sweep("POST", path, data="a=%ff%fe&b", content_type="application/x-www-form-urlencoded")
    assert sweep.failures == [], "\n".join(sweep.failures)


def test_methods_the_site_does_not_use_are_refused_with_405(site, sweep):
    for route, name, converters in public_patterns():
        path = concrete(route, site, name, converters)
        for method in ["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND"]:
            response = sweep(method, path)
            assert response.status_code == 405, (method, path, response.status_code)
            assert "Allow" in response
    assert sweep.failures == [], "\n".join(sweep.failures)


def test_reader_pages_feeds_and_sitemaps_answer_head_like_get(site, client):
    """The method refusal must not catch HEAD: class-based views gain it per instance."""
    for route, name, converters in public_patterns():
        if not (name.startswith("articles:") or ":" not in name) or name == "articles:record-view":
            continue
        path = concrete(route, site, name, converters)
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, (path, get.status_code, head.status_code)
        assert head.content == b""


def test_reader_pages_answer_a_post_with_405_not_a_csrf_failure(site, client):
    for name, kwargs in [
        ("articles:home", {}),
        ("articles:archives", {}),
        ("articles:category", {"slug": "world"}),
        ("articles:page", {"path": "about"}),
    ]:
        response = client.post(reverse(name, kwargs=kwargs))
        assert response.status_code == 405, name
        assert "POST" not in response["Allow"]


IPN_BODIES = [
    b"txn_id=%00&txn_type=web_accept",
    b"txn_id=abc&txn_type=web_accept&charset=idna&first_name=%E9",
    b"txn_id=abc&txn_type=web_accept&charset=utf-16&first_name=%E9",
    b"txn_id=abc&txn_type=web_accept&charset=rot13&first_name=%E9",
    b"txn_id=abc&txn_type=web_accept&charset=%00",
    b"txn_id=" + b"9" * 5000,
    b"payment_date=99:99:99+Feb+31,+0000+PST&txn_id=1&txn_type=web_accept",
    b"mc_gross=1e999&txn_id=2&txn_type=web_accept",
    b"\xff\xfe",
    b"=",
    b"&&&",
    b"a" * 30_000,
]


def test_the_ipn_endpoint_refuses_hostile_bodies_with_a_4xx(site, sweep):
    ipn = reverse("donations:paypal-ipn")
    for body in IPN_BODIES:
        response = sweep("POST", ipn, data=body, content_type="application/x-www-form-urlencoded")
        assert 400 <= response.status_code < 500, (body[:60], response.status_code)
    assert sweep.failures == [], "\n".join(sweep.failures)


def test_a_bad_host_header_is_one_warning_without_a_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.DEBUG):
        response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    (record,) = records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "evil.example" in record.getMessage()


def test_nul_is_refused_at_the_edge_in_path_query_and_form(site, client):
    client.raise_request_exception = False
    assert client.get("/no-such-page%00/").status_code == 400
    assert client.get("/?name=%00").status_code == 400
    assert client.get("/search/?q=iran&category=%00").status_code == 400
    response = client.post(reverse("newsletter:subscribe"), data={"email": "a\x00@example.com"})
    assert response.status_code == 400
