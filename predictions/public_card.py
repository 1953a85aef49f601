"""The public model card: what each model serving every workspace (the global champions) measured on held-out data
when it was trained, read from the stored versions' ``metrics["test"]`` (predictions/registry.py). Nothing is
computed or rounded up here beyond formatting; a figure a version did not record is left out, and a kind without a
champion says so. Tenant-scope models are a workspace's own and never shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from predictions.models import ModelVersion
from tenants.context import public_schema_context

# Each kind's figures, in order: metrics["test"] key, label, unit formatter.
_PERCENT = "percent"
_USD = "usd"
_DAYS = "days"
_SCORE = "score"


def _figure_specs() -> dict[str, list[tuple[str, str, str]]]:
    return {
        ModelVersion.Kind.SALARY: [
            ("coverage_p10_p90", _("Actual salaries inside the predicted P10–P90 range (target 80 %)"), _PERCENT),
            ("mae_usd", _("Mean absolute error of the middle of the range"), _USD),
            ("median_width_usd", _("Median width of the range"), _USD),
            ("within_20pct", _("Predictions within %(share)s of the actual salary") % {"share": "20 %"}, _PERCENT),
        ],
        ModelVersion.Kind.TIME_TO_HIRE: [
            ("coverage_p10_p90", _("Actual durations inside the predicted P10–P90 range (target 80 %)"), _PERCENT),
            ("mae_days", _("Mean absolute error"), _DAYS),
            ("median_width_days", _("Median width of the range"), _DAYS),
        ],
        ModelVersion.Kind.INTERVIEW: [
            ("brier", _("Brier score (0 is perfect, lower is better)"), _SCORE),
            ("auc", _("AUC (0.5 is chance, 1 is perfect)"), _SCORE),
            ("ece", _("Expected calibration error (lower is better)"), _SCORE),
        ],
    }


@dataclass(frozen=True)
class PublishedModel:
    kind: str
    kind_label: str
    version: int | None  # None: no model serves this kind yet
    trained_at: datetime | None
    held_out_rows: int | None
    figures: list[tuple[str, str]]  # (label, formatted value)
    simulated: bool


def _formatted(value: float, unit: str) -> str:
    if unit == _PERCENT:
        return _("%(value)s %%") % {"value": number_format(value, decimal_pos=1, use_l10n=True)}
    if unit == _USD:
        return _("%(value)s USD") % {
            "value": number_format(round(value), decimal_pos=0, use_l10n=True, force_grouping=True)
        }
    if unit == _DAYS:
        return _("%(value)s days") % {"value": number_format(value, decimal_pos=1, use_l10n=True)}
    return number_format(value, decimal_pos=3, use_l10n=True)


def _rows(test: dict) -> int | None:
    count = test.get("rows", test.get("n"))
    return int(count) if count is not None else None


def published_models() -> list[PublishedModel]:
    """One entry per model kind, from its global champion's stored held-out metrics."""
    with public_schema_context():
        champions = {
            version.kind: version
            for version in ModelVersion.objects.filter(
                status=ModelVersion.Status.CHAMPION, scope=ModelVersion.Scope.GLOBAL
            ).defer("artifact", "input_bins")
        }
    published = []
    for kind, specs in _figure_specs().items():
        version = champions.get(kind)
        label = str(ModelVersion.Kind(kind).label)
        if version is None:
            published.append(PublishedModel(kind, label, None, None, None, [], False))
            continue
        test = (version.metrics or {}).get("test") or {}
        figures = [(text, _formatted(float(test[key]), unit)) for key, text, unit in specs if test.get(key) is not None]
        simulated = "SIMULATED" in (version.notes or "") or bool((version.metrics or {}).get("simulated"))
        published.append(
            PublishedModel(kind, label, version.version, version.trained_at, _rows(test), figures, simulated)
        )
    return published
