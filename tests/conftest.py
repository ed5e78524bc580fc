import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a per-test folder; each test starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def using_postgres(settings) -> bool:
    return settings.USING_POSTGRES


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit cache bumps a real transaction would run (tests roll back instead)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run
