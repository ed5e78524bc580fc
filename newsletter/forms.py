import ipaddress

from django import forms

from newsletter.abuse import HONEYPOT_FIELD, TIMESTAMP_FIELD
from newsletter.models import Subscriber, normalize_email

MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 100


UNREACHABLE_DOMAIN_MESSAGE = (
    "We cannot send mail to that address. Please use an address at a public domain, like "
    "name@example.com."
)
# Names that never lead to a mailbox on the internet (RFC 2606, RFC 6761, RFC 6762).
_LOCAL_SUFFIXES = (".localhost", ".local", ".invalid", ".test", ".internal", ".home.arpa")


def can_receive_mail(domain: str) -> bool:
    """Could mail we send reach this domain? Not localhost, not an IP literal, not a name without
    a dot or under a reserved local suffix. (Whether it has MX records is the confirmation mail's
    job: no network lookups while a reader waits.)"""
    domain = domain.strip().rstrip(".").lower()
    if not domain or domain.startswith("[") or "." not in domain:
        return False
    try:
        ipaddress.ip_address(domain)
        return False
    except ValueError:
        pass
    return domain != "localhost" and not domain.endswith(_LOCAL_SUFFIXES)


class SubscribeForm(forms.Form):
    """The public signup form (sidebar and /newsletter/). It carries no CSRF token: the pages that
    show it are cached; `newsletter.abuse` protects the endpoint instead."""

    email = forms.EmailField(
        label="Email address",
        max_length=MAX_EMAIL_LENGTH,
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter a valid email address, like name@example.com.",
            "max_length": "That email address is too long.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    name = forms.CharField(
        label="Name (optional)",
        max_length=MAX_NAME_LENGTH,
        required=False,
        error_messages={"max_length": "Please keep the name under 100 characters."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.DAILY,
        required=False,
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        choices=[(Subscriber.Source.SIDEBAR, "sidebar"), (Subscriber.Source.PAGE, "page")],
        required=False,
        widget=forms.HiddenInput,
    )
    # Left empty by people (it is hidden from them); bots fill every field they find.
    website = forms.CharField(required=False, max_length=500, label="Leave this field empty")
    ts = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if not can_receive_mail(email.rpartition("@")[2]):
            raise forms.ValidationError(UNREACHABLE_DOMAIN_MESSAGE, code="unreachable_domain")
        return email

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_frequency(self) -> str:
        return self.cleaned_data["frequency"] or Subscriber.Frequency.DAILY

    def clean_source(self) -> str:
        return self.cleaned_data["source"] or Subscriber.Source.PAGE

    def looks_automated(self) -> bool:
        from newsletter.abuse import filled_too_fast

        return bool(self.data.get(HONEYPOT_FIELD)) or filled_too_fast(
            self.data.get(TIMESTAMP_FIELD, "")
        )


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"frequency": "Send me the newsletter"}
