"""Newsletter test fixtures; the SMTP server and task runner live in tests/real_services.py."""

import pytest

from newsletter.abuse import form_timestamp
from tests.real_services import free_port, run_queued_tasks, smtp_server

__all__ = ["free_port", "run_queued_tasks", "smtp_server"]


@pytest.fixture
def signup_data():
    """What a person's browser posts, with a render time old enough to pass the timing rule."""

    def make(email: str = "reader@example.com", **extra) -> dict:
        return {"email": email, "name": "", "website": "", "ts": form_timestamp(), **extra}

    return make


@pytest.fixture(autouse=True)
def newsletter_settings(settings):
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0
    settings.SITE_URL = "https://news.example.org"
