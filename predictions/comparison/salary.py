"""Where the posted or offered salary stands in the predicted range, in words. No ORM: it takes plain values.

The predicted range is yearly, in the currency the salary section shows (the workspace's, or USD when no rate is
known). Each amount is made yearly (``predictions.comparison.arithmetic.yearly_amount``) and, when its currency differs,
converted through USD with the salary survey's own rates (``market_reference().fx_per_usd``, the table the salary
card converts with): never a rate from elsewhere, and an amount in a currency without a rate is said to be
incomparable rather than guessed.

An offer is recorded with an amount and a currency but no period: it is read in the period (yearly, monthly or
hourly) that puts it nearest the predicted median, and the answer says which; 95,000 is a year's pay, 8,000 a month's
and 45 an hour's whatever the posting's own period was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from predictions.comparison.arithmetic import (
    ABOVE_P90,
    BELOW_P10,
    DAYS_PER_YEAR,
    HOURS_PER_YEAR,
    OFFER_PERIODS,
    P10_P50,
    salary_position,
    yearly_amount,
)

USD = "USD"


@dataclass(frozen=True)
class Amount:
    kind: str  # "offer", "posted", "posted_min", "posted_max"
    value: Decimal
    currency: str
    period: str | None  # "year", "month", "week", "day" or "hour"; None for an offer, recorded without one


def amounts_to_place(
    *,
    salary_min: Decimal | None,
    salary_max: Decimal | None,
    salary_currency: str,
    salary_period: str,
    offer_amount: Decimal | None,
    offer_currency: str,
) -> list[Amount]:
    """The offer first (when one is recorded), then the posted salary: one amount when the posting gives one figure
    (or the same figure twice), else its minimum and maximum."""
    period = salary_period or "year"
    amounts = []
    if offer_amount is not None and offer_currency:
        amounts.append(Amount("offer", offer_amount, offer_currency.upper(), None))
    posted = [value for value in (salary_min, salary_max) if value is not None]
    if posted and salary_currency:
        if len(posted) == 1 or salary_min == salary_max:
            amounts.append(Amount("posted", posted[0], salary_currency.upper(), period))
        else:
            amounts.append(Amount("posted_min", salary_min, salary_currency.upper(), period))
            amounts.append(Amount("posted_max", salary_max, salary_currency.upper(), period))
    return amounts


def _money(value: float) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def _labels() -> dict[str, str]:
    return {
        "offer": _("The offer"),
        "posted": _("The posted salary"),
        "posted_min": _("The posted minimum"),
        "posted_max": _("The posted maximum"),
    }


def _as_written(value: Decimal, currency: str, period: str) -> str:
    decimals = 0 if value == value.to_integral_value() else 2
    values = {"amount": number_format(value, decimal_pos=decimals, force_grouping=True), "currency": currency}
    if period == "hour":
        return _("%(amount)s %(currency)s an hour") % values
    if period == "day":
        return _("%(amount)s %(currency)s a day") % values
    if period == "week":
        return _("%(amount)s %(currency)s a week") % values
    if period == "month":
        return _("%(amount)s %(currency)s a month") % values
    return _("%(amount)s %(currency)s a year") % values


def _period_readings() -> dict[str, str]:
    return {"year": _("a yearly amount"), "month": _("a monthly amount"), "hour": _("an hourly amount")}


def _position_text(position: str, percentile: int | None, *, p10: float, p90: float, currency: str) -> str:
    if position == BELOW_P10:
        return _("below the predicted range (under its 10th percentile, %(p10)s %(currency)s)") % {
            "p10": _money(p10),
            "currency": currency,
        }
    if position == ABOVE_P90:
        return _("above the predicted range (over its 90th percentile, %(p90)s %(currency)s)") % {
            "p90": _money(p90),
            "currency": currency,
        }
    if position == P10_P50:
        text = _(
            "between the 10th percentile and the median of the predicted range, above about %(percentile)s %% of "
            "the salaries predicted for this job"
        )
    else:
        text = _(
            "between the median and the 90th percentile of the predicted range, above about %(percentile)s %% of "
            "the salaries predicted for this job"
        )
    return text % {"percentile": percentile}


def _rate(currency: str, fx_per_usd: dict[str, tuple[float, int]]) -> tuple[float, int | None] | None:
    """(units of ``currency`` per USD, the rate's survey year), or None when no rate is known."""
    if currency == USD:
        return 1.0, None
    return fx_per_usd.get(currency)


def _period_of_offer(value: float, *, to_range: float, p50: float) -> str:
    """The period an offer recorded without one most plausibly has: the reading whose yearly amount is nearest the
    predicted median in log terms. The readings differ by ×12 and ×173, so this picks the unit, not the position."""
    return min(OFFER_PERIODS, key=lambda period: abs(math.log(yearly_amount(value, period) * to_range) - math.log(p50)))


def _place(
    amount: Amount, *, points: tuple[float, float, float], currency: str, fx_per_usd: dict[str, tuple[float, int]]
) -> dict:
    label = _labels()[amount.kind]
    placed: dict = {
        "kind": amount.kind,
        "label": label,
        "amount": float(amount.value),
        "amount_currency": amount.currency,
        "amount_period": amount.period,
        "yearly_amount": None,
        "position": None,
        "percentile": None,
        "notes": [],
        "sentence": "",
    }
    notes = placed["notes"]
    to_range = 1.0  # units of the range's currency per unit of the amount's
    converted_note = ""
    if amount.currency != currency:
        source, target = _rate(amount.currency, fx_per_usd), _rate(currency, fx_per_usd)
        if source is None or target is None:
            placed["sentence"] = _(
                "%(what)s is in %(from)s, and no exchange rate from %(from)s to %(to)s is known, so it cannot be "
                "placed in the predicted range."
            ) % {"what": label, "from": amount.currency, "to": currency}
            return placed
        to_range = target[0] / source[0]
        year = next((rate[1] for rate in (source, target) if rate[1] is not None), None)
        converted_note = _("Converted from %(from)s to %(to)s at the %(year)s salary survey's rate, not today's rate.")
        converted_note %= {"from": amount.currency, "to": currency, "year": year}
    period = amount.period
    if period is None:
        period = _period_of_offer(float(amount.value), to_range=to_range, p50=points[1])
        placed["amount_period"] = period
        notes.append(
            _("The offer was recorded without a period: it is read as %(period)s, the reading nearest the median.")
            % {"period": _period_readings()[period]}
        )
    if period == "hour":
        notes.append(
            _("Made yearly at %(hours)s working hours a year (40 hours × 52 weeks).")
            % {"hours": _money(HOURS_PER_YEAR)}
        )
    elif period == "day":
        notes.append(
            _("Made yearly at %(days)s working days a year (5 days × 52 weeks).") % {"days": _money(DAYS_PER_YEAR)}
        )
    elif period == "week":
        notes.append(_("Made yearly at 52 weeks a year."))
    elif period == "month":
        notes.append(_("Made yearly at 12 months a year."))
    if converted_note:
        notes.append(converted_note)
    yearly = round(yearly_amount(float(amount.value), period) * to_range, 2)
    position = salary_position(yearly, p10=points[0], p50=points[1], p90=points[2])
    placed["yearly_amount"] = yearly
    placed["position"], placed["percentile"] = position.position, position.percentile
    values = {
        "what": label,
        "as_written": _as_written(amount.value, amount.currency, period),
        "yearly": _money(yearly),
        "currency": currency,
        "position": _position_text(
            position.position, position.percentile, p10=points[0], p90=points[2], currency=currency
        ),
    }
    if period == "year" and amount.currency == currency:
        sentence = _("%(what)s (%(as_written)s) is %(position)s.")
    else:
        sentence = _("%(what)s (%(as_written)s, about %(yearly)s %(currency)s a year) is %(position)s.")
    placed["sentence"] = sentence % values
    return placed


def salary_comparison(*, result: dict, amounts: list[Amount], fx_per_usd: dict[str, tuple[float, int]]) -> dict:
    """``result`` is a salary prediction with its range (``salary_p10`` … in ``currency``, or ``salary_p10_usd`` …);
    returns the range (yearly, in ``currency``) and each amount placed in it, with a sentence, ``position``
    (below_p10, p10_p50, p50_p90, above_p90, or None when it cannot be compared) and ``percentile``."""
    converted = result.get("salary_p10") is not None and result.get("currency")
    currency = str(result["currency"]) if converted else USD
    suffix = "" if converted else "_usd"
    points = tuple(float(result[f"salary_{p}{suffix}"]) for p in ("p10", "p50", "p90"))
    placed = {
        "available": True,
        "currency": currency,
        "p10": points[0],
        "p50": points[1],
        "p90": points[2],
        "items": [_place(amount, points=points, currency=currency, fx_per_usd=fx_per_usd) for amount in amounts],
        "message": "",
    }
    if not amounts:
        placed["message"] = _("The posting states no salary and no offer is recorded, so there is nothing to place.")
    return placed
