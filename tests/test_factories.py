"""Factories make valid objects (the admin's full_clean passes) in every variation."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "traits"),
    [
        (factories.SubscriberFactory, {}),
        (factories.SubscriberFactory, {"pending": True}),
        (factories.SubscriberFactory, {"unsubscribed": True, "weekly": True}),
        (factories.SubscriberFactory, {"bounced": True}),
        (factories.IssueFactory, {}),
        (factories.IssueFactory, {"sent": True}),
        (factories.CampaignFactory, {}),
        (factories.CampaignFactory, {"ended": True}),
        (factories.DonationFactory, {}),
        (factories.DonationFactory, {"paypal": True}),
        (factories.DonationFactory, {"refund": True}),
        (factories.SidebarBlockFactory, {}),
        (factories.SidebarBlockFactory, {"kind": "donation_appeal"}),
    ],
)
def test_factories_make_valid_rows(factory, traits):
    row = factory(**traits)
    row.full_clean()


def test_defaults_are_the_everyday_case():
    from donations.models import Campaign
    from newsletter.models import Subscriber

    assert factories.SubscriberFactory().status == Subscriber.Status.CONFIRMED
    campaign = factories.CampaignFactory()
    assert list(Campaign.objects.current()) == [campaign]
    refund = factories.DonationFactory(refund=True)
    assert refund.amount == -refund.refund_of.amount
