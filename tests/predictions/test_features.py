"""The salary feature function on small hand-made inputs (pure: no database)."""

from __future__ import annotations

import math

import numpy as np

from predictions.features import (
    SALARY_FEATURE_NAMES,
    CategoryVocabulary,
    MarketReference,
    SalaryInput,
    category_vocabulary_build,
    salary_feature_matrix,
    salary_features,
)


def reference() -> MarketReference:
    return MarketReference(
        title_occupations={
            "data scientist": ("15-2051.00", "15-2051"),
            "data engineer": ("15-1243.00", "15-1243"),
            "wrangler": ("45-2093.00", "45-2093"),
            "staff engineer": ("17-2061.00", "17-2061"),
        },
        country_regions={"US": "NA", "DE": "EU", "IN": "APAC", "BR": None},
        bls_national={"15-2051": (60000.0, 80000.0, 110000.0, 150000.0, None)},
    )


def item(**overrides) -> SalaryInput:
    values = {
        "title": "Data Scientist",
        "experience_level": "SE",
        "employment_type": "FT",
        "remote_ratio": 50,
        "company_size": "M",
        "company_country": "US",
        "residence_country": "US",
        "work_year": 2022,
    }
    return SalaryInput(**(values | overrides))


def feature(vector: np.ndarray, name: str) -> float:
    return float(vector[SALARY_FEATURE_NAMES.index(name)])


def test_it_encodes_a_known_title_with_bls_wages_in_log_and_missing_as_nan() -> None:
    vector = salary_features(item(), reference=reference(), vocabulary=CategoryVocabulary())
    assert vector.dtype == np.float64
    assert vector.shape == (len(SALARY_FEATURE_NAMES),)
    assert feature(vector, "experience_level") == 2
    assert feature(vector, "company_size") == 1
    assert feature(vector, "remote_ratio") == 50
    assert feature(vector, "company_region") == 0
    assert feature(vector, "residence_is_company_country") == 1
    assert feature(vector, "bls_log_p50") == math.log(110000)
    assert math.isnan(feature(vector, "bls_log_p90"))  # suppressed by BLS
    assert feature(vector, "title_match_method") == 1
    assert feature(vector, "work_year") == 2022


def test_it_matches_a_near_title_fuzzily_and_rejects_a_single_shared_word() -> None:
    ref = reference()
    assert ref.title_match("Data Scientist Intern").soc_code == "15-2051"
    assert ref.title_match("Data Scientist Intern").method == "fuzzy"
    unknown = ref.title_match("Xyzzy Wrangler")
    assert (unknown.soc_code, unknown.method) == (None, "none")


def test_it_reads_a_seniority_word_as_the_level_not_the_occupation() -> None:
    ref = reference()
    # O*NET lists "staff engineer" under hardware engineers; a staff *data* engineer is a data engineer.
    assert ref.title_match("Staff Data Engineer").soc_code == "15-1243"
    assert ref.title_match("Sr. Data Scientist II").soc_code == "15-2051"
    assert ref.title_match("Senior Data Scientist").method == "exact"
    assert ref.title_match("Staff Engineer").soc_code == "17-2061"


def test_it_maps_countries_outside_the_three_markets_and_unknown_ones_to_other() -> None:
    ref = reference()
    for country in ("BR", "ZZ"):
        vector = salary_features(item(company_country=country), reference=ref, vocabulary=CategoryVocabulary())
        assert feature(vector, "company_region") == 3
        assert feature(vector, "residence_is_company_country") == 0


def test_it_leaves_unknown_titles_without_wages_and_categories_as_nan() -> None:
    vocabulary = CategoryVocabulary(titles=("data scientist",), countries=("US",))
    vector = salary_features(item(title="Xyzzy"), reference=reference(), vocabulary=vocabulary)
    assert feature(vector, "title_match_method") == 0
    assert all(math.isnan(feature(vector, f"bls_log_{p}")) for p in ("p10", "p25", "p50", "p75", "p90"))
    assert math.isnan(feature(vector, "title_category"))
    assert feature(vector, "company_country_category") == 0


def test_it_builds_the_vocabulary_from_frequent_values_only() -> None:
    items = [item()] * 3 + [item(title="Data Engineer", company_country="DE")]
    vocabulary = category_vocabulary_build(items, min_rows=2)
    assert vocabulary == CategoryVocabulary(titles=("data scientist",), countries=("US",))
    assert CategoryVocabulary.from_json(vocabulary.to_json()) == vocabulary


def test_it_stacks_rows_identically_to_single_vectors() -> None:
    ref = reference()
    items = [item(), item(title="Data Engineer", company_country="DE", residence_country="IN")]
    matrix = salary_feature_matrix(items, reference=ref, vocabulary=CategoryVocabulary())
    expected = np.vstack([salary_features(i, reference=ref, vocabulary=CategoryVocabulary()) for i in items])
    np.testing.assert_array_equal(matrix, expected)
    assert salary_feature_matrix([], reference=ref, vocabulary=CategoryVocabulary()).shape == (0, 15)


def onet_like_reference() -> MarketReference:
    """Keys as O*NET writes them (tests/... cannot load the real 47,000): a nurse title with its abbreviation in
    brackets, an inverted title with a comma, and a plain one."""
    return MarketReference(
        title_occupations={
            "registered nurse (rn)": ("29-1141.00", "29-1141"),
            "registered nurses": ("29-1141.00", "29-1141"),
            "teachers, elementary school": ("25-2021.00", "25-2021"),
            "preschool teachers": ("25-2011.00", "25-2011"),
            "data engineer": ("15-1243.00", "15-1243"),
        },
        country_regions={"US": "NA"},
        bls_national={},
    )


def test_it_matches_a_posting_title_with_a_suffix_and_brackets_to_its_occupation() -> None:
    ref = onet_like_reference()
    nurse = ref.title_match("Registered Nurse - Medical/Surgical (Nights)")
    assert (nurse.soc_code, nurse.method) == ("29-1141", "fuzzy")
    engineer = ref.title_match("Data Engineer (m/w/d)")
    assert (engineer.soc_code, engineer.method) == ("15-1243", "exact")


def test_it_gives_a_decorated_title_the_category_of_the_plain_one() -> None:
    vocabulary = category_vocabulary_build([item(title="Data Engineer")] * 20, min_rows=20)
    assert vocabulary.title_index("Data Engineer (m/w/d)") == vocabulary.title_index("Data Engineer") == 0.0
    assert vocabulary.title_index("Data Engineer - Remote") == 0.0


def test_it_matches_an_onet_title_written_as_is_before_cleaning_it() -> None:
    # Cleaning cuts at a comma ("Teachers"): the title as written is looked up first.
    match = onet_like_reference().title_match("Teachers, Elementary School")
    assert (match.soc_code, match.method) == ("25-2021", "exact")
