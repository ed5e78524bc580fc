"""Signup: one subscriber per address, no enumeration, abuse rules, never a 500."""

import datetime
import re
import threading
import time

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.abuse import Stamp, check_stamp
from newsletter.models import Subscriber
from tests.factories import SubscriberFactory
from tests.newsletter.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/newsletter/subscribe/"


def test_sidebar_form_has_no_csrf_token_and_posts_to_the_exempt_endpoint(client):
    page = client.get(reverse("newsletter:signup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" not in html
    assert f'action="{SUBSCRIBE}"' in html
    assert 'name="website"' in html  # the honeypot
    assert "js/newsletter.js" in html


def test_signup_works_with_csrf_checks_on(signup_data):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(SUBSCRIBE, signup_data())
    assert response.status_code == 302
    assert Subscriber.objects.filter(email="reader@example.com").exists()


def test_case_and_spaces_never_make_a_second_subscriber(client, signup_data):
    for spelling in ["reader@example.com", "  READER@example.com", "Reader@Example.Com  "]:
        client.post(SUBSCRIBE, signup_data(spelling))
    assert Subscriber.objects.count() == 1


def test_known_and_unknown_addresses_get_the_same_answer(client, signup_data):
    SubscriberFactory(email="known@example.com")
    headers = {"HTTP_ACCEPT": "application/json"}
    known = client.post(SUBSCRIBE, signup_data("known@example.com"), **headers)
    unknown = client.post(SUBSCRIBE, signup_data("new@example.com"), **headers)
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert known.json()["ok"] is True


def test_a_confirmed_subscriber_signing_up_again_gets_at_most_one_mail_an_hour(
    client, smtp_server, signup_data
):
    SubscriberFactory(email="known@example.com")
    for _ in range(4):
        client.post(SUBSCRIBE, signup_data("known@example.com"))
    run_queued_tasks()
    [notice] = smtp_server.to("known@example.com")
    assert "already subscribed" in notice["Subject"]
    Subscriber.objects.update(last_notice_sent_at=timezone.now() - datetime.timedelta(minutes=61))
    client.post(SUBSCRIBE, signup_data("known@example.com"))
    run_queued_tasks()
    assert len(smtp_server.to("known@example.com")) == 2


def test_pending_address_gets_no_confirmation_storm(client, smtp_server, signup_data):
    for _ in range(3):
        client.post(SUBSCRIBE, signup_data("pending@example.com"))
    run_queued_tasks()
    assert len(smtp_server.to("pending@example.com")) == 1


@pytest.mark.parametrize(
    "trap",
    [{"website": "http://spam.example"}, {"website": "x", "ts": ""}, {"ts": "forged:stamp"}],
    ids=["honeypot", "honeypot-no-timestamp", "forged-timestamp"],
)
def test_bots_get_the_polite_answer_and_nothing_happens(client, smtp_server, signup_data, trap):
    response = client.post(SUBSCRIBE, {**signup_data("bot@example.com"), **trap})
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")
    assert not Subscriber.objects.exists()
    run_queued_tasks()
    assert smtp_server.messages == []


def test_a_form_filled_faster_than_a_person_can_type_is_ignored(client, settings, signup_data):
    settings.NEWSLETTER_MIN_FILL_SECONDS = 3
    response = client.post(SUBSCRIBE, signup_data("quick@example.com"))
    assert response.status_code == 302
    assert not Subscriber.objects.exists()


def test_floods_from_one_address_are_refused(client, settings, signup_data):
    settings.NEWSLETTER_RATE_LIMITS = {**settings.NEWSLETTER_RATE_LIMITS, "ip_burst": (3, 60)}
    codes = [
        client.post(
            SUBSCRIBE, signup_data(f"n{i}@example.com"), REMOTE_ADDR="192.0.2.1"
        ).status_code
        for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert Subscriber.objects.count() == 3
    # Another reader is not affected.
    assert client.post(SUBSCRIBE, signup_data(), REMOTE_ADDR="192.0.2.2").status_code == 302


def test_one_address_cannot_be_hammered_from_many_ips(client, settings, signup_data):
    settings.NEWSLETTER_RATE_LIMITS = {**settings.NEWSLETTER_RATE_LIMITS, "email": (2, 3600)}
    codes = [
        client.post(
            SUBSCRIBE, signup_data("victim@example.com"), REMOTE_ADDR=f"192.0.2.{i}"
        ).status_code
        for i in range(1, 5)
    ]
    assert codes == [302, 302, 429, 429]


def test_rate_limit_answer_in_json_for_the_in_place_form(client, settings, signup_data):
    settings.NEWSLETTER_RATE_LIMITS = {**settings.NEWSLETTER_RATE_LIMITS, "ip_burst": (1, 60)}
    client.post(SUBSCRIBE, signup_data("a@example.com"), HTTP_ACCEPT="application/json")
    response = client.post(SUBSCRIBE, signup_data("b@example.com"), HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert "Too many" in response.json()["message"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Please enter your email address."),
        ({"email": "not-an-address"}, "valid email address"),
        ({"email": "a" * 250 + "@example.com"}, "too long"),
        ({"name": "n" * 101}, "under 100 characters"),
    ],
)
def test_invalid_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, signup_data, data, message
):
    response = client.post(SUBSCRIBE, {**signup_data(), **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    as_json = client.post(SUBSCRIBE, {**signup_data(), **data}, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400
    assert as_json.json()["ok"] is False


def test_oversized_and_garbage_posts_never_cause_a_500(client, signup_data):
    assert client.post(SUBSCRIBE, {**signup_data(), "name": "x" * 20000}).status_code == 413
    assert client.post(SUBSCRIBE, {"email": ["a@example.com", "b@example.com"]}).status_code in {
        302,
        400,
    }
    assert client.post(SUBSCRIBE, b"\xff\xfe garbage", content_type="text/plain").status_code == 400
    assert client.get(SUBSCRIBE).status_code == 302
    assert client.put(SUBSCRIBE).status_code == 405


def test_unsubscribed_reader_can_sign_up_again_and_must_confirm(client, signup_data):
    subscriber = SubscriberFactory(email="back@example.com", unsubscribed=True)
    client.post(SUBSCRIBE, signup_data("back@example.com", frequency="weekly"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.frequency == "weekly"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_signups_make_one_subscriber_and_no_error(
    using_postgres, settings, signup_data
):
    if not using_postgres:
        pytest.skip("needs PostgreSQL for real concurrent transactions")
    settings.NEWSLETTER_RATE_LIMITS = {
        **settings.NEWSLETTER_RATE_LIMITS,
        "ip_burst": (100, 60),
        "email": (100, 60),
    }
    spellings = [
        "race@example.com",
        "RACE@example.com",
        " race@example.com",
        "Race@Example.com",
    ] * 2
    barrier = threading.Barrier(len(spellings))
    statuses: list[int] = []

    def sign_up(spelling: str) -> None:
        try:
            barrier.wait()
            statuses.append(Client().post(SUBSCRIBE, signup_data(spelling)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(s,)) for s in spellings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(spellings)
    assert Subscriber.objects.filter(email="race@example.com").count() == 1


def test_the_per_ip_limit_uses_the_address_our_proxy_saw(client, settings, signup_data):
    settings.NEWSLETTER_RATE_LIMITS = {**settings.NEWSLETTER_RATE_LIMITS, "ip_burst": (1, 60)}
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    # Behind the local proxy: the last X-Forwarded-For entry is the reader; forged ones are ignored.
    first = client.post(
        SUBSCRIBE,
        signup_data("a@example.com"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5",
    )
    second = client.post(
        SUBSCRIBE,
        signup_data("b@example.com"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.5",
    )
    assert (first.status_code, second.status_code) == (302, 429)
    assert Subscriber.objects.get(email="a@example.com").signup_ip == "203.0.113.5"
    # Straight from the internet, the header is the client's own claim and is not believed.
    direct = client.post(
        SUBSCRIBE,
        signup_data("c@example.com"),
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="not-an-ip",
    )
    assert direct.status_code == 302
    assert Subscriber.objects.get(email="c@example.com").signup_ip == "198.51.100.1"
    garbage = client.post(
        SUBSCRIBE,
        signup_data("d@example.com"),
        REMOTE_ADDR="::1",
        HTTP_X_FORWARDED_FOR="<script>",
    )
    assert garbage.status_code == 302
    assert Subscriber.objects.get(email="d@example.com").signup_ip is None


# --- The form's stamp and the page cache -----------------------------------------------------------


def test_cached_pages_carry_no_stamp_the_script_fetches_a_fresh_one(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    for _ in range(2):  # rendered, then from the page cache
        page = client.get("/newsletter/").content.decode()
        assert 'name="ts" value=""' in page
        assert 'data-stamp-url="/newsletter/form-stamp/"' in page
    answer = client.get("/newsletter/form-stamp/")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"] or "no-cache" in answer["Cache-Control"]
    assert check_stamp(answer.json()["ts"]) is Stamp.OK


def test_a_stamp_reused_past_its_maximum_age_gets_the_form_back(client, settings, signup_data):
    old_stamp = signing.dumps(
        int(time.time()) - settings.NEWSLETTER_FORM_MAX_AGE_SECONDS - 5,
        salt="newsletter.form-rendered",
    )
    response = client.post(SUBSCRIBE, {**signup_data("late@example.com"), "ts": old_stamp})
    assert response.status_code == 400
    page = response.content.decode()
    assert "please press Subscribe again" in page
    assert 'value="late@example.com"' in page  # nothing the reader typed is lost
    assert not Subscriber.objects.exists()


def test_a_form_sent_without_the_script_is_sent_again_and_accepted(client, signup_data):
    first = client.post(SUBSCRIBE, {**signup_data("noscript@example.com"), "ts": ""})
    assert first.status_code == 400
    stamp = re.search(r'name="ts" value="([^"]+)"', first.content.decode()).group(1)
    second = client.post(SUBSCRIBE, {**signup_data("noscript@example.com"), "ts": stamp})
    assert second.status_code == 302
    assert Subscriber.objects.filter(email="noscript@example.com").exists()


@pytest.mark.parametrize(
    "email",
    ["reader@localhost", "reader@[127.0.0.1]", "reader@intranet", "a@box.local", "a@10.0.0.1"],
)
def test_addresses_at_domains_we_cannot_mail_are_refused(client, signup_data, email):
    response = client.post(SUBSCRIBE, signup_data(email), headers={"Accept": "application/json"})
    assert response.status_code == 400
    [message] = response.json()["errors"]["email"]
    assert message in {
        "We cannot send mail to that address. Please use an address at a public domain, like "
        "name@example.com.",
        "Please enter a valid email address, like name@example.com.",  # Django's own check
    }
    assert not Subscriber.objects.exists()


def test_localhost_and_ip_literals_are_refused_with_a_reason(client, signup_data):
    for email in ["reader@localhost", "reader@[127.0.0.1]", "reader@box.local"]:
        response = client.post(
            SUBSCRIBE, signup_data(email), headers={"Accept": "application/json"}
        )
        assert "We cannot send mail to that address" in response.json()["errors"]["email"][0]
