import pytest
from django.core.cache import caches

from pagecache import generation, middleware


def pytest_addoption(parser):
    parser.addoption(
        "--production-cache",
        action="store_true",
        help="run with the page cache and kept parts on, as production serves the site",
    )


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
        caches[alias].clear()
    middleware.forget_local_copies()


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
