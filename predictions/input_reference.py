"""The training-input bins of versions trained before they were stored (predictions/drift.py): recomputed from the
same training data the kind's training reads, and marked as a backfill.

Each kind rebuilds the feature matrix its training fit on, then compares the data's fingerprint with the one the
version recorded: equal, the reference is the training data's exactly (`"exact": true`); different (the survey rows,
the GSA file or the tenant's outcomes changed since), it is today's data through the same steps, marked
`"exact": false`, and the model monitor says so beside the drift figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np

from predictions.drift import input_bins_build
from predictions.features import salary_feature_matrix
from predictions.interview.features import interview_features
from predictions.interview.model import interview_data_fingerprint
from predictions.interview.outcomes import interview_outcomes_collect
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.reference import market_reference
from predictions.salary.data import data_fingerprint, survey_rows_load
from predictions.salary.model import SalaryModel
from predictions.salary.training import backtest_build
from predictions.time_to_hire.data import gsa_rows_clean, gsa_rows_load, rows_fingerprint, time_to_hire_split
from predictions.time_to_hire.tenant import tenant_duration_rows, tenant_durations_collect
from predictions.time_to_hire.training import SEED as TIME_TO_HIRE_SEED
from predictions.time_to_hire.training import TEST_SHARE, time_to_hire_training_matrix

Rebuilt = tuple[np.ndarray, bool]  # the training matrix, and whether its data is the version's (same fingerprint)


def _salary(version: ModelVersion) -> Rebuilt:
    rows = backtest_build(survey_rows_load()).rows
    vocabulary = SalaryModel.artifact_loads(version.artifact).vocabulary
    x = salary_feature_matrix([r.as_input() for r in rows], reference=market_reference(), vocabulary=vocabulary)
    return x, data_fingerprint(rows) == version.data_fingerprint


def _time_to_hire(version: ModelVersion) -> Rebuilt:
    seed = int((version.metrics or {}).get("seed", TIME_TO_HIRE_SEED))
    if version.scope == ModelVersion.Scope.TENANT:
        usable = tenant_duration_rows(tenant_durations_collect(), reference=market_reference())
    else:
        usable, _dropped = gsa_rows_clean(gsa_rows_load())
    split = time_to_hire_split(usable, seed=seed, test_share=TEST_SHARE)
    return time_to_hire_training_matrix(split), rows_fingerprint(split.train) == version.data_fingerprint


def _interview(version: ModelVersion) -> Rebuilt:
    cutoff = datetime.fromisoformat(str(((version.metrics or {}).get("split") or {})["cutoff"]))
    labelled = sorted(
        (r for r in interview_outcomes_collect() if r.interview_label is not None and r.input is not None),
        key=lambda r: (r.applied_at, r.application_id),
    )
    train = [r for r in labelled if r.applied_at < cutoff]
    return interview_features([r.input for r in train]), interview_data_fingerprint(
        labelled
    ) == version.data_fingerprint


REBUILDERS: dict[str, Callable[[ModelVersion], Rebuilt]] = {
    ModelVersion.Kind.SALARY: _salary,
    ModelVersion.Kind.TIME_TO_HIRE: _time_to_hire,
    ModelVersion.Kind.INTERVIEW: _interview,
}


def input_reference_backfill(version: ModelVersion) -> dict:
    """Computes and saves `version`'s input bins from its kind's training data (run in the schema the version lives
    in: a tenant model reads that tenant's outcomes). Returns the bins saved."""
    x, exact = REBUILDERS[version.kind](version)
    bins = input_bins_build(x, version.feature_names, categorical=KINDS[version.kind].categorical)
    bins |= {"backfilled": True, "exact": exact}
    ModelVersion.objects.filter(pk=version.pk).update(input_bins=bins)
    version.input_bins = bins
    return bins
