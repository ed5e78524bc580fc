from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from logins.models import LoginLockout


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "failures", "last_failure_at", "locked_until", "locked"]
    list_filter = ["kind", "locked_until"]
    search_fields = ["key"]
    date_hierarchy = "last_failure_at"
    readonly_fields = ["kind", "key", "failures", "first_failure_at", "last_failure_at"]
    actions = ["lift"]

    @admin.display(boolean=True, description="Locked now")
    def locked(self, lockout: LoginLockout) -> bool:
        return lockout.is_locked

    @admin.action(description="Lift the selected lockouts", permissions=["delete"])
    def lift(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for lockout in queryset:
            lockout.lift()
            count += 1
        self.message_user(request, f"Lifted {count} lockout(s).", messages.SUCCESS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
