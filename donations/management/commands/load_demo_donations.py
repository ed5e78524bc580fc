from django.core.management.base import BaseCommand

from donations.demo import describe_counts, load_demo_donations


class Command(BaseCommand):
    help = "Load the demo support content: donation settings, campaign, gifts, promotions, social links, sidebar."

    def handle(self, *args, **options) -> None:
        counts = load_demo_donations()
        self.stdout.write(self.style.SUCCESS(f"Demo donations loaded: {describe_counts(counts)}"))
