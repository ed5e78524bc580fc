from decimal import Decimal, InvalidOperation

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
    """'$25', '$5,000', '€10', '7.50 CHF': how an amount reads to a reader (buttons, campaign
    figures, mail). Whole amounts without cents; thousands grouped."""
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    number = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


class AmountChoiceField(forms.ChoiceField):
    """One of the suggested amounts, however the link spells it: ?amount=25, 25.00 or $25."""

    def to_python(self, value) -> str:
        text = super().to_python(value).strip().lstrip("$€£¥").replace(",", "")
        try:
            return str(Decimal(text).quantize(Decimal("0.01")))
        except (InvalidOperation, ValueError):
            return text


class DonateForm(forms.Form):
    """The reader's choice of amount and frequency; sent by GET, so it needs no CSRF token."""

    amount = AmountChoiceField(
        label="Amount",
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": "Choose one of the amounts shown, or type your own under “Other amount”."
        },
    )
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
        currency = donation_settings.currency
        self.fields["other_amount"].label = f"Other amount ({currency})"
        self.fields["other_amount"].error_messages.update(
            {
                "invalid": "Type the other amount as a number, such as 25 or 25.50.",
                "min_value": f"The smallest gift we can take online is {money_label(MINIMUM_GIFT, currency)}.",
                "max_value": f"Online gifts go up to {money_label(MAXIMUM_GIFT, currency)}; "
                "for a larger gift, please write to us.",
                "max_decimal_places": "Type the amount with at most two digits after the point.",
                "max_digits": "Type the amount with at most two digits after the point.",
                "max_whole_digits": f"Online gifts go up to {money_label(MAXIMUM_GIFT, currency)}.",
            }
        )
        if not donation_settings.offers_monthly:
            del self.fields["frequency"]

    def clean(self) -> dict:
        data = super().clean()
        other, chosen = data.get("other_amount"), data.get("amount")
        if "other_amount" in self.errors or "amount" in self.errors:
            return data
        if other is None and not chosen:
            raise forms.ValidationError("Choose an amount or type another one.")
        data["chosen_amount"] = other if other is not None else Decimal(chosen)
        data["chosen_frequency"] = Frequency(data.get("frequency") or Frequency.ONCE)
        return data

    def error_messages_for_reader(self) -> list[str]:
        """Every problem in one list, shown at the top of the form (field order, then the rest)."""
        return [
            *(str(error) for name in self.fields for error in self.errors.get(name, [])),
            *(str(error) for error in self.non_field_errors()),
        ]
