"""What the serving tests share: a SIMULATED salary champion (rows from tests/predictions/salary/test_salary.py's seeded
generator; it proves the plumbing, its numbers are never accuracy) and the owner's applications.

Import the fixtures into a test module by name; they are not in a conftest so the other predictions tests are not
changed by them.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from predictions import reference as reference_module
from predictions.features import MarketReference
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import model_cache_clear, model_promote, model_save
from predictions.tuning import TuningBudget
from tests.predictions.salary.test_salary import simulated_reference, simulated_rows
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, JobPostingFactory

SMALL_BUDGET = TuningBudget(trials=1, seconds=5.0)
SALARY_REQUEST = {  # one valid salary request (POST /api/v1/predictions/salary)
    "title": "Data Scientist",
    "experience_level": "SE",
    "employment_type": "FT",
    "remote_ratio": 0,
    "company_size": "M",
    "company_country": "US",
}
CV_TEXT = "Sam Seeker\nData scientist\nExperience\n- Built Python models on PostgreSQL\nSkills\nPython, SQL"


def serving_reference() -> MarketReference:
    """The simulated reference with two exchange rates (SIMULATED too), so conversion can be shown."""
    reference = simulated_reference()
    reference.fx_per_usd = {"EUR": (0.9, 2023), "CAD": (1.35, 2023)}
    reference.country_currencies = {"DE": "EUR", "CA": "CAD"}
    return reference


@pytest.fixture(scope="module")
def salary_run():
    from predictions.salary.training import salary_train

    return salary_train(simulated_rows(n=600), reference=serving_reference(), budget=SMALL_BUDGET)


@pytest.fixture
def salary_reference(monkeypatch) -> MarketReference:
    reference = serving_reference()
    monkeypatch.setattr(reference_module, "_cached", reference)
    model_cache_clear()
    yield reference
    model_cache_clear()


def salary_version_save(run, *, mae: float, artifact: str | None = None) -> ModelVersion:
    """A candidate in the public schema whose held-out MAE is `mae` (same test rows for every version)."""
    metrics = dict(run.metrics)
    metrics["test"] = dict(metrics["test"], mae_usd=mae)
    return model_save(
        kind="salary",
        artifact=artifact if artifact is not None else run.model.artifact_dumps(),
        metrics=metrics,
        params=run.model.params,
        feature_names=run.model.feature_names,
        data_fingerprint=run.data_fingerprint,
        training_seconds=run.training_seconds,
    )


@pytest.fixture
def salary_champion(cast, salary_run, salary_reference) -> ModelVersion:
    version = salary_version_save(salary_run, mae=10_000)
    assert model_promote(candidate=version, metric=KINDS[version.kind].metric).promoted
    return version


def owner_application(owner, *, title: str = "Data Scientist", country: str = "US", marker: str = ""):
    """An application of `owner` in tenant A with a parsed CV pinned, so every predictor has something to read."""
    from tracking.cv.services import cv_parse

    with schema_context("alpha"):
        cv = CVDocumentFactory(owner=owner, text=CV_TEXT + marker, parsed=cv_parse(CV_TEXT + marker))
        posting = JobPostingFactory(
            owner=owner,
            title=title,
            company=f"Acme {marker}".strip(),
            country=country,
            description="Requirements:\n- Python\n- SQL",
        )
        return ApplicationFactory(owner=owner, posting=posting, cv=cv)
