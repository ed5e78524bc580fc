"""CSV import with "Skip invalid rows": the good rows go in, the bad ones are reported by line."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletter.models import Subscriber
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT = "admin:newsletter_subscriber_import"

# As spreadsheets export: a byte-order mark, Windows line ends, semicolons, accents.
SPREADSHEET = (
    "\ufeffEmail;Name;Frequency\r\n"
    "ana@example.com;Ana Lía;weekly\r\n"
    "not-an-email;Broken;\r\n"
    "ben@example.com;Ben;fortnightly\r\n"
    ";No address;\r\n"
    "cleo@example.com;Cléo;\r\n"
)


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return user


def preview(client, content: bytes, **extra):
    return client.post(
        reverse(IMPORT),
        {"file": SimpleUploadedFile("list.csv", content), "status": "confirmed", **extra},
    )


def test_skipping_imports_the_good_rows_and_reports_the_bad_ones_by_line(client, editor):
    response = preview(client, SPREADSHEET.encode(), skip_invalid="on")
    html = response.content.decode()
    assert "These rows will be skipped; the others are imported." in html
    for line, problem in [
        (3, "Not a valid email address."),
        (4, "Frequency must be “daily” or “weekly”."),
        (5, "No email address."),
    ]:
        assert f"<td>{line}</td>" in html and problem in html
    assert 'value="Import 2 subscriber(s)"' in html
    assert not Subscriber.objects.exists()  # the preview writes nothing

    done = client.post(
        reverse(IMPORT),
        {"upload_key": response.context["upload_key"], "status": "confirmed", "skip_invalid": "1"},
        follow=True,
    )
    assert sorted(Subscriber.objects.values_list("email", "name")) == [
        ("ana@example.com", "Ana Lía"),
        ("cleo@example.com", "Cléo"),
    ]
    [message] = [str(m) for m in done.context["messages"]]
    assert message == (
        "Imported 2 subscriber(s); skipped 0 duplicate(s) and 3 invalid row(s) (line 3, 4, 5)."
    )


def test_without_the_option_an_invalid_row_still_stops_the_import(client, editor):
    response = preview(client, SPREADSHEET.encode())
    html = response.content.decode()
    assert "nothing will be imported" in html and "Skip invalid rows" in html
    assert "upload_key" not in html
    # Confirming with the cached upload but without the option imports nothing.
    client.post(
        reverse(IMPORT), {"upload_key": response.context["upload_key"], "status": "confirmed"}
    )
    assert not Subscriber.objects.exists()


def test_the_option_is_on_the_import_form(client, editor):
    html = client.get(reverse(IMPORT)).content.decode()
    assert 'name="skip_invalid"' in html
    assert 'type="checkbox"' in html
