"""BLS fallback for occupations outside the surveys, currency conversion with the survey's own rates, and the
vectorised batch.

The survey rows and the BLS wages here are SIMULATED (see test_salary.simulated_rows): the tests prove the routing,
the calibration plumbing and the conversion, never accuracy. The exchange rates are the real survey-derived table.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings

from predictions import reference as reference_module
from predictions.errors import SalaryInputError
from predictions.features import MarketReference
from predictions.kinds import KINDS
from predictions.reference import fx_rates_load
from predictions.registry import model_cache_clear, model_promote, model_save
from predictions.salary.model import SalaryModel
from predictions.salary.serving import salary_predict, salary_predict_batch
from predictions.salary.training import salary_train
from tests.predictions.salary.test_salary import TINY_BUDGET, simulated_reference, simulated_rows

NURSE_SOC = "29-1141"
NURSE_NATIONAL = (66000.0, 78000.0, 93000.0, 112000.0, 135000.0)  # SIMULATED BLS wages
NURSE_CALIFORNIA = (99000.0, 120000.0, 148000.0, 175000.0, 200000.0)
NURSE_HEALTH_SECTOR = (68000.0, 80000.0, 96000.0, 115000.0, 139000.0)
SURVEY_CSV = Path(settings.BASE_DIR) / "data" / "reference" / "aijobs_salaries" / "salaries_snapshot_2023-12-31.csv"
BASE = {
    "experience_level": "SE",
    "employment_type": "FT",
    "remote_ratio": 0,
    "company_size": "M",
    "company_country": "US",
}


def fallback_reference() -> MarketReference:
    base = simulated_reference()
    return replace(
        base,
        title_occupations={**base.title_occupations, "registered nurse": ("29-1141.00", NURSE_SOC)},
        country_regions={**base.country_regions, "FR": "EU"},
        bls_national={**base.bls_national, NURSE_SOC: NURSE_NATIONAL},
        bls_state={("06", NURSE_SOC): NURSE_CALIFORNIA},
        bls_sector={("62--63", NURSE_SOC): NURSE_HEALTH_SECTOR},
        bls_state_names={"california": "06"},
        bls_sector_codes={"62": "62--63"},
        fx_per_usd=fx_rates_load(),
        country_currencies={"US": "USD", "DE": "EUR", "FR": "EUR", "GB": "GBP"},
    )


@pytest.fixture(scope="module")
def fallback_run():
    return salary_train(simulated_rows(), reference=fallback_reference(), budget=TINY_BUDGET)


@pytest.fixture
def champion(db, fallback_run, monkeypatch) -> SalaryModel:
    monkeypatch.setattr(reference_module, "_cached", fallback_reference())
    model_cache_clear()
    version = model_save(
        kind="salary",
        artifact=fallback_run.model.artifact_dumps(),
        metrics=fallback_run.metrics,
        params=fallback_run.model.params,
        feature_names=fallback_run.model.feature_names,
        data_fingerprint=fallback_run.data_fingerprint,
        training_seconds=fallback_run.training_seconds,
    )
    model_promote(candidate=version, metric=KINDS[version.kind].metric)
    yield fallback_run.model
    model_cache_clear()


def survey_rate(currency: str) -> tuple[float, int]:
    """The survey's own conversion for the currency's latest year, computed straight from the published CSV."""
    ratios: dict[int, list[float]] = {}
    with SURVEY_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["salary_currency"] == currency:
                ratios.setdefault(int(row["work_year"]), []).append(float(row["salary"]) / float(row["salary_in_usd"]))
    year = max(ratios)
    return statistics.median(ratios[year]), year


def test_it_answers_a_nurse_from_bls_wages_with_an_ordered_interval(champion) -> None:
    result = salary_predict(title="Registered Nurse", **BASE)
    assert result["method"] == "bls_fallback"
    assert result["occupation_soc_code"] == NURSE_SOC
    assert result["bls_wage_basis"] == {"area": "national", "state_fips": None, "industry_code": None}
    assert 0 < result["salary_p10_usd"] <= result["salary_p50_usd"] <= result["salary_p90_usd"]
    assert "extrapolated" not in [reason["code"] for reason in result["low_confidence_reasons"]]
    assert {f["factor"] for f in result["factors"]} == {"experience_level", "company_location"}


def test_it_answers_a_survey_title_from_the_model(champion) -> None:
    result = salary_predict(title="Data Scientist", **BASE)
    assert result["method"] == "model"
    assert result["bls_wage_basis"] is None


def test_it_uses_state_then_sector_wages_when_given(champion) -> None:
    national = salary_predict(title="Registered Nurse", **BASE)
    california = salary_predict(title="Registered Nurse", state="CA", **BASE)
    by_name = salary_predict(title="Registered Nurse", state="California", **BASE)
    health = salary_predict(title="Registered Nurse", industry="621111", **BASE)
    assert california["bls_wage_basis"]["area"] == "state"
    assert california["bls_wage_basis"]["state_fips"] == "06"
    assert by_name["salary_p50_usd"] == california["salary_p50_usd"]
    expected = NURSE_CALIFORNIA[2] / NURSE_NATIONAL[2]
    assert california["salary_p50_usd"] / national["salary_p50_usd"] == pytest.approx(expected, rel=0.01)
    assert health["bls_wage_basis"]["industry_code"] == "62--63"
    expected = NURSE_HEALTH_SECTOR[2] / NURSE_NATIONAL[2]
    assert health["salary_p50_usd"] / national["salary_p50_usd"] == pytest.approx(expected, rel=0.01)


def test_it_flags_a_fallback_outside_the_us_as_extrapolated(champion) -> None:
    result = salary_predict(title="Registered Nurse", **{**BASE, "company_country": "DE"})
    assert result["method"] == "bls_fallback"
    assert result["low_confidence"] is True
    codes = [reason["code"] for reason in result["low_confidence_reasons"]]
    assert "extrapolated" in codes
    assert result["salary_p10_usd"] <= result["salary_p50_usd"] <= result["salary_p90_usd"]


def test_it_converts_with_the_rate_the_survey_itself_used(champion) -> None:
    rate, year = survey_rate("EUR")
    result = salary_predict(title="Data Engineer", currency="eur", **BASE)
    assert (result["currency"], result["exchange_rate_year"], result["exchange_rate_source"]) == ("EUR", year, "survey")
    assert result["exchange_rate"] == pytest.approx(rate, rel=1e-6)
    unrounded = salary_predict(title="Data Engineer", **BASE)["salary_p50_usd"]
    assert result["salary_p50"] == pytest.approx(unrounded * rate, abs=100)
    assert result["salary_p10"] <= result["salary_p50"] <= result["salary_p90"]


def test_it_defaults_to_the_company_countrys_currency(champion) -> None:
    rate, _year = survey_rate("GBP")
    result = salary_predict(title="Data Analyst", **{**BASE, "company_country": "GB"})
    assert result["currency"] == "GBP"
    assert result["exchange_rate"] == pytest.approx(rate, rel=1e-6)


def test_it_answers_an_unknown_currency_in_usd_with_the_reason(champion) -> None:
    result = salary_predict(title="Data Analyst", currency="XYZ", **BASE)
    assert (result["currency"], result["exchange_rate"]) == ("USD", 1.0)
    assert result["salary_p50"] == result["salary_p50_usd"]
    assert result["low_confidence"] is True
    reasons = {reason["code"]: reason["message"] for reason in result["low_confidence_reasons"]}
    assert "XYZ" in reasons["unknown_currency"]


def test_it_gives_the_same_answers_in_one_batch_as_one_by_one(champion) -> None:
    items = [
        {"title": "Data Scientist", **BASE},
        {"title": "Registered Nurse", "state": "CA", **BASE},
        {"title": "Registered Nurse", **{**BASE, "company_country": "FR"}, "currency": "EUR"},
        {"title": "Xyzzy Wrangler", **{**BASE, "experience_level": "EN"}, "work_year": 2022},
        {"title": "Security Analyst", **{**BASE, "company_country": "IN"}, "currency": "XYZ"},
    ]
    batch = salary_predict_batch(items, explain=True)
    assert batch == [salary_predict(**item) for item in items]
    assert [r["method"] for r in batch] == ["model", "bls_fallback", "bls_fallback", "model", "model"]
    plain = salary_predict_batch(items)
    assert all(r["factors"] == [] for r in plain)
    assert [r["salary_p50_usd"] for r in plain] == [r["salary_p50_usd"] for r in batch]


def test_it_names_the_bad_field_of_a_batch_item(champion) -> None:
    with pytest.raises(SalaryInputError) as error:
        salary_predict_batch([{"title": "Data Scientist", **BASE}, {**BASE, "title": None}])
    assert error.value.field == "items[1].title"
    with pytest.raises(SalaryInputError) as error:
        salary_predict_batch([{"title": "Data Scientist", **BASE, "remote_ratio": "half"}])
    assert error.value.field == "items[0].remote_ratio"


def test_it_keeps_the_fallback_calibration_in_the_artifact_and_reports_it_on_survey_rows(fallback_run) -> None:
    loaded = SalaryModel.artifact_loads(fallback_run.model.artifact_dumps())
    assert loaded.fallback == fallback_run.model.fallback
    assert loaded.covered_socs == fallback_run.model.covered_socs
    assert not loaded.soc_is_covered(NURSE_SOC)
    assert loaded.soc_is_covered("15-2051")
    newest = fallback_run.split.folds[-1]
    by_method = fallback_run.metrics["backtest"]["years"][str(newest.year)]["candidate"]["by_method"]
    assert sum(m["rows"] for m in by_method.values()) == len(newest.test)
    assert all(0 <= m["coverage_p10_p90"] <= 100 for m in by_method.values())


def test_it_answers_an_unknown_country_with_the_reason_and_names_a_known_one(champion) -> None:
    unknown = salary_predict(title="Data Analyst", **{**BASE, "company_country": "ZZ"})
    reasons = {reason["code"]: reason["message"] for reason in unknown["low_confidence_reasons"]}
    assert unknown["low_confidence"] is True
    assert "ZZ" in reasons["unknown_country"]
    assert unknown["salary_p10_usd"] <= unknown["salary_p50_usd"] <= unknown["salary_p90_usd"]
    known = salary_predict(title="Data Analyst", **{**BASE, "company_country": "DE"})
    assert "unknown_country" not in {reason["code"] for reason in known["low_confidence_reasons"]}
