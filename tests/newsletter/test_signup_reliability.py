"""Signup through failures: the subscriber row and its confirmation mail are kept or lost
together, a retried signup mails the confirmation, and a JSON client gets JSON when the database
is away."""

import pytest
from django.db import OperationalError
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from newsletter.models import Subscriber
from tests.newsletter.conftest import free_port, run_queued_tasks

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletter/subscribe/"
JSON = {"HTTP_ACCEPT": "application/json"}


def notices() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="send_subscriber_notice").count()


def test_a_connection_lost_between_row_and_mail_leaves_nothing_behind(
    client, signup_data, smtp_server, monkeypatch
):
    def connection_lost(self, task, args, kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The connection drops after the subscriber row is written, as the task row goes in.
    monkeypatch.setattr(DatabaseBackend, "enqueue", connection_lost)
    response = client.post(SUBSCRIBE, signup_data("new@example.com"), **JSON)
    assert response.status_code == 503
    assert response.json()["ok"] is False
    assert not Subscriber.objects.filter(email="new@example.com").exists()
    assert notices() == 0

    # The reader tries again once the database is back: the confirmation goes out.
    monkeypatch.undo()
    assert client.post(SUBSCRIBE, signup_data("new@example.com"), **JSON).status_code == 200
    run_queued_tasks()
    [mail] = smtp_server.to("new@example.com")
    assert "confirm" in mail["Subject"].lower()


def test_a_confirmation_that_could_not_be_mailed_is_sent_on_the_next_signup(
    client, signup_data, settings, smtp_server
):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    client.post(SUBSCRIBE, signup_data("new@example.com"))
    [result] = DBTaskResult.objects.all()
    with pytest.raises(AssertionError):  # the task fails: the mail server is unreachable
        run_queued_tasks()
    result.refresh_from_db()
    assert result.status == "FAILED"

    settings.MAILERS = working
    client.post(SUBSCRIBE, signup_data("new@example.com"))  # within the hour
    assert notices() == 2
    run_queued_tasks()
    assert len(smtp_server.to("new@example.com")) == 1
    # ...and the hourly allowance holds again once a mail went out.
    client.post(SUBSCRIBE, signup_data("new@example.com"))
    assert notices() == 2


def test_with_the_database_down_a_json_signup_gets_a_json_503(client, signup_data, monkeypatch):
    def database_down(**kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(Subscriber.objects, "get_or_create", database_down)
    response = client.post(SUBSCRIBE, signup_data(), **JSON)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"]
    assert response.json() == {
        "ok": False,
        "message": "The site is briefly unavailable. Please try again in a moment.",
    }
    # A browser's form post still gets the page.
    html = client.post(SUBSCRIBE, signup_data())
    assert html.status_code == 503 and b"Back in a moment" in html.content
