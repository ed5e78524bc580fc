from django.contrib import admin

from background import schedule
from background.models import ScheduledJob, WorkerProcess


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """What runs on its own, and when it last and next does (read-only: times come from code
    and, for the digests, from the newsletter's digest schedule)."""

    list_display = ["name", "last_fired_at", "next_due"]
    search_fields = ["name"]
    date_hierarchy = "last_fired_at"
    list_filter = ["last_fired_at"]

    @admin.display(description="Next due")
    def next_due(self, job: ScheduledJob):
        return schedule.next_due(job.name) or "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerProcess)
class WorkerProcessAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen"]
    list_filter = ["hostname"]
    search_fields = ["worker_id", "hostname"]
    date_hierarchy = "last_seen"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
