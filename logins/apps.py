from django.apps import AppConfig


class LoginsConfig(AppConfig):
    """Failed admin logins and password-reset requests, throttled per account and per address,
    with the lockouts visible (and liftable) in the admin."""

    name = "logins"
    verbose_name = "Logins"

    def ready(self) -> None:
        from django.contrib import admin

        from background import schedule
        from logins.forms import ThrottledAuthenticationForm
        from logins.tasks import forget_stale_lockouts

        admin.site.login_form = ThrottledAuthenticationForm
        schedule.every(
            lambda: 3600, name="logins.forget-stale-lockouts", task=forget_stale_lockouts
        )
