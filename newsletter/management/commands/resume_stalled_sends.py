from django.core.management.base import BaseCommand

from newsletter import tasks


class Command(BaseCommand):
    help = (
        "Queue again every newsletter send whose worker stopped (killed, machine restarted). "
        "The workers do this on their own; safe to run any time: sent copies are never sent twice."
    )

    def handle(self, **options) -> None:
        issue_ids = tasks.resume_stalled_sends()
        if issue_ids:
            self.stdout.write(f"Resumed the send of issue(s) {', '.join(map(str, issue_ids))}.")
        else:
            self.stdout.write("No stalled sends.")
