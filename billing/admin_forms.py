"""Staff admin forms for billing: features chosen from a list (stored as the same JSON list of codes), amounts typed
in major units (12.50 EUR, 5000 JPY) and stored in minor units with the currency's exponent (billing/money.py), and
the form that grants a plan to a person chosen in the staff directory."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import ConsultingEngagement, Contract, Feature, Plan
from billing.money import currency_code_clean, major_text, minor_from_major

AMOUNT_HELP = _(
    "In %(unit)s, with a point or a comma before the decimals and no thousands separators, e.g. 12.50 for 12.50 EUR. "
    "Currencies without a minor unit (JPY) take whole numbers, e.g. 5000."
)


def _feature_field(help_text) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("features"),
        choices=Feature.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"required": _("Choose at least one feature.")},
    )


def _amount_field(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, help_text=AMOUNT_HELP % {"unit": _("major units")})


class MajorUnitsForm(forms.ModelForm):
    """A ModelForm whose ``amount_fields`` (form field → model field in minor units) are typed in major units of the
    form's ``currency``, and whose ``features`` are checkboxes stored as a list of codes in Feature's order."""

    amount_fields: dict[str, str] = {}

    # Longer than a code, so that "EURO" is refused by clean_currency's message rather than a length limit.
    currency = forms.CharField(label=_("currency"), max_length=8, help_text=_("ISO 4217 code, e.g. EUR, USD or JPY."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name, model_field in self.amount_fields.items():
                self.initial.setdefault(name, major_text(getattr(self.instance, model_field), self.instance.currency))

    def clean_currency(self) -> str:
        return currency_code_clean(self.cleaned_data.get("currency", ""))

    def clean_features(self) -> list[str]:
        chosen = set(self.cleaned_data.get("features") or [])
        return [code for code in Feature.values if code in chosen]

    def clean(self) -> dict:
        cleaned = super().clean()
        currency = cleaned.get("currency")
        for name, model_field in self.amount_fields.items():
            raw = cleaned.get(name)
            if raw is None or not currency:
                continue  # already refused (empty, or no valid currency to read it in)
            try:
                setattr(self.instance, model_field, minor_from_major(raw, currency))
            except ValidationError as refused:
                self.add_error(name, refused)
        return cleaned


class ContractAdminForm(MajorUnitsForm):
    amount_fields = {"price_per_seat": "price_per_seat_minor"}

    features = _feature_field(_("What the organisation's members (and its own staff) get."))
    price_per_seat = _amount_field(_("price per seat a month"))
    currency = forms.CharField(
        label=_("currency"),
        max_length=8,
        required=False,
        help_text=_("ISO 4217 code, e.g. EUR. Empty: the tenant's currency."),
    )

    class Meta:
        model = Contract
        fields = (
            "tenant",
            "seats",
            "currency",
            "starts_on",
            "ends_on",
            "features",
            "customer",
            "stripe_subscription_id",
            "notes",
        )

    def clean_currency(self) -> str:
        tenant = self.cleaned_data.get("tenant")
        typed = (self.cleaned_data.get("currency") or "").strip()
        if not typed and tenant is not None:
            return tenant.currency
        return currency_code_clean(typed)

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A contract cannot end before it starts."))
        return cleaned


# The plan admin's fields in order: "price" is the form's own (major units), stored as Plan.price_minor.
PLAN_ADMIN_FIELDS = (
    "code",
    "kind",
    "interval",
    "name",
    "description",
    "currency",
    "price",
    "stripe_price_id",
    "features",
    "application_limit",
    "api_monthly_quota",
    "api_rate_per_minute",
    "is_active",
    "sort_order",
)


class PlanAdminForm(MajorUnitsForm):
    amount_fields = {"price": "price_minor"}

    features = _feature_field(_("What this plan unlocks."))
    price = _amount_field(_("price"))

    class Meta:
        model = Plan
        fields = tuple(name for name in PLAN_ADMIN_FIELDS if name != "price")


class ConsultingEngagementAdminForm(MajorUnitsForm):
    amount_fields = {"amount": "amount_minor"}

    amount = _amount_field(_("amount"))

    class Meta:
        model = ConsultingEngagement
        fields = ("client_name", "tenant", "currency", "starts_on", "ends_on", "notes")


class PlanGrantForm(forms.Form):
    """Staff grant a seeker plan to the person chosen in the staff directory (the tenant and user come from there)."""

    plan = forms.ModelChoiceField(
        label=_("plan"),
        queryset=Plan.objects.filter(is_active=True, kind__in=(Plan.Kind.FREE, Plan.Kind.PREMIUM)),
        empty_label=None,
    )
    until = forms.DateField(
        label=_("until"),
        required=False,
        help_text=_("The last day of the grant. Empty: until staff revoke it or the person subscribes through Stripe."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until is not None and until < timezone.localdate():
            raise ValidationError(_("Choose today or a later day: a grant that has already ended grants nothing."))
        return until
