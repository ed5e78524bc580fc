from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = "Donations and sidebar"

    def ready(self) -> None:
        from donations import signals  # noqa: F401  (connects cache upkeep receivers)
