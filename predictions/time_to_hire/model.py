"""The time-to-hire model object and its artifact: three LightGBM boosters on days (P10 and P90 quantile models and
a P50 model trained with the L1 objective, i.e. a median) plus one conformal margin in days that widens [P10, P90]
to the calibrated coverage."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np

from predictions.time_to_hire.data import FEATURE_NAMES

ARTIFACT_FORMAT = "cvplus-time-to-hire-v1"
BOOSTER_NAMES = ("p10", "p50", "p90")
PROMOTION_METRIC = "mae_days"  # metrics["test"][...] a challenger must beat (lower is better)


@dataclass
class TimeToHireModel:
    """`source` says what the model learnt from ("gsa_2004_2010" or "tenant") and `measured_from` where its days
    start ("application_close" for GSA rows, "applied" for a tenant's own durations)."""

    boosters: dict[str, lgb.Booster]
    margin_days: float
    params: dict[str, object]
    family_rows: dict[str, int]
    source: str
    measured_from: str
    training_rows: int
    feature_names: list[str] = field(default_factory=lambda: list(FEATURE_NAMES))

    def predict_days(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(p10, p50, p90) in days, widened by the conformal margin, never crossing and never below zero."""
        p10, p50, p90 = (self.boosters[name].predict(features, num_threads=1) for name in BOOSTER_NAMES)
        p50 = np.maximum(p50, 0.0)
        low = np.maximum(np.minimum(np.minimum(p10, p50) - self.margin_days, p50), 0.0)
        high = np.maximum(np.maximum(p90, p50) + self.margin_days, p50)
        return low, p50, high

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Per-feature contributions of the P50 model in days, shape (rows, features + 1); the last column is the
        base value."""
        return self.boosters["p50"].predict(features, pred_contrib=True, num_threads=1)

    def artifact_dumps(self) -> str:
        return json.dumps(
            {
                "format": ARTIFACT_FORMAT,
                "models": {name: booster.model_to_string() for name, booster in self.boosters.items()},
                "conformal": {"margin_days": self.margin_days},
                "family_rows": self.family_rows,
                "source": self.source,
                "measured_from": self.measured_from,
                "training_rows": self.training_rows,
                "feature_names": self.feature_names,
                "params": self.params,
            }
        )

    @classmethod
    def artifact_loads(cls, text: str) -> TimeToHireModel:
        """Raises ValueError for anything that is not a complete time-to-hire artifact of this format."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as error:
            raise ValueError(f"time-to-hire artifact is not JSON: {error}") from None
        if not isinstance(data, dict) or data.get("format") != ARTIFACT_FORMAT:
            raise ValueError("not a time-to-hire model artifact")
        try:
            if data["feature_names"] != FEATURE_NAMES:
                raise ValueError(f"artifact features {data['feature_names']} differ from {FEATURE_NAMES}")
            boosters = {name: lgb.Booster(model_str=data["models"][name]) for name in BOOSTER_NAMES}
            return cls(
                boosters=boosters,
                margin_days=float(data["conformal"]["margin_days"]),
                params=dict(data["params"]),
                family_rows={str(k): int(v) for k, v in data["family_rows"].items()},
                source=str(data["source"]),
                measured_from=str(data["measured_from"]),
                training_rows=int(data["training_rows"]),
                feature_names=list(data["feature_names"]),
            )
        except ValueError:
            raise
        except (KeyError, TypeError, AttributeError, lgb.basic.LightGBMError) as error:
            raise ValueError(f"corrupt time-to-hire artifact: {error!r}") from None
