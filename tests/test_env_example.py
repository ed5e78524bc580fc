"""`.env.example` documents every environment variable the settings module reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READS = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def test_every_variable_the_settings_read_is_in_env_example():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M)
    )
    # dj-database-url reads DATABASE_URL itself.
    read = set(READS.findall(settings_source)) | {"DATABASE_URL"}
    assert read >= {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_HOST",
        "BEHIND_PROXY",
        "PROXY_COUNT",
        "TRUSTED_PROXIES",
    }
    assert read - documented == set()
