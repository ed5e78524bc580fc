from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = "Donations and sidebar"
    # The sidebar is on every page: a change to what it shows drops every kept page (pagecache).
    page_cache_models = [
        "donations.DonationSettings",
        "donations.Campaign",
        "donations.Donation",
        "donations.Promotion",
        "donations.SocialLink",
        "donations.SidebarBlock",
    ]
    page_cache_next_change = "donations.models.next_dated_change"

    def ready(self) -> None:
        from background import schedule
        from donations.tasks import retry_stranded_notifications

        # Notifications whose verification task was lost (a worker killed) are tried again.
        schedule.every(
            lambda: 3600, name="donations.retry-paypal", task=retry_stranded_notifications
        )
