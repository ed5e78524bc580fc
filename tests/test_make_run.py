"""`PORT=8123 make run` serves on 8123 and mail links say so: the Makefile passes PORT through and
the settings build SITE_URL from it when SITE_URL is unset."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def settings_site_url(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup();"
            " print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_site_url_follows_port_unless_set():
    assert settings_site_url() == "http://127.0.0.1:8000"
    assert settings_site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert settings_site_url(PORT="8123", SITE_URL="https://news.example.org/") == (
        "https://news.example.org"
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_passes_port_to_every_command_it_starts(tmp_path):
    """Every `python manage.py …` that `make run` starts (migrate, load_demo, the worker, the
    server) sees PORT; a stand-in python records what it was given."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    record = tmp_path / "record"
    fake = venv / "bin" / "python"
    fake.write_text(f'#!/bin/sh\necho "$PORT $*" >> {record}\n')
    fake.chmod(0o755)
    (venv / ".installed").touch()  # newer than pyproject.toml: no install step
    environment = {k: v for k, v in os.environ.items() if k not in {"PORT", "MAKEFLAGS"}}
    subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}", "PORT=8123"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        timeout=60,
        # The recipe ends with `kill 0` (its process group): keep it away from pytest's.
        start_new_session=True,
        check=False,
    )
    lines = record.read_text().splitlines()
    # (The worker runs in the background and may be stopped before it records anything.)
    assert {
        "8123 manage.py migrate --no-input",
        "8123 manage.py load_demo",
        "8123 manage.py runserver 127.0.0.1:8123",
    } <= set(lines)
    assert all(line.startswith("8123 manage.py ") for line in lines), lines
