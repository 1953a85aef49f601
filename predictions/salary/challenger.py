"""Champion/challenger online for salary ranges (issue 14): while the "salary-challenger" experiment runs, the people
its hash puts in the "challenger" variant are answered by the newest candidate salary model instead of the champion.
The prediction log records the version that answered, as it does for every prediction.

No candidate, or a candidate whose artifact does not load: the challenger variant is answered by the champion (and
the experiment's results page says so, analytics/experiments/catalogue.py).
"""

from __future__ import annotations

from analytics.experiments.catalogue import CHALLENGER, SALARY_CHALLENGER
from analytics.experiments.exposure import experiment_variant
from predictions.registry import LoadedModel, challenger_get
from predictions.salary.model import SalaryModel
from tenants.context import current_tenant


def salary_model_for(*, user) -> LoadedModel | None:
    """The challenger model when `user` (signed in, in the current tenant) is in the running salary experiment's
    challenger variant and a challenger loads; None means the champion. Records the person's exposure once."""
    if user is None or not user.is_authenticated:
        return None
    if experiment_variant(SALARY_CHALLENGER, tenant=current_tenant(), user=user) != CHALLENGER:
        return None
    return challenger_get("salary", load=SalaryModel.artifact_loads)
