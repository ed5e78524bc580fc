"""The editor's side: subscriber list at scale, CSV export and import, bulk actions, issues."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from newsletter.admin import EstimatedCountPaginator
from newsletter.models import Issue, IssueArticle, Subscriber
from tests.factories import ArticleFactory, IssueFactory, SubscriberFactory, UserFactory
from tests.newsletter.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsletter_subscriber_changelist"
LIST_QUERIES = 7


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    return user


def seed(count: int, status=Subscriber.Status.CONFIRMED, prefix="s", **extra) -> None:
    Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{i}@example.com", status=status, **extra) for i in range(count)
    )


def test_editor_group_may_manage_and_send(editor):
    assert editor.has_perm("newsletter.change_subscriber")
    assert editor.has_perm("newsletter.send_issue")
    assert editor.has_perm("newsletter.view_delivery")


@pytest.mark.parametrize("count", [5, 60])
def test_subscriber_list_runs_a_fixed_number_of_queries(
    client, editor, count, django_assert_num_queries, using_postgres
):
    seed(count)
    client.get(reverse(CHANGELIST))  # warm the cached status counts
    # session, user, permissions, page count, page of rows, and the list filters' lookups
    # (PostgreSQL adds the planner-estimate lookup; on a table this small it then counts.)
    with django_assert_num_queries(LIST_QUERIES + using_postgres) as queries:
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert not response.context["cl"].show_full_result_count  # no "N total" full count
    subscriber_counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "newsletter_subscriber" in q["sql"]
    ]
    assert len(subscriber_counts) == 1


@pytest.mark.postgres
def test_unfiltered_list_uses_the_planner_estimate_not_count(
    using_postgres, client, editor, django_assert_max_num_queries
):
    if not using_postgres:
        pytest.skip("the estimate comes from PostgreSQL's statistics")
    seed(40)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE newsletter_subscriber")
    EstimatedCountPaginator.ESTIMATE_ABOVE, saved = 10, EstimatedCountPaginator.ESTIMATE_ABOVE
    try:
        client.get(reverse(CHANGELIST))
        with django_assert_max_num_queries(20) as queries:
            response = client.get(reverse(CHANGELIST))
        sqls = [q["sql"] for q in queries.captured_queries]  # read before the next request
        filtered = client.get(reverse(CHANGELIST), {"status__exact": "confirmed"})
    finally:
        EstimatedCountPaginator.ESTIMATE_ABOVE = saved
    assert not [s for s in sqls if "COUNT(" in s.upper() and "newsletter_subscriber" in s], sqls
    assert any("reltuples" in s for s in sqls), sqls
    assert response.context["cl"].result_count == 40
    assert filtered.context["cl"].result_count == 40


def test_list_shows_counts_by_status_and_filters(client, editor):
    seed(3)
    seed(2, status=Subscriber.Status.PENDING, prefix="p")
    seed(1, status=Subscriber.Status.BOUNCED, prefix="b")
    response = client.get(reverse(CHANGELIST))
    html = response.content.decode()
    assert "Confirmed: <strong>3</strong>" in html
    assert "Pending confirmation: <strong>2</strong>" in html
    assert "Bounced: <strong>1</strong>" in html
    pending = client.get(
        reverse(CHANGELIST), {"status__exact": "pending", "source__exact": "admin"}
    )
    assert pending.context["cl"].result_count == 2


def test_search_by_whole_address_and_by_name(client, editor):
    seed(5)
    SubscriberFactory(email="ada@example.org", name="Ada Lovelace", pending=True)
    exact = client.get(reverse(CHANGELIST), {"q": " ADA@example.org "})
    assert [s.email for s in exact.context["cl"].result_list] == ["ada@example.org"]
    by_name = client.get(reverse(CHANGELIST), {"q": "lovelace"})
    assert [s.email for s in by_name.context["cl"].result_list] == ["ada@example.org"]


def test_csv_export_follows_the_filters(client, editor):
    seed(3)
    seed(2, status=Subscriber.Status.PENDING, prefix="p")
    SubscriberFactory(email="formula@example.com", name="=HYPERLINK(1)")
    response = client.get(
        reverse("admin:newsletter_subscriber_export"), {"status__exact": "confirmed"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4
    assert {r["status"] for r in rows} == {"confirmed"}
    assert "'=HYPERLINK(1)" in [r["name"] for r in rows]  # defused for spreadsheets


def upload(client, content: str, status="confirmed"):
    return client.post(
        reverse("admin:newsletter_subscriber_import"),
        {"file": SimpleUploadedFile("list.csv", content.encode()), "status": status},
    )


def test_csv_import_previews_then_imports_and_skips_duplicates(client, editor):
    SubscriberFactory(email="old@example.com", pending=True)
    content = (
        "email,name,frequency\n"
        "New@Example.com,New One,weekly\n"
        "second@example.com,,\n"
        "new@example.com ,Again,\n"
        "old@example.com,Old,\n"
    )
    preview = upload(client, content)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Repeated in the file" in html and "Already on the list" in html
    assert Subscriber.objects.count() == 1  # a preview writes nothing
    context = preview.context
    done = client.post(
        reverse("admin:newsletter_subscriber_import"),
        {"upload_key": context["upload_key"], "status": context["status"]},
    )
    assert done.status_code == 302
    new = Subscriber.objects.get(email="new@example.com")
    assert (new.name, new.frequency, new.status, new.source) == (
        "New One",
        "weekly",
        "confirmed",
        "import",
    )
    assert Subscriber.objects.count() == 3


def test_csv_import_with_an_invalid_row_imports_nothing(client, editor):
    content = "email,name\ngood@example.com,Good\nnot-an-email,Bad\nalso@example.com,\n"
    preview = upload(client, content)
    html = preview.content.decode()
    assert "Not a valid email address." in html
    assert "nothing will be imported" in html
    assert "upload_key" not in html
    # Even a forged confirm with the cached upload imports nothing.
    client.post(
        reverse("admin:newsletter_subscriber_import"),
        {"upload_key": preview.context["upload_key"], "status": "confirmed"},
    )
    assert not Subscriber.objects.exists()


def test_csv_import_of_garbage_gets_a_message_not_an_error(client, editor):
    response = client.post(
        reverse("admin:newsletter_subscriber_import"),
        {"file": SimpleUploadedFile("x.csv", b""), "status": "confirmed"},
    )
    assert response.status_code == 200
    binary = upload(client, "\x00\x01\x02garbage")
    assert binary.status_code == 200
    assert not Subscriber.objects.exists()


def test_bulk_unsubscribe_and_reenable(client, editor):
    seed(2)
    seed(1, status=Subscriber.Status.BOUNCED, prefix="b")
    ids = list(Subscriber.objects.values_list("pk", flat=True))
    client.post(
        reverse(CHANGELIST),
        {"action": "reenable_selected", "_selected_action": ids},
    )
    assert Subscriber.objects.filter(status="confirmed").count() == 3
    client.post(reverse(CHANGELIST), {"action": "unsubscribe_selected", "_selected_action": ids})
    assert Subscriber.objects.filter(status="unsubscribed").count() == 3


def test_issue_preview_test_send_and_send(client, editor, smtp_server):
    seed(3)
    issue = IssueFactory(subject="Weekend reading", intro="Hello all.")
    article = ArticleFactory(title="On the river")
    IssueArticle.objects.create(issue=issue, article=article)
    change = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    assert b"Send to subscribers" in change.content

    preview = client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    assert b"On the river" in preview.content
    assert "'unsafe-inline'" in preview["Content-Security-Policy"]
    assert "script-src" not in preview["Content-Security-Policy"]
    text = client.get(
        reverse("admin:newsletter_issue_preview", args=[issue.pk]), {"format": "text"}
    )
    assert text["Content-Type"].startswith("text/plain")

    client.post(
        reverse("admin:newsletter_issue_test_send", args=[issue.pk]), {"email": "ed@example.org"}
    )
    run_queued_tasks()
    assert smtp_server.recipients == ["ed@example.org"]

    confirm = client.get(reverse("admin:newsletter_issue_send", args=[issue.pk]))
    assert b"<strong>3</strong> subscriber(s)" in confirm.content
    client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.QUEUED
    run_queued_tasks()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    page = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    assert b"3 sent" in page.content and b"0 remaining of 3" in page.content
    # A sent issue is read-only and cannot be sent twice.
    client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]))
    run_queued_tasks()
    assert len(smtp_server.recipients) == 4


def test_contributor_cannot_send(client):
    user = UserFactory(username="writer", is_staff=True)
    user.groups.add(Group.objects.get(name="Contributor"))
    client.force_login(user)
    issue = IssueFactory(subject="x")
    response = client.post(reverse("admin:newsletter_issue_send", args=[issue.pk]))
    assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_editor_makes_a_digest_draft_from_the_issue_list(client, editor):
    article = ArticleFactory(title="Fresh piece")
    page = client.get(reverse("admin:newsletter_issue_changelist"))
    assert b"Daily digest" in page.content
    response = client.post(reverse("admin:newsletter_issue_make_digest"), {"kind": "daily"})
    issue = Issue.objects.get()
    assert response["Location"] == reverse("admin:newsletter_issue_change", args=[issue.pk])
    assert (issue.kind, issue.status, issue.created_by) == ("daily", "draft", editor)
    assert list(issue.articles.all()) == [article]
    again = client.post(reverse("admin:newsletter_issue_make_digest"), {"kind": "daily"})
    assert again.status_code == 302
    assert Issue.objects.count() == 1
