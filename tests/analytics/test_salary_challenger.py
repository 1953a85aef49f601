# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""Champion/challenger online: while "salary-challenger" runs, a person in its challenger variant gets the salary
range of the newest candidate model, through the API and the service every page uses, and the prediction log records
that version; the champion variant, a person outside the experiment, and everyone when no candidate loads get the
champion; the results page says which versions answered each variant, and says so when no challenger is available.

The models are trained on SIMULATED rows (tests/predictions/serving_support.py): they prove the plumbing only.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from analytics.experiments.catalogue import SALARY_CHALLENGER, experiment_notes
from analytics.models import Experiment, Exposure
from predictions import service
from predictions.models import ModelVersion, PredictionLog
from predictions.registry import model_cache_clear
from tests.analytics.experiment_support import experiment_make, fresh_caches, person  # noqa: F401
from tests.billing.grants import plan_grant
from tests.conftest import login
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    SALARY_REQUEST,
    salary_champion,
    salary_reference,
    salary_run,
    salary_version_save,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


@pytest.fixture
def challenger(salary_champion, salary_run) -> ModelVersion:
    """A candidate trained after the champion, not promoted (its held-out MAE is worse)."""
    version = salary_version_save(salary_run, mae=20_000)
    model_cache_clear()
    return version


def salary_experiment(champion_weight: int) -> Experiment:
    return experiment_make(
        SALARY_CHALLENGER,
        variants=[["champion", champion_weight], ["challenger", 100 - champion_weight]],
        metric="offer-60d",
    )


def served(schema: str, user) -> tuple[int, int]:
    with schema_context(schema):
        result = service.salary_serve(user=user, items=[SALARY_REQUEST], source=PredictionLog.Source.PAGE)[0]
        logged = PredictionLog.objects.filter(kind="salary").latest("pk")
    assert (logged.model_version_id, logged.user_id) == (result["model_version_id"], user.pk)
    return result["model_version_id"], logged.model_version


def test_the_challenger_variant_is_served_the_candidate_and_the_log_says_so(cast, salary_champion, challenger) -> None:
    salary_experiment(champion_weight=0)  # everyone in the challenger variant
    owner = person("alpha", cast.owner_email)

    assert served("alpha", owner) == (challenger.pk, challenger.version)
    [exposure] = Exposure.objects.all()
    assert (exposure.variant, exposure.user_id) == ("challenger", owner.pk)


def test_the_champion_variant_and_people_outside_the_experiment_get_the_champion(
    cast, salary_champion, challenger
) -> None:
    owner = person("alpha", cast.owner_email)
    assert served("alpha", owner) == (salary_champion.pk, salary_champion.version)  # no experiment
    salary_experiment(champion_weight=100)
    assert served("alpha", owner) == (salary_champion.pk, salary_champion.version)
    assert Exposure.objects.get().variant == "champion"


def test_a_split_serves_each_person_by_their_hashed_variant(cast, salary_champion, challenger) -> None:
    from analytics.experiments.assignment import variant_for

    salary_experiment(champion_weight=50)
    people = [
        person("alpha", cast.owner_email),
        person("alpha", cast.member_email),
        person("beta", cast.stranger_email),
    ]
    for user, schema in zip(people, ("alpha", "alpha", "beta"), strict=True):
        variant = variant_for(SALARY_CHALLENGER, f"{schema}:{user.pk}", [("champion", 50), ("challenger", 50)])
        expected = challenger if variant == "challenger" else salary_champion
        assert served(schema, user) == (expected.pk, expected.version), (schema, variant)


def test_without_a_loadable_challenger_the_variant_gets_the_champion_and_the_page_says_so(
    cast, salary_champion, salary_run
) -> None:
    experiment = salary_experiment(champion_weight=0)
    owner = person("alpha", cast.owner_email)
    assert served("alpha", owner) == (salary_champion.pk, salary_champion.version)  # no candidate at all
    notes = experiment_notes(experiment)
    assert notes[0].startswith("No challenger is available")
    assert f"to challenger since exposure, by model version: v{salary_champion.version}: 1." in notes[1]

    broken = salary_version_save(salary_run, mae=20_000, artifact="not a model")
    model_cache_clear()
    assert served("alpha", owner) == (salary_champion.pk, salary_champion.version)  # the newest does not load
    assert experiment_notes(experiment)[0].startswith("No challenger is available")
    assert broken.status == ModelVersion.Status.CANDIDATE


def test_the_api_serves_the_challenger_to_its_variant(cast, client_a, salary_champion, challenger) -> None:
    salary_experiment(champion_weight=0)
    plan_grant(schema="alpha", email=cast.owner_email)
    login(client_a, cast.owner_email)

    response = client_a.post("/api/v1/predictions/salary", SALARY_REQUEST, content_type="application/json")

    assert response.status_code == 200, response.content
    assert (response.json()["model_version_id"], response.json()["model_version"]) == (
        challenger.pk,
        challenger.version,
    )
    with schema_context("alpha"):
        assert PredictionLog.objects.get(kind="salary").model_version_id == challenger.pk


def test_the_organisation_outcomes_ranges_stay_the_champions(cast, salary_champion, challenger) -> None:
    salary_experiment(champion_weight=0)
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        result = service.salary_serve(user=owner, items=[SALARY_REQUEST], challenger_allowed=False)[0]
    assert result["model_version_id"] == salary_champion.pk
    assert not Exposure.objects.exists()
