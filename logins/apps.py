from django.apps import AppConfig


class LoginsConfig(AppConfig):
    """Failed admin logins and password-reset requests, throttled per account and per address,
    with the lockouts visible (and liftable) in the admin."""

    name = "logins"
    verbose_name = "Logins"

    def ready(self) -> None:
        from django.contrib import admin

        from logins.forms import ThrottledAuthenticationForm

        admin.site.login_form = ThrottledAuthenticationForm
