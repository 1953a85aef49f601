"""The seeker's corrections to a CV version: checked before anything is stored, kept with the version, and read by
the match, the salary years, the interview prediction's inputs and career paths through ``cv_parsed``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from market.models import Skill
from predictions.interview.outcomes import interview_input_for
from predictions.match.service import application_match
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, JobPostingFactory
from tracking.cv import keywords
from tracking.cv.reading import cv_parse
from tracking.cv_corrections import cv_correction_save, cv_parsed, skills_added_split
from tracking.models import CVCorrection, CVDocument
from tracking.profile import CV, experience_years_for

pytestmark = pytest.mark.django_db

# O*NET rows as market.Skill holds them (a handful of the real ones, loaded as load_reference_data would).
ONET_SKILLS = [
    ("Python", "python"),
    ("Structured query language SQL", "structured query language sql"),
    ("Tableau", "tableau"),
    ("Apache Spark", "apache spark"),
    ("Microsoft Excel", "microsoft excel"),
    ("R", "r"),
]
CV_TEXT = """Priya Raman
Data Analyst · Leeds · priya.raman@example.com

Summary
Data analyst who turns survey and sales data into decisions for retail teams.

Experience
Data Analyst, Northgate Retail — 2019 – Present
- Built weekly Tableau dashboards on store sales and stock levels
- Automated the sales reports in Python and SQL, cutting preparation from two days to two hours

Junior Analyst, Brightline Research — 2017 – 2019
- Cleaned survey data in Microsoft Excel and R for statistical analysis

Skills
Python, SQL, Tableau, Microsoft Excel, R
"""
POSTING_DESCRIPTION = """Senior Data Analyst, Harbour Foods

