"""Admin login and password reset under a guessing attack: lockouts per account and per address,
a clear message, lockouts listed in the admin and lifted from there."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from logins.models import LoginLockout
from tests.articles.newsroom_roles import make_editor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Sixty logins with the real hasher take most of a minute; the rules are the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def try_login(client, username: str, password: str, ip: str = "203.0.113.50"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_thirty_wrong_passwords_lock_the_account_with_a_clear_message(client, settings):
    UserFactory(username="editor", is_staff=True)
    answers = [try_login(client, "editor", f"guess-{n}") for n in range(30)]
    assert all(answer.status_code == 200 for answer in answers)
    first_locked = next(
        n for n, answer in enumerate(answers) if "Too many failed logins" in answer.content.decode()
    )
    assert first_locked == settings.LOGIN_FAILURES_PER_ACCOUNT - 1
    # Locked: the right password does not help now, from any address.
    refused = try_login(client, "editor", PASSWORD, ip="198.51.100.77")
    assert not logged_in(refused)
    assert "Try again in 15 minutes" in refused.content.decode()
    account_lock = LoginLockout.objects.get(kind="account", key="editor")
    assert account_lock.is_locked
    # Guesses made while locked never reached the password check, so they cost nothing extra.
    assert account_lock.failures == settings.LOGIN_FAILURES_PER_ACCOUNT


def test_many_accounts_tried_from_one_address_lock_the_address(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    UserFactory(username="someone", is_staff=True)
    for n in range(8):
        try_login(client, f"user{n}", "wrong")
    response = try_login(client, "someone", PASSWORD)
    assert not logged_in(response)
    assert "Too many failed logins" in response.content.decode()
    # Someone else, elsewhere, logs in as usual.
    assert logged_in(try_login(client, "someone", PASSWORD, ip="198.51.100.8"))


def test_a_success_resets_the_account_count(client):
    UserFactory(username="writer", is_staff=True)
    for _ in range(3):
        try_login(client, "writer", "wrong")
    assert logged_in(try_login(client, "writer", PASSWORD))
    assert not LoginLockout.objects.filter(kind="account", key="writer").exists()


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_an_administrator_or_the_editor_sees_lockouts_and_lifts_one(client, role):
    UserFactory(username="editor", is_staff=True)
    for n in range(6):
        try_login(client, "editor", f"guess-{n}")
    admin_client = Client()
    admin_client.force_login(
        UserFactory(is_staff=True, is_superuser=True) if role == "superuser" else make_editor()
    )
    changelist = admin_client.get("/admin/logins/loginlockout/")
    assert changelist.status_code == 200
    assert "Account editor" in changelist.content.decode()
    lock = LoginLockout.objects.get(kind="account", key="editor")
    response = admin_client.post(
        "/admin/logins/loginlockout/",
        {"action": "lift", "_selected_action": [lock.pk]},
        follow=True,
    )
    assert "Lifted 1 lockout" in response.content.decode()
    LoginLockout.objects.filter(kind="address").delete()  # the guesses' address too
    assert logged_in(try_login(client, "editor", PASSWORD))


def test_password_reset_is_offered_and_throttled(client, mailoutbox, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = (3, 3600)
    UserFactory(username="editor", email="editor@example.org", is_staff=True)
    assert "/admin/password_reset/" in client.get(LOGIN).content.decode()
    answers = [
        client.post(
            "/admin/password_reset/", {"email": "editor@example.org"}, REMOTE_ADDR="203.0.113.9"
        )
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [302, 302, 302, 200, 200]
    assert "Too many password reset requests" in answers[-1].content.decode()
    assert len(mailoutbox) == 3
    link = next(line for line in mailoutbox[0].body.splitlines() if "/admin/reset/" in line)
    confirm = client.get(link.strip().split("testserver", 1)[-1], follow=True)
    assert confirm.status_code == 200
    set_password = confirm.redirect_chain[-1][0]
    done = client.post(
        set_password,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    assert get_user_model().objects.get(username="editor").check_password("a brand new passphrase")


def test_lockouts_that_no_longer_count_are_forgotten_by_the_schedule(client, settings):
    """Guesses at made-up usernames leave a row each; once their window has passed (and they are
    not locked), the hourly job deletes them."""
    from datetime import timedelta

    from django.utils import timezone

    from background import schedule
    from logins.tasks import forget_stale_lockouts

    assert "logins.forget-stale-lockouts" in [job.name for job in schedule.jobs()]
    for name in ("nobody-1", "nobody-2"):
        try_login(client, name, "guess")
    long_ago = timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS + 60)
    LoginLockout.objects.filter(key__startswith="nobody-").update(last_failure_at=long_ago)
    still_locked = LoginLockout.objects.create(
        kind="account",
        key="locked-long",
        failures=9,
        last_failure_at=long_ago,
        locked_until=timezone.now() + timedelta(minutes=5),
    )
    try_login(client, "recent", "guess")

    assert forget_stale_lockouts.call() == 2
    left = set(LoginLockout.objects.values_list("key", flat=True))
    assert {"nobody-1", "nobody-2"}.isdisjoint(left)
    assert {still_locked.key, "recent"} <= left
