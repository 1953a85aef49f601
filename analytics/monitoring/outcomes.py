"""Live accuracy parts of the current tenant: what was predicted for its applications (predictions.
ApplicationPrediction) against what happened to them (tracking.Application's stage and first-reach times).

Which outcomes count (mature ones only):
- **Interview**: an application sent (its `applied_at`, else its first screening, interview or offer) at least
  GHOSTED_AFTER_DAYS (30) days ago. It reached an interview when it ever reached screening or later (the interview
  model's own label, predictions/interview/features.py); otherwise it counts as no interview, except when it was
  withdrawn without an answer (neither a yes nor a no: left out). Younger applications are left out whatever they
  show, as in training, because early answers are mostly yeses.
- **Salary**: every offer with an amount, set against the predicted P10–P90 (a year's pay). An offer in the
  prediction's currency is compared at the rate the answer used; one in another currency is converted to USD at the
  salary survey's rate (the model's own conversion, predictions/reference.py); a currency with no known rate is left
  out and counted. An offer with no currency is taken to be in the prediction's.
- **Time to offer**: every offer on an application with an `applied_at`: the days from applying to the offer against
  the predicted P10–P90 days. (The global model counts from a federal posting's closing date, which a seeker applies
  before: its interval is then a lower bound, and the page says so.)

Every figure is kept per model (analytics/monitoring/serving.py's `version_key`) as additive parts, with how many of
its predictions the demo recorded (simulated outcomes).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Floor, Greatest, Least

from analytics.monitoring.accuracy import BINS, range_counts
from analytics.monitoring.serving import version_key
from predictions.interview.features import GHOSTED_AFTER_DAYS
from predictions.models import ApplicationPrediction, PredictionLog
from predictions.reference import market_reference
from tenants.context import require_tenant_schema
from tracking.models import Stage

Kind = ApplicationPrediction.Kind
RECENT_OFFERS = 200  # the latest offers kept per tenant, for "coverage over the last N offers"
IDENTITY = ("scope", "model_version_id", "model_version", "model_label")
DEMO = PredictionLog.Source.DEMO


def _key(row: dict) -> str:
    return version_key(scope=row["scope"], model_version_id=row["model_version_id"], model_label=row["model_label"])


def _entry(found: dict, row: dict, empty) -> dict:
    key = _key(row)
    if key not in found:
        found[key] = {name: row[name] for name in IDENTITY} | {"version_key": key, "demo": 0, "parts": empty()}
    return found[key]


def interview_parts(*, now: datetime) -> dict[str, dict]:
    """{version key: {identity, "parts": reliability parts (analytics/monitoring/accuracy.py), "demo": n}}."""
    reached = (
        Q(application__screened_at__isnull=False)
        | Q(application__interviewed_at__isnull=False)
        | Q(application__offered_at__isnull=False)
        | Q(application__accepted_at__isnull=False)
    )
    rows = (
        ApplicationPrediction.objects.filter(kind=Kind.INTERVIEW, interview_probability__isnull=False)
        .annotate(
            sent=Coalesce(
                "application__applied_at",
                "application__screened_at",
                "application__interviewed_at",
                "application__offered_at",
            ),
            label=Case(When(reached, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .filter(sent__lte=now - timedelta(days=GHOSTED_AFTER_DAYS))
        .exclude(Q(label=0) & Q(application__stage=Stage.WITHDRAWN))
        .annotate(
            bin=Least(Greatest(Floor(F("interview_probability") * Value(float(BINS))), Value(0.0)), Value(BINS - 1.0)),
            error=ExpressionWrapper(F("interview_probability") - F("label"), output_field=FloatField()),
        )
        .values(*IDENTITY, "bin")
        .annotate(
            n=Count("pk"),
            sum_p=Sum("interview_probability"),
            sum_y=Sum("label"),
            sum_sq=Sum(F("error") * F("error")),
            demo=Count("pk", filter=Q(source=DEMO)),
        )
        .order_by()
    )
    found: dict[str, dict] = {}
    for row in rows:
        entry = _entry(found, row, lambda: [[0, 0.0, 0, 0.0] for _ in range(BINS)])
        entry["parts"][int(row["bin"])] = [row["n"], row["sum_p"], row["sum_y"], row["sum_sq"]]
        entry["demo"] += row["demo"]
    return found


def _offers(kind: str, *fields: str):
    return (
        ApplicationPrediction.objects.filter(kind=kind, application__offered_at__isnull=False)
        .values(*IDENTITY, "source", "application__offered_at", *fields)
        .order_by("-application__offered_at", "-pk")
    )


def _offer_usd(row: dict, fx_per_usd: dict) -> float | None:
    amount = float(row["application__offer_amount"])
    currency = (row["application__offer_currency"] or row["salary_currency"] or "USD").upper()
    if currency == (row["salary_currency"] or "USD").upper():
        return amount / (row["salary_per_usd"] or 1.0)
    if currency == "USD":
        return amount
    rate = fx_per_usd.get(currency)
    return amount / rate[0] if rate else None


def salary_parts(*, recent: int = RECENT_OFFERS) -> tuple[dict[str, dict], list[list]]:
    """({version key: {identity, "parts": [n, below, inside, above], "unconverted": n, "demo": n}}, the latest
    `recent` offers as [offered_at ISO, 1 inside / 0 outside, demo 1 / 0], newest first)."""
    fx_per_usd = market_reference().fx_per_usd
    found: dict[str, dict] = {}
    latest: list[list] = []
    rows = _offers(
        Kind.SALARY,
        "salary_p10_usd",
        "salary_p90_usd",
        "salary_currency",
        "salary_per_usd",
        "application__offer_amount",
        "application__offer_currency",
    ).filter(application__offer_amount__isnull=False, salary_p10_usd__isnull=False, salary_p90_usd__isnull=False)
    for row in rows:
        entry = _entry(found, row, lambda: [0, 0, 0, 0])
        entry.setdefault("unconverted", 0)
        offer_usd = _offer_usd(row, fx_per_usd)
        if offer_usd is None:
            entry["unconverted"] += 1
            continue
        counts = range_counts([(row["salary_p10_usd"], row["salary_p90_usd"], offer_usd)])
        entry["parts"] = [a + b for a, b in zip(entry["parts"], counts, strict=True)]
        demo = int(row["source"] == DEMO)
        entry["demo"] += demo
        if len(latest) < recent:
            latest.append([row["application__offered_at"].isoformat(), counts[2], demo])
    return found, latest


def time_to_offer_parts() -> dict[str, dict]:
    """{version key: {identity, "parts": [n, below, inside, above] of days from applying to the offer against the
    predicted P10–P90, "measured_from", "demo": n}}."""
    found: dict[str, dict] = {}
    rows = _offers(Kind.TIME_TO_HIRE, "days_p10", "days_p90", "days_measured_from", "application__applied_at").filter(
        application__applied_at__isnull=False, days_p10__isnull=False, days_p90__isnull=False
    )
    for row in rows:
        entry = _entry(found, row, lambda: [0, 0, 0, 0])
        entry["measured_from"] = row["days_measured_from"]
        days = (row["application__offered_at"] - row["application__applied_at"]).total_seconds() / 86400
        counts = range_counts([(row["days_p10"], row["days_p90"], days)])
        entry["parts"] = [a + b for a, b in zip(entry["parts"], counts, strict=True)]
        entry["demo"] += int(row["source"] == DEMO)
    return found


def accuracy_parts(*, now: datetime) -> dict:
    """The current tenant's accuracy parts, JSON-ready (the snapshot's `accuracy`)."""
    require_tenant_schema()
    salary, recent = salary_parts()
    return {
        "interview": interview_parts(now=now),
        "salary": salary,
        "salary_recent": recent,
        "time_to_hire": time_to_offer_parts(),
    }
