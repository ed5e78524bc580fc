from decimal import Decimal

from django import forms

from donations.models import DonationSettings
from donations.paypal import Frequency

MINIMUM_GIFT = Decimal("1")
MAXIMUM_GIFT = Decimal("100000")


CURRENCY_SYMBOLS = {
    "USD": "$",
    "CAD": "$",
    "AUD": "$",
    "NZD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
}


def money_label(amount: Decimal, currency: str) -> str:
    """'$25', '€10', '7.50 CHF': how an amount button reads."""
    number = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


class DonateForm(forms.Form):
    """The reader's choice of amount and frequency; sent by GET, so it needs no CSRF token."""

    amount = forms.ChoiceField(label="Amount", widget=forms.RadioSelect, required=False)
    other_amount = forms.DecimalField(
        label="Other amount",
        required=False,
        min_value=MINIMUM_GIFT,
        max_value=MAXIMUM_GIFT,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "1"}),
    )
    frequency = forms.ChoiceField(
        label="How often",
        widget=forms.RadioSelect,
        choices=[(Frequency.ONCE, "One time"), (Frequency.MONTHLY, "Monthly")],
        initial=Frequency.ONCE,
        required=False,
    )

    def __init__(self, *args, donation_settings: DonationSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.donation_settings = donation_settings
        self.fields["amount"].choices = [
            (str(amount), money_label(amount, donation_settings.currency))
            for amount in donation_settings.amount_choices
        ]
        default = donation_settings.default_amount
        if default in donation_settings.amount_choices:
            self.fields["amount"].initial = str(default.quantize(Decimal("0.01")))
        self.fields["other_amount"].label = f"Other amount ({donation_settings.currency})"
        if not donation_settings.offers_monthly:
            del self.fields["frequency"]

    def clean(self) -> dict:
        data = super().clean()
        other, chosen = data.get("other_amount"), data.get("amount")
        if "other_amount" in self.errors:
            return data
        if other is None and not chosen:
            raise forms.ValidationError("Choose an amount or type another one.")
        data["chosen_amount"] = other if other is not None else Decimal(chosen)
        data["chosen_frequency"] = Frequency(data.get("frequency") or Frequency.ONCE)
        return data
