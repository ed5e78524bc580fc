"""Playwright driving Debian's Chromium (never a downloaded browser), against pytest-django's live server.

Without /usr/bin/chromium these tests skip locally; with REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings

# Playwright's sync API keeps an event loop in this thread; the ORM calls in tests are still
# synchronous, so Django's async-safety guard would misfire.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

# axe's defaults plus what Lighthouse's accessibility score also checks.
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}}

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def served_as_in_production(settings):
    """The site as production serves it: anonymous pages from the page cache, everyone else's
    assembled from kept parts. The live server commits, so saves drop both as they do there."""
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE = True


# Where the demo's rows are kept aside in each test process's database (see demo_site).
DEMO_SCHEMA = "demo_snapshot"


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory) -> Path | None:
    """`load_demo --no-renditions` run once per test process on PostgreSQL: its rows copied aside
    into DEMO_SCHEMA, its pictures into a folder. (None on SQLite: each test loads the demo.)"""
    if connection.vendor != "postgresql":
        return None
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        with override_settings(MEDIA_ROOT=media):
            call_command("load_demo", "--no-renditions", stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {DEMO_SCHEMA}")
            for table in django_tables():
                cursor.execute(f"CREATE TABLE {DEMO_SCHEMA}.{table} AS TABLE public.{table}")
    return media


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, settings):
    """The demo publication, committed for the live server: on PostgreSQL each test gets the
    rows load_demo made at the start of the run back (4 s less than loading it again)."""
    if demo_snapshot is None:
        call_command("load_demo", "--no-renditions", stdout=io.StringIO())
        return
    tables = django_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
        # The rows as they were kept, search vectors included: the search triggers would compute
        # an article's before its tags and bylines are back. (Foreign keys are checked at the
        # end, before the triggers can be switched on again.)
        for table in tables:
            cursor.execute(f"ALTER TABLE public.{table} DISABLE TRIGGER USER")
        for table in tables:
            cursor.execute(f"INSERT INTO public.{table} SELECT * FROM {DEMO_SCHEMA}.{table}")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE public.{table} ENABLE TRIGGER USER")
        models = apps.get_models(include_auto_created=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    ContentType.objects.clear_cache()  # the ids are the kept ones again
    shutil.copytree(demo_snapshot, settings.MEDIA_ROOT, dirs_exist_ok=True)


def django_tables() -> list[str]:
    return [
        connection.ops.quote_name(table)
        for table in sorted(connection.introspection.django_table_names(only_existing=True))
    ]


@pytest.fixture(scope="session")
def browser():
    missing = [str(p) for p in (Path(CHROMIUM), AXE_SCRIPT) if not p.exists()]
    if missing:
        message = f"browser tests need {', '.join(missing)} (see .ci/run)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class BrowserPage:
    """A Playwright page that remembers console errors and CSP violations, and can run axe."""

    def __init__(self, page, base_url: str, artifact_prefix: str):
        self.page = page
        self.base_url = base_url
        self.artifact_prefix = artifact_prefix
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def __getattr__(self, name):
        return getattr(self.page, name)

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        return response

    def screenshot_as(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.artifact_prefix}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe_violations(self) -> list[dict]:
        """Run axe-core in the page (evaluated through the DevTools protocol, so CSP allows it),
        with the rules Lighthouse adds to axe's defaults: `target-size` (WCAG 2.2, 24 px)."""
        self.page.evaluate(AXE_SCRIPT.read_text())
        result = self.page.evaluate(
            "async (options) => JSON.stringify(await axe.run(document, options))", AXE_OPTIONS
        )
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in json.loads(result)["violations"]
        ]

    def assert_accessible(self) -> None:
        violations = self.axe_violations()
        assert not violations, f"axe found on {self.page.url}: {json.dumps(violations, indent=1)}"


def _make_page(browser, live_server, request, viewport):
    context = browser.new_context(viewport=viewport)
    prefix = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name).strip("-")
    page = BrowserPage(context.new_page(), live_server.url, prefix)
    return context, page


@pytest.fixture
def desktop_page(browser, live_server, request):
    context, page = _make_page(browser, live_server, request, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, request):
    context, page = _make_page(browser, live_server, request, PHONE)
    yield page
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def any_page(browser, live_server, request):
    """The same test at a phone's width and at a desktop's."""
    context, page = _make_page(
        browser, live_server, request, PHONE if request.param == "phone" else DESKTOP
    )
    yield page
    context.close()