Requirements
- Python and SQL for analysis
- Apache Spark
- 6+ years of experience in analytics
"""
REQUIREMENTS = {"must_have": ["Python and SQL for analysis", "Apache Spark", "6+ years of experience in analytics"]}


@pytest.fixture
def market_skills(cast):
    for name, key in ONET_SKILLS:
        Skill.objects.create(taxonomy="onet", key=key, name=name)
    keywords.keyword_index_clear()
    yield
    keywords.keyword_index_clear()


@pytest.fixture
def cv(owner, market_skills) -> CVDocument:
    """The CV as the reader stores it, read by the real parser with the index built from the rows above."""
    return CVDocumentFactory(owner=owner, text=CV_TEXT, parsed=cv_parse(CV_TEXT))


@pytest.fixture
def application(owner, cv):
    posting = JobPostingFactory(
        owner=owner, title="Senior Data Analyst", description=POSTING_DESCRIPTION, requirements=REQUIREMENTS
    )
    return ApplicationFactory(owner=owner, posting=posting, cv=cv)


def skill_keys(parsed: dict) -> list[str]:
    return [skill["key"] for skill in parsed["skills"]]


def must_have(result: dict, requirement: str) -> dict:
    component = next(component for component in result["components"] if component["name"] == "must_have")
    return next(item for item in component["items"] if item["requirement"] == requirement)


def stored(cv: CVDocument) -> tuple | None:
    row = CVCorrection.objects.filter(cv=cv).values_list("skills_removed", "skills_added", "title", "years_experience")
    return row.first()


# ---------------------------------------------------------------------------------------------------------------------
# Applying a correction
# ---------------------------------------------------------------------------------------------------------------------
def test_it_reads_the_version_as_read_when_nothing_was_corrected(cv):
    assert cv_parsed(cv) == cv.parsed
    assert {"microsoft excel", "python", "r", "structured query language sql", "tableau"} <= set(
        skill_keys(cv_parsed(cv))
    )  # the skills the other tests correct (ESCO's vocabulary may add more, e.g. "stock level")


def test_it_drops_a_removed_skill_adds_one_marked_as_yours_and_puts_the_title_and_years_first(owner, cv):
    cv_correction_save(
        user=owner,
        cv=cv,
        skills_removed=["r"],
        skills_added="apache spark, Looker",
        title="Senior Data Analyst",
        years_experience="8",
    )

    parsed = cv_parsed(CVDocument.objects.get(pk=cv.pk))

    read = skill_keys(cv.parsed)
    assert "r" in read
    assert skill_keys(parsed) == [*(key for key in read if key != "r"), "apache spark", "added:looker"]
    assert parsed["skills"][-2:] == [
        {
            "name": "Apache Spark",
            "key": "apache spark",
            "taxonomy": "onet",
            "evidence": "",
            "matched_text": "apache spark",
            "added_by_you": True,
        },
        {
            "name": "Looker",
            "key": "added:looker",
            "taxonomy": "added",
            "evidence": "",
            "matched_text": "Looker",
            "added_by_you": True,
        },
    ]
    assert parsed["skills_removed"] == ["r"]
    assert parsed["titles"][0]["title_as_written"] == "Senior Data Analyst"
    assert parsed["titles"][0]["corrected"] is True
    assert [title["title_as_written"] for title in parsed["titles"][1:]] == [
        title["title_as_written"] for title in cv.parsed["titles"]
    ]
    assert (parsed["years_experience"], parsed["years_experience_corrected"]) == (8, True)
    assert cv.parsed["years_experience"] != 8
    assert CVDocument.objects.get(pk=cv.pk).parsed == cv.parsed  # the version itself is never rewritten


def test_it_replaces_the_previous_correction_and_removes_it_when_nothing_is_left(owner, cv):
    cv_correction_save(user=owner, cv=cv, skills_removed=["r"], years_experience=8)
    cv_correction_save(user=owner, cv=cv, skills_added=["Looker"])

    assert stored(cv) == ([], ["Looker"], "", None)
    assert cv_parsed(cv)["years_experience"] == cv.parsed["years_experience"]

    assert cv_correction_save(user=owner, cv=cv) is None
    assert stored(cv) is None
    assert cv_parsed(cv) == cv.parsed


def test_it_collapses_duplicates_and_skills_the_version_already_lists(owner, cv):
    cv_correction_save(
        user=owner, cv=cv, skills_added="Looker\nlooker ;  LOOKER,Tableau, sql, structured query language SQL, dbt"
    )

    assert stored(cv) == ([], ["Looker", "dbt"], "", None)


def test_it_lets_a_removed_skill_be_added_back_as_yours(owner, cv):
    cv_correction_save(user=owner, cv=cv, skills_removed=["tableau"], skills_added="Tableau")

    parsed = cv_parsed(cv)

    assert [skill["key"] for skill in parsed["skills"] if skill.get("added_by_you")] == ["tableau"]
    assert parsed["skills_removed"] == []


# ---------------------------------------------------------------------------------------------------------------------
# Validation: the field named, nothing written
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"skills_removed": ["kubernetes"]}, "skills_removed", "Only skills we found in this version can be removed."),
        ({"skills_added": ["x" * 81]}, "skills_added", "“xxxxxxxxxxxxxxxxxxxx…” is longer than 80 characters."),
        ({"skills_added": ["Py\x00thon"]}, "skills_added", "“Py\\x00thon” has characters that cannot be shown."),
        (
            {"skills_added": [f"Skill {n}" for n in range(51)]},
            "skills_added",
            "Add at most 50 skills at once; you gave 51.",
        ),
        (
            {"skills_added": ["Looker"] * 201},
            "skills_added",
            "Add at most 50 skills at once; you gave 201.",
        ),
        ({"title": "T" * 121}, "title", "Keep the job title to 120 characters."),
        ({"years_experience": "61"}, "years_experience", "Enter between 0 and 60 years."),
        ({"years_experience": "-1"}, "years_experience", "Enter between 0 and 60 years."),
        ({"years_experience": "six"}, "years_experience", "Enter the years as a whole number, e.g. 6."),
    ],
)
def test_it_refuses_invalid_input_naming_the_field_and_keeps_the_stored_correction(owner, cv, values, field, message):
    cv_correction_save(user=owner, cv=cv, skills_added="Looker", years_experience=8)
    before = stored(cv)

    with pytest.raises(ValidationError) as refused:
        cv_correction_save(user=owner, cv=cv, **({"skills_added": "dbt", "title": "Analyst"} | values))

    assert refused.value.message_dict == {field: [message]}
    assert stored(cv) == before == ([], ["Looker"], "", 8)


def test_it_collapses_up_to_two_hundred_entries_given(owner, cv):
    cv_correction_save(user=owner, cv=cv, skills_added=["Looker"] * 199 + ["dbt"])
    assert stored(cv)[1] == ["Looker", "dbt"]


def test_it_accepts_exactly_fifty_added_skills_and_the_bounds_of_the_years(owner, cv):
    cv_correction_save(user=owner, cv=cv, skills_added=[f"Skill {n}" for n in range(50)], years_experience=60)
    assert len(stored(cv)[1]) == 50
    cv_correction_save(user=owner, cv=cv, years_experience="0", title="A" * 120)
    assert stored(cv)[2:] == ("A" * 120, 0)


def test_it_refuses_a_version_that_was_not_read(owner, market_skills):
    unread = CVDocumentFactory(owner=owner, status=CVDocument.Status.UNREADABLE, parsed={})

    with pytest.raises(ValidationError) as refused:
        cv_correction_save(user=owner, cv=unread, years_experience=5)

    assert refused.value.messages == ["This version has not been read, so there is nothing to correct yet."]
    assert not CVCorrection.objects.exists()


def test_it_refuses_another_users_version(member, cv):
    with pytest.raises(PermissionError):
        cv_correction_save(user=member, cv=cv, years_experience=5)
    assert not CVCorrection.objects.exists()


def test_it_splits_skills_on_commas_semicolons_and_lines():
    assert skills_added_split(" Looker,\r\n dbt ;;Apache Spark\n\n") == ["Looker", "dbt", "Apache Spark"]


# ---------------------------------------------------------------------------------------------------------------------
# The match and the predictions read the corrected data
# ---------------------------------------------------------------------------------------------------------------------
def test_adding_a_missing_required_skill_meets_it_and_raises_the_match_score(owner, cv, application):
    before = application_match(user=owner, application_id=application.pk)
    assert must_have(before, "Apache Spark")["status"] == "missing"

    cv_correction_save(user=owner, cv=cv, skills_added="Apache Spark")
    after = application_match(user=owner, application_id=application.pk)

    assert must_have(after, "Apache Spark") | {"points": None, "max_points": None} == {
        "requirement": "Apache Spark",
        "status": "met",
        "evidence": "Apache Spark",
        "section": "Added by you",
        "points": None,
        "max_points": None,
        "industry_share": None,
    }
    assert after["score"] > before["score"]


def test_removing_a_skill_the_cv_names_stops_it_meeting_a_requirement(owner, cv, application):
    application.posting.requirements = {"must_have": ["Tableau"], "nice_to_have": []}
    application.posting.save(update_fields=["requirements"])
    assert must_have(application_match(user=owner, application_id=application.pk), "Tableau")["status"] == "met"

    cv_correction_save(user=owner, cv=cv, skills_removed=["tableau"])

    assert must_have(application_match(user=owner, application_id=application.pk), "Tableau")["status"] == "missing"


def test_the_interview_prediction_input_uses_the_corrected_years(owner, cv, application):
    read_years = cv.parsed["years_experience"]
    before = interview_input_for(application)
    assert before.experience_gap_years == float(read_years - 6)

    cv_correction_save(user=owner, cv=cv, years_experience=11)
    application.refresh_from_db()

    assert interview_input_for(application).experience_gap_years == 5.0


def test_the_salary_estimate_reads_the_corrected_years_from_the_pinned_and_the_newest_version(owner, cv):
    cv_correction_save(user=owner, cv=cv, years_experience=12)

    assert experience_years_for(owner, cv=CVDocument.objects.get(pk=cv.pk)).years == 12
    newest = experience_years_for(owner)
    assert (newest.years, newest.source, newest.cv_version) == (12, CV, cv.version)
