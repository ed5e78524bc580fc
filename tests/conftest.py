import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hashers
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from pagecache import generation, middleware
from tests.app_servers import collect_static


def pytest_addoption(parser):
    parser.addoption(
        "--production-cache",
        action="store_true",
        help="run with the page cache and kept parts on, as production serves the site",
    )


def pytest_configure(config):
    django_settings.PASSWORD_HASHERS = ["tests.hashers.FewRoundsPBKDF2PasswordHasher"]
    get_hashers.cache_clear()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        keep_cache_keys_apart(worker)


def keep_cache_keys_apart(worker: str) -> None:
    """Under pytest-xdist the test processes share one Redis database: each keeps its keys under
    its own prefix (and clears only those), and passes the prefix on to the app servers and task
    workers it starts. (Settings were read before this hook runs; the caches are made on first
    use, after it.)"""
    prefix = f"{os.environ.get('CACHE_KEY_PREFIX', 'newsroom')}-{worker}"
    os.environ["CACHE_KEY_PREFIX"] = prefix
    for alias, cache_settings in django_settings.CACHES.items():
        if "KEY_PREFIX" in cache_settings:
            cache_settings["KEY_PREFIX"] = f"{prefix}:sitewide" if alias == "sitewide" else prefix


@pytest.fixture(autouse=True)
def isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a per-test folder; each test starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    clear_caches()
    yield
    clear_caches()


def clear_caches() -> None:
    # (The parts cache keeps nothing unless a test turns FRAGMENT_CACHE on.)
    for alias in ("default", "sitewide"):
        clear_own_keys(caches[alias])
    middleware.forget_local_copies()


def clear_own_keys(cache) -> None:
    """Redis's clear() empties the whole database, which parallel test processes share: delete
    the keys under this cache's prefix instead."""
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected as production collects them, once per test process."""
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


@pytest.fixture(autouse=True)
def production_cache(request, settings, monkeypatch):
    """With --production-cache: whole pages and parts are kept, as in production (tests whose
    module switches the page cache off keep it off). A test's transaction never commits, so a
    change moves the generation on at once, as its commit would."""
    if not request.config.getoption("--production-cache"):
        return
    if request.node.get_closest_marker("no_production_cache"):
        pytest.skip("changes data behind the caches' back")
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE = True
    settings.PAGE_CACHE_LOCAL_SECONDS = 1
    monkeypatch.setattr(generation, "bump_on_commit", lambda using=None: generation.bump())


@pytest.fixture
def using_postgres(settings) -> bool:
    return settings.USING_POSTGRES


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit cache bumps a real transaction would run (tests roll back instead)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run
