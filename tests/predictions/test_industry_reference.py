"""The salary predictor's view of industries: each SOC occupation's industry (the one employing most of it), and an
industry's BLS sector for industry-aware wages."""

from __future__ import annotations

import pytest

from market.industries import INDUSTRIES
from predictions.features import MarketReference
from predictions.reference import soc_industry_map
from predictions.salary_fallback import bls_wages, industry_code


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
