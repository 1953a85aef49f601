"""Money in minor units and its currency's exponent: how many minor units make one major unit (2 for EUR: cents;
0 for JPY, which has no minor unit; 3 for the dinars). Every amount billing stores is an integer of minor units
(billing/models.py); staff type and read major units, and pages show them in the reader's language.

The exponents are Stripe's (https://docs.stripe.com/currencies): Stripe receives these same integers, so an amount
means the same thing here and there.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Stripe's zero-decimal currencies: their amounts are already whole units.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
# The largest amount a PositiveIntegerField holds (PostgreSQL integer).
MINOR_UNITS_MAX = 2_147_483_647

_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
# Digits, then at most one decimal separator (a point or a comma) and digits; no thousands separators, so "1.250"
# cannot mean one thing to an English reader and another to a German one.
_MAJOR_AMOUNT = re.compile(r"^(?P<whole>\d+)(?:[.,](?P<fraction>\d+))?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def currency_exponent(currency: str) -> int:
    """Minor units per major unit as a power of ten: 0 for JPY, 3 for KWD, 2 otherwise."""
    code = currency.upper()
    if code in ZERO_DECIMAL_CURRENCIES:
        return 0
    if code in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def currency_code_clean(raw: str) -> str:
    """An ISO 4217 code in upper case; raises a translated ValidationError for anything else."""
    code = (raw or "").strip().upper()
    if not _CURRENCY_CODE.match(code):
        raise ValidationError(
            _("Enter a three-letter ISO 4217 currency code, such as EUR, USD or JPY."), code="currency"
        )
    return code


def major_from_minor(amount_minor: int, currency: str) -> Decimal:
    """``1250, "EUR"`` → ``Decimal("12.50")``; ``5000, "JPY"`` → ``Decimal("5000")``."""
    places = currency_exponent(currency)
    return Decimal(amount_minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def minor_from_major(raw: str, currency: str) -> int:
    """Staff's typed amount in major units → minor units: ``"12.50"`` or ``"12,50"`` EUR → 1250, ``"5000"`` JPY →
    5000. Raises a translated ValidationError naming the problem: not a number, more decimals than the currency has
    (any for JPY), or more than can be stored."""
    code = currency.upper()
    text = _SPACES.sub("", str(raw or ""))
    found = _MAJOR_AMOUNT.match(text)
    if found is None:
        raise ValidationError(
            _(
                "Enter the amount as digits with at most one decimal point or comma, without thousands separators, "
                "for example 12.50."
            ),
            code="amount",
        )
    places = currency_exponent(code)
    fraction = (found["fraction"] or "").rstrip("0")
    if len(fraction) > places:
        if places == 0:
            message = _("%(currency)s has no minor unit: enter a whole number, for example 5000.")
        else:
            message = _("%(currency)s amounts have at most %(places)s decimals.")
        raise ValidationError(message % {"currency": code, "places": places}, code="amount_decimals")
    amount = Decimal(f"{found['whole']}.{found['fraction'] or 0}").scaleb(places)
    if amount > MINOR_UNITS_MAX:
        raise ValidationError(
            _("This amount is too large: at most %(maximum)s %(currency)s.")
            % {"maximum": price_number(MINOR_UNITS_MAX, code), "currency": code},
            code="amount_max",
        )
    return int(amount)


def major_text(amount_minor: int, currency: str) -> str:
    """The major-unit amount as staff type it back into a form: ``"12.50"``, ``"5000"`` (no grouping, a point)."""
    return format(major_from_minor(amount_minor, currency), "f")


def price_number(amount_minor: int, currency: str) -> str:
    """The amount in major units, grouped and with the decimal separator of the active language, no currency."""
    places = currency_exponent(currency)
    return number_format(
        major_from_minor(amount_minor, currency), decimal_pos=places, use_l10n=True, force_grouping=True
    )


def price_format(amount_minor: int, currency: str) -> str:
    """``1900, "USD"`` → "19.00 USD" in English, "19,00 USD" in French; ``5000, "JPY"`` → "5,000 JPY" (JPY has no
    minor unit, so no decimals)."""
    return _("%(amount)s %(currency)s") % {"amount": price_number(amount_minor, currency), "currency": currency.upper()}
