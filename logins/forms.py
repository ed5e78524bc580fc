from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import PasswordResetForm

from logins import throttle


class ThrottledAuthenticationForm(AdminAuthenticationForm):
    """The admin login: refused with a clear message while the account or the address is locked
    (even with the right password: that is what stops guessing), failures counted otherwise."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if message := throttle.locked_message(self.request, username):
            raise forms.ValidationError(message, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if username and error.code == "invalid_login":
                throttle.record_failure(self.request, username)
                if message := throttle.locked_message(self.request, username):
                    raise forms.ValidationError(message, code="locked") from None
            raise
        throttle.forget_account_failures(username)
        return cleaned


class ThrottledPasswordResetForm(PasswordResetForm):
    """Reset requests are limited per address and per email address (the same answer whether an
    account exists or not, so the limit tells nothing about accounts)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if throttle.too_many_resets(self.request, email):
            raise forms.ValidationError(throttle.RESET_LIMIT_MESSAGE, code="throttled")
        return email
