"""Occupations found for two titles compared across O*NET and ESCO (predictions/match/occupations.py), read from the
shipped crosswalk, and the title judge using it."""

from __future__ import annotations

from predictions.match import occupations
from predictions.match.judges import title_judge
from predictions.match.requirements import CVLines
from tracking.cv import keywords

ELECTRICAL_ESCO = ("esco", "http://data.europa.eu/esco/occupation/86ca306c-ab99-420a-9e2a-aa73c5c4de22")
ELECTRICAL_ONET = ("onet", "17-2071.00")


def test_an_esco_occupation_is_the_onet_one_the_crosswalk_names():
    assert occupations.relation([ELECTRICAL_ESCO], [ELECTRICAL_ONET]) == occupations.SAME
    assert occupations.relation([ELECTRICAL_ONET], [ELECTRICAL_ESCO]) == occupations.SAME


def test_two_occupations_of_one_soc_broad_group_are_related_and_others_are_not():
    assert occupations.relation([ELECTRICAL_ONET], [("onet", "17-2072.00")]) == occupations.RELATED
    assert occupations.relation([ELECTRICAL_ONET], [("onet", "29-1141.00")]) is None
    assert occupations.relation([ELECTRICAL_ESCO], [("onet", "15-2051.00")]) is None


def test_the_title_judge_meets_a_french_posting_title_with_an_english_cv_title_of_the_same_occupation():
    index = keywords.keyword_index_build(
        onet_skills=[],
        titles=[
            ("Ingénieur électricien", "esco_alt", "17-2071.00", "Electrical Engineers", "onet"),
            ("Electrical Engineer", "esco_alt", ELECTRICAL_ESCO[1], "electrical engineer", "esco"),
        ],
    )
    cv_title = {
        "title_as_written": "Electrical Engineer III",
        "taxonomy": "esco",
        "occupation_code": ELECTRICAL_ESCO[1],
        "evidence": "Electrical Engineer III, Gulf Coast Power & Light (2020 – Present)",
    }
    item = title_judge(
        posting_title="Ingénieur électricien (H/F)", cv_titles=[cv_title], lines=CVLines([]), index=index
    )
    assert item.status == "met"
    assert "Gulf Coast" in item.evidence
