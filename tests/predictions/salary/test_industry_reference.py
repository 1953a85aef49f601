# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The salary predictor's view of industries: each SOC occupation's industry (the one employing most of it), and an
industry's BLS sector for industry-aware wages."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from market.industries import INDUSTRIES
from predictions.features import MarketReference, salary_feature_matrix
from predictions.reference import soc_industry_map
from predictions.salary import model as salary_module
from predictions.salary.fallback import bls_wages, industry_code
from predictions.salary.model import row_industries
from predictions.salary.serving import salary_predict
from tests.predictions.salary.test_salary import simulated_reference, simulated_rows
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    SALARY_REQUEST,
    salary_champion,
    salary_reference,
    salary_run,
)


def test_an_occupation_belongs_to_the_industry_employing_most_of_it() -> None:
    rows = [
        ("15-1252", "technology", 900_000),
        ("15-1252", "finance-insurance", 200_000),
        ("29-1141", "healthcare", 2_500_000),
        ("13-2011", "finance-insurance", 300_000),
        ("13-2011", "professional-services", 300_000),  # a tie: the first code alphabetically
    ]

    assert soc_industry_map(rows) == {
        "15-1252": "technology",
        "29-1141": "healthcare",
        "13-2011": "finance-insurance",
    }


def reference() -> MarketReference:
    return MarketReference(
        title_occupations={},
        country_regions={},
        bls_national={"29-1141": (60000.0, 70000.0, 90000.0, 110000.0, 130000.0)},
        bls_sector={("62--63", "29-1141"): (66000.0, 77000.0, 99000.0, 121000.0, 143000.0)},
        bls_sector_codes={"62": "62--63"},
        industry_sectors={definition.code: definition.sources[0].oews_code for definition in INDUSTRIES},
    )


def test_an_industry_code_names_its_first_bls_sector() -> None:
    ref = reference()

    assert industry_code("healthcare", ref) == "62--63"
    assert industry_code("62", ref) == "62--63"
    assert industry_code("unknown-industry", ref) is None
    assert industry_code("", ref) is None


def test_bls_wages_for_an_industry_follow_its_sector() -> None:
    ref = reference()

    national = bls_wages(ref, "29-1141")
    healthcare = bls_wages(ref, "29-1141", industry=industry_code("healthcare", ref))

    assert national.industry_code is None
    assert healthcare.industry_code == "62--63"
    assert healthcare.log_p50 - national.log_p50 == pytest.approx(0.0953, abs=1e-3)  # log(99,000 / 90,000)


@pytest.mark.django_db
def test_a_survey_model_range_moves_by_what_bls_pays_the_occupation_in_the_industrys_sector(
    salary_champion, salary_reference
) -> None:
    salary_reference.bls_sector = {("52--53", "15-2051"): (72000.0, 88000.0, 121000.0, 165000.0, 199500.0)}
    salary_reference.industry_sectors = {"finance-insurance": "52--53", "healthcare": "62--63"}

    plain = salary_predict(**SALARY_REQUEST)
    finance = salary_predict(**SALARY_REQUEST, industry="finance-insurance")
    healthcare = salary_predict(**SALARY_REQUEST, industry="healthcare")  # BLS has no wages for it in that sector

    assert plain["method"] == finance["method"] == "model"
    assert finance["industry_adjustment"] == "52--53"
    assert finance["salary_p10_usd"] == pytest.approx(plain["salary_p10_usd"] * 1.2, abs=100)
    assert finance["salary_p50_usd"] == pytest.approx(plain["salary_p50_usd"] * 1.1, abs=100)
    assert finance["salary_p90_usd"] == pytest.approx(plain["salary_p90_usd"] * 1.05, abs=100)
    assert any(factor["factor"] == "industry" and factor["effect_usd"] > 0 for factor in finance["factors"])
    assert plain["industry_adjustment"] is None
    assert healthcare["industry_adjustment"] is None
    assert healthcare["salary_p50_usd"] == plain["salary_p50_usd"]


def test_an_industry_with_its_own_margin_widens_its_rows_and_only_theirs(salary_run, salary_reference) -> None:
    model = salary_run.model
    rows = simulated_rows(n=4, seed=3)
    x = salary_feature_matrix([r.as_input() for r in rows[:1]], reference=salary_reference, vocabulary=model.vocabulary)
    margins = dict(model.margins)
    try:
        model.margins = {**margins, "industry:technology": margins["global"] + 0.5}
        plain = model.predict_log(x, ["NA"])
        tech = model.predict_log(x, ["NA"], ["technology"])
        other = model.predict_log(x, ["NA"], ["healthcare"])  # no margin of its own: its region's
    finally:
        model.margins = margins

    assert tech[0][0] < plain[0][0]
    assert tech[2][0] > plain[2][0]
    assert tech[1][0] == plain[1][0]
    assert [part[0] for part in other] == [part[0] for part in plain]


def test_calibration_gives_an_industry_its_own_margin_only_from_enough_rows(salary_run) -> None:
    rows = simulated_rows(n=400, seed=21)
    reference = replace(simulated_reference(), soc_industry={"15-2051": "technology", "15-1212": "public-sector"})
    model = salary_run.model
    x = salary_feature_matrix([r.as_input() for r in rows], reference=reference, vocabulary=model.vocabulary)
    y = np.log([r.salary_usd for r in rows])

    margins, counts = salary_module._calibrate(model, rows, x, y, reference=reference)

    industries = row_industries(rows, reference)
    for code in ("technology", "public-sector"):
        n = industries.count(code)
        assert (f"industry:{code}" in margins) == (n >= salary_module.MIN_CALIBRATION_ROWS)
        if n >= salary_module.MIN_CALIBRATION_ROWS:
            assert counts[f"industry:{code}"] == n
    assert not any(key.startswith("industry:") and key[9:] not in {"technology", "public-sector"} for key in margins)
