"""Model versions stored before `predictions/` became one package per kind keep loading and serving: the artifacts in
tests/predictions/fixtures/ were written by the flat modules' code (commit 130a8f3) from SIMULATED training rows, so
these tests prove compatibility, never accuracy."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pytest

from predictions.kinds import KINDS
from predictions.registry import champion_get, model_cache_clear, model_promote, model_save

FIXTURES = Path(__file__).parent / "fixtures"


def stored_artifact(kind: str) -> str:
    return gzip.decompress((FIXTURES / f"{kind}_artifact_v1.json.gz").read_bytes()).decode()


def test_every_kind_of_the_table_has_an_artifact_saved_by_the_old_code() -> None:
    assert sorted(KINDS) == sorted(path.name.removesuffix("_artifact_v1.json.gz") for path in FIXTURES.glob("*.gz"))


@pytest.mark.parametrize("kind", ["salary", "time_to_hire", "interview"])
def test_it_loads_an_artifact_saved_by_the_flat_modules_and_predicts_as_it_did(kind: str) -> None:
    text = stored_artifact(kind)
    model = KINDS[kind].load(text)

    stored, dumped = json.loads(text), json.loads(model.artifact_dumps())
    # Nothing lost or renamed on the way through; a later format may only add fields (with defaults for old models).
    assert {key: dumped.get(key) for key in stored} == stored
    if kind == "interview":
        booster, boosters = stored["interview"]["model"], {"interview": model.interview.booster}
    else:
        booster, boosters = stored["models"]["p50"], {"p50": model.boosters["p50"]}
    rows = np.random.default_rng(3).normal(size=(5, len(stored["feature_names"])))
    expected = lgb.Booster(model_str=booster).predict(rows, num_threads=1)  # the stored trees, read by LightGBM alone
    actual = next(iter(boosters.values())).predict(rows, num_threads=1)
    np.testing.assert_allclose(actual, expected)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["salary", "time_to_hire", "interview"])
def test_a_champion_stored_by_the_flat_modules_is_served_by_the_registry(kind: str) -> None:
    model_cache_clear()
    version = model_save(
        kind=kind,
        artifact=stored_artifact(kind),
        metrics={"test": {KINDS[kind].metric: 1.0}},
        params={},
        feature_names=[],
        data_fingerprint="0" * 64,
        training_seconds=1.0,
    )
    assert model_promote(candidate=version, metric=KINDS[kind].metric).promoted

    champion = champion_get(kind, load=KINDS[kind].load)

    assert champion is not None
    assert champion.version.pk == version.pk
    assert champion.fallback_from is None  # parsed, not replaced by an older version
    assert type(champion.model) is type(KINDS[kind].load(stored_artifact(kind)))
    model_cache_clear()
