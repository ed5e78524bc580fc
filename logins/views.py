from django.contrib import admin
from django.contrib.auth import views as auth_views

from logins.forms import ThrottledPasswordResetForm


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset flow, in the admin's look, with requests throttled."""

    form_class = ThrottledPasswordResetForm
    extra_context = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}
