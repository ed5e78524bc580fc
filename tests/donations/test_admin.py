"""The editor's side: checks entered by hand, filtered totals, CSV export, the monthly chart."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from donations.models import Donation
from tests.factories import CampaignFactory, DonationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/donations/donation/"


@pytest.fixture
def editor_client(client, donation_settings):
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    return client


@pytest.fixture
def gifts(db):
    now = timezone.now()
    last_month = now - datetime.timedelta(days=40)
    campaign = CampaignFactory(
        title="Drive", goal=500, starts_on=now.date() - datetime.timedelta(days=5)
    )
    return [
        DonationFactory(amount=Decimal("100"), reference="1001", donor_name="=HYPERLINK(1)"),
        DonationFactory(amount=Decimal("50"), reference="1002", campaign=campaign),
        DonationFactory(amount=Decimal("25"), paypal=True, reference="TX1", campaign=campaign),
        DonationFactory(amount=Decimal("10"), paypal=True, reference="TX2", received_at=last_month),
        DonationFactory(amount=Decimal("30"), method="other", currency="EUR", reference=""),
    ]


def test_editor_group_may_manage_donations(db):
    codenames = set(
        Group.objects.get(name="Editor")
        .permissions.filter(content_type__app_label="donations")
        .values_list("codename", flat=True)
    )
    assert {
        "add_donation",
        "change_donation",
        "view_donation",
        "change_sidebarblock",
        "add_promotion",
    } <= codenames
    assert "add_donationsettings" not in codenames


def test_editor_enters_a_check_and_the_donor_is_thanked_later(editor_client, donation_settings):
    response = editor_client.get(f"{CHANGELIST}add/")
    assert response.status_code == 200
    response = editor_client.post(
        f"{CHANGELIST}add/",
        {
            "amount": "75.00",
            "currency": "USD",
            "method": "check",
            "kind": "donation",
            "received_at_0": "2026-11-02",
            "received_at_1": "10:00:00",
            "donor_name": "Pat Reader",
            "donor_email": "pat@example.net",
            "reference": "4711",
            "send_thank_you": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    gift = Donation.objects.get(reference="4711")
    assert gift.amount == Decimal("75.00") and gift.method == "check"
    assert DBTaskResult.objects.filter(task_path__endswith="send_donation_thank_you").count() == 1


def test_a_refund_without_its_gift_is_refused_with_a_message(editor_client):
    response = editor_client.post(
        f"{CHANGELIST}add/",
        {
            "amount": "-20",
            "currency": "USD",
            "method": "check",
            "kind": "refund",
            "received_at_0": "2026-11-02",
            "received_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Say which donation this refund or reversal undoes." in response.content.decode()


def test_totals_follow_the_filters(editor_client, gifts):
    page = editor_client.get(CHANGELIST).content.decode()
    assert "Totals for all donations" in page
    assert "185.00" in page and "30.00" in page  # USD and EUR kept apart
    page = editor_client.get(CHANGELIST, {"method__exact": "check"}).content.decode()
    assert "Totals for the filtered donations" in page
    assert '<td class="donation-total">150.00</td>' in page
    campaign = gifts[1].campaign
    page = editor_client.get(CHANGELIST, {"campaign__id__exact": campaign.pk}).content.decode()
    assert '<td class="donation-total">75.00</td>' in page


def test_month_filter_lists_months_with_gifts(editor_client, gifts):
    month = gifts[3].received_at.strftime("%Y-%m")
    page = editor_client.get(CHANGELIST, {"month": month}).content.decode()
    assert '<td class="donation-total">10.00</td>' in page


def test_csv_export_has_exactly_the_filtered_rows(editor_client, gifts):
    response = editor_client.get(f"{CHANGELIST}export/", {"method__exact": "check"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["received_at", "amount", "currency"]
    assert sorted(row[9] for row in rows[1:]) == ["1001", "1002"]
    assert "'=HYPERLINK(1)" in [row[5] for row in rows[1:]]  # no formula reaches a spreadsheet


def test_csv_export_needs_permission(client, gifts):
    nobody = UserFactory(username="nobody", is_staff=True)
    client.force_login(nobody)
    assert client.get(f"{CHANGELIST}export/").status_code == 403


def test_overview_draws_monthly_totals_as_svg(editor_client, gifts):
    page = editor_client.get(f"{CHANGELIST}overview/").content.decode()
    assert "<svg" in page and page.count("<rect") == 12
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # CSP: no inline styles
    this_month = timezone.localdate().strftime("%B %Y")
    assert f"{this_month}: 175.00 USD" in page
    assert "?month=" in page


def test_settings_list_goes_straight_to_the_form(editor_client):
    response = editor_client.get("/admin/donations/donationsettings/")
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/donations/donationsettings/1/change/")
    assert editor_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/donations/campaign/",
        "/admin/donations/promotion/",
        "/admin/donations/sociallink/",
        "/admin/donations/sidebarblock/",
        "/admin/donations/paypalnotification/",
        "/admin/donations/campaign/add/",
        "/admin/donations/sidebarblock/add/",
    ],
)
def test_editor_pages_open(editor_client, gifts, path):
    assert editor_client.get(path).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_donation_list_queries_do_not_grow(editor_client, django_assert_max_num_queries, size):
    campaign = CampaignFactory()
    Donation.objects.bulk_create(
        Donation(amount=Decimal("5"), reference=str(n), campaign=campaign) for n in range(size)
    )
    with django_assert_max_num_queries(16):
        assert editor_client.get(CHANGELIST).status_code == 200


def test_uploaded_cover_is_checked_and_made_small(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from donations.models import Promotion
    from tests.factories import jpeg_bytes

    data = {
        "title": "Big book",
        "link_url": "https://e.org/b",
        "link_label": "Buy",
        "position": 0,
        "is_published": "on",
    }
    big = SimpleUploadedFile("cover.jpg", jpeg_bytes(1200, 1800), content_type="image/jpeg")
    response = editor_client.post("/admin/donations/promotion/add/", {**data, "cover": big})
    assert response.status_code == 302
    promotion = Promotion.objects.get()
    assert (promotion.cover_width, promotion.cover_height) == (360, 540)
    with Image.open(promotion.cover.path) as stored:
        assert stored.size == (360, 540)

    fake = SimpleUploadedFile("cover.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    response = editor_client.post("/admin/donations/promotion/add/", {**data, "cover": fake})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cover"]
    assert Promotion.objects.count() == 1
