"""Career progression (market.progression): the rules on a small hand-built world, the wage change and its caveats,
the skills a role adds, "not enough data", and the same functions on the real O*NET, BLS and survey data loaded
through load_reference_data (once for this module, rolled back at its end)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from market.progression import (
    CVTitle,
    OccupationInfo,
    ProgressionReference,
    SkillInfo,
    SurveyTitle,
    WageChange,
    WageRow,
    progression_build,
    role_resolve,
    role_score,
    skills_added,
    wage_change,
)
from market.progression_data import PROGRESSION_DATASETS, progression_reference, progression_reference_clear
from market.progression_rules import title_index_build, title_key
from tracking.cv.keywords import keyword_index_clear

# ---------------------------------------------------------------------------------------------------------------------
# A small world
# ---------------------------------------------------------------------------------------------------------------------

OCCUPATIONS = [
    # code, title, job zone, preferred and reported titles
    ("29-1141.00", "Registered Nurses", 4, ["Registered Nurses", "Staff Nurse", "Charge Nurse"]),
    ("29-1141.01", "Acute Care Nurses", 3, ["Acute Care Nurses"]),
    ("29-1141.04", "Clinical Nurse Specialists", 5, ["Clinical Nurse Specialists"]),
    ("29-1171.00", "Nurse Practitioners", 5, ["Nurse Practitioners", "Family Nurse Practitioner"]),
    ("29-1021.00", "Dentists, General", 5, ["Dentists, General", "Dentist"]),
    ("29-1229.00", "Physicians, All Other", None, ["Physicians, All Other", "Nurse Physician"]),
    ("11-9111.00", "Medical and Health Services Managers", 4, ["Medical and Health Services Managers"]),
    ("11-3021.00", "Computer and Information Systems Managers", 4, ["Computer and Information Systems Managers"]),
    ("11-2033.00", "Fundraising Managers", 4, ["Fundraising Managers"]),
    ("15-1252.00", "Software Developers", 4, ["Software Developers", "Software Engineer"]),
    ("15-1251.00", "Computer Programmers", 4, ["Computer Programmers", "Programmer"]),
    ("15-2051.00", "Data Scientists", 4, ["Data Scientists", "Data Scientist"]),
    ("19-3022.00", "Survey Researchers", 5, ["Survey Researchers"]),
    ("35-2014.00", "Cooks, Restaurant", 2, ["Cooks, Restaurant", "Line Cook"]),
    ("35-1011.00", "Chefs and Head Cooks", 3, ["Chefs and Head Cooks", "Executive Chef"]),
    ("35-1012.00", "First-Line Supervisors of Food Preparation and Serving Workers", 2, ["Kitchen Supervisor"]),
    ("25-2021.00", "Elementary School Teachers, Except Special Education", 4, ["Teacher"]),
    ("11-9032.00", "Education Administrators, Kindergarten through Secondary", 5, ["Principal"]),
]
ALTERNATE_TITLES = [
    ("15-2051.00", "Data Analyst"),
    ("19-3022.00", "Data Analyst"),
    ("11-9111.00", "Nurse Manager"),
    ("11-9111.00", "Director of Nursing"),
    ("11-9111.00", "Nursing Director"),
    ("11-3021.00", "Software Development Director"),
    ("11-2033.00", "Development Director"),
]
MANAGEMENT_TITLES = {
    "11-9111.00": ["Medical and Health Services Managers", "Nurse Manager", "Director of Nursing", "Nursing Director"],
    "11-3021.00": ["Computer and Information Systems Managers", "Software Development Director"],
    "11-2033.00": ["Fundraising Managers", "Development Director"],
    "35-1011.00": ["Chefs and Head Cooks", "Head Cook"],
    "35-1012.00": ["First-Line Supervisors of Food Preparation and Serving Workers", "Kitchen Supervisor"],
    "11-9032.00": ["Education Administrators, Kindergarten through Secondary", "Principal"],
}
WAGES = [
    # SOC, title, median, employment, level
    ("29-1141", "Registered Nurses", 97_550, 3_379_720, 3),
    ("29-1171", "Nurse Practitioners", 132_300, 300_000, 3),
    ("29-1021", "Dentists, General", 180_000, 100_000, 3),
    ("11-9111", "Medical and Health Services Managers", 123_860, 600_000, 3),
    ("11-3021", "Computer and Information Systems Managers", 175_140, 600_000, 3),
    ("11-2033", "Fundraising Managers", 125_470, 30_000, 3),
    ("15-1252", "Software Developers", 135_980, 1_687_890, 3),
    ("15-1251", "Computer Programmers", 99_000, 130_000, 3),
    ("15-2051", "Data Scientists", 120_230, 262_440, 3),
    ("19-3022", "Survey Researchers", 69_460, 8_290, 3),
    ("35-2014", "Cooks, Restaurant", 37_390, 1_400_000, 3),
    ("35-1011", "Chefs and Head Cooks", 62_470, 160_000, 3),
    ("35-1012", "First-Line Supervisors of Food Preparation and Serving Workers", 44_080, 1_100_000, 3),
    ("25-2021", "Elementary School Teachers, Except Special Education", 63_970, 1_388_390, 3),
    ("11-9032", "Education Administrators, Kindergarten through Secondary", 105_870, 280_000, 3),
    ("29-1000", "Healthcare Diagnosing or Treating Practitioners", 99_000, 9_000_000, 1),
    ("29-0000", "Healthcare Practitioners and Technical Occupations", 85_000, 9_900_000, 0),
    ("35-0000", "Food Preparation and Serving Related Occupations", 35_000, 13_000_000, 0),
    ("35-2000", "Cooks and Food Preparation Workers", 36_000, 3_000_000, 1),
    ("15-1250", "Software and Web Developers, Programmers, and Testers", 132_150, 2_150_380, 2),
]
SKILLS = {
    "29-1141.00": [("Epic Systems", True), ("Microsoft Excel", False)],
    "29-1171.00": [
        ("Epic Systems", True),
        ("eClinicalWorks EHR software", True),
        ("MEDITECH software", True),
        ("Microsoft Excel", False),
        ("Microsoft Access", False),
        ("Allscripts", False),
    ],
    "15-2051.00": [("Python", True), ("Tableau", True)],
    "19-3022.00": [("IBM SPSS Statistics", False), ("Qualtrics", False)],
}
SURVEY = [
    # title, answers at EN, MI, SE, EX, median salary
    ("Data Analyst", (20, 40, 40, 0), 80_000),
    ("Head of Data", (0, 1, 4, 20), 190_000),
    ("Data Lead", (0, 2, 8, 4), 160_000),
    ("Lead Data Analyst", (0, 2, 3, 0), 120_000),  # too few answers
    ("Data Science Manager", (0, 5, 30, 5), 170_000),  # "science" is not the analyst's own word
    ("Data Manager", (10, 2, 0, 0), 50_000),  # answered less often at senior level than "Data Analyst"
]


def world() -> ProgressionReference:
    reference = ProgressionReference()
    for code, title, zone, _titles in OCCUPATIONS:
        reference.occupations[code] = OccupationInfo(code, title, code[:7], zone)
    rows = [(code, title) for code, _title, _zone, titles in OCCUPATIONS for title in titles] + ALTERNATE_TITLES
    reference.codes_by_title, reference.codes_by_singular_title = title_index_build(rows)
    reference.common_titles = {code: tuple(titles) for code, _title, _zone, titles in OCCUPATIONS}
    reference.management_titles = {code: tuple(titles) for code, titles in MANAGEMENT_TITLES.items()}
    reference.skills = {
        code: tuple(SkillInfo(name.casefold(), name, hot, False) for name, hot in skills)
        for code, skills in SKILLS.items()
    }
    reference.wages = {
        soc: WageRow(soc, title, median, False, employment, level) for soc, title, median, employment, level in WAGES
    }
    reference.sector_mix = {
        "25-2021": {"61--62": 1000.0, "62--63": 10.0},
        "11-9032": {"61--62": 900.0},
        "11-9111": {"62--63": 1000.0},
        "29-1141": {"62--63": 1000.0},
    }
    reference.skills["25-2021.00"] = (SkillInfo("google classroom", "Google Classroom", False, False),)
    reference.skills["11-9032.00"] = (SkillInfo("google classroom", "Google Classroom", False, False),)
    reference.survey = {title_key(title): SurveyTitle(title, counts, median) for title, counts, median in SURVEY}
    return reference


def by_code(progression) -> dict:
    return {role.occupation.code if role.occupation else role.title: role for role in progression.roles}


def test_it_finds_a_nurses_specialisation_the_practitioners_of_its_minor_group_and_the_nurse_manager() -> None:
    progression = progression_build(titles=[CVTitle("Registered Nurse")], cv_skill_keys=set(), reference=world())

    assert progression.status == "ok"
    assert progression.current.occupation.code == "29-1141.00"
    roles = by_code(progression)
    assert set(roles) == {"29-1141.04", "29-1171.00", "11-9111.00"}
    assert [reason.rule for reason in roles["29-1141.04"].reasons] == ["specialisation"]
    assert [reason.rule for reason in roles["29-1171.00"].reasons] == ["minor_group"]
    assert "29-1000 Healthcare Diagnosing or Treating Practitioners" in roles["29-1171.00"].reasons[0].text
    manager = roles["11-9111.00"]
    assert manager.title == "Nurse Manager"
    assert [reason.rule for reason in manager.reasons] == ["management"]
    assert set(manager.also_titles) == {"Director of Nursing", "Nursing Director"}
    # Dentists share the minor group but not the nurse's words; acute care needs less preparation (zone 3); the
    # "All Other" catch-all is never a next role.
    assert not {"29-1021.00", "29-1141.01", "29-1229.00"} & set(roles)


def test_it_gives_the_bls_national_median_change_in_dollars_and_percent() -> None:
    progression = progression_build(titles=[CVTitle("Registered Nurse")], cv_skill_keys=set(), reference=world())
    practitioner = by_code(progression)["29-1171.00"]

    assert practitioner.wage == WageChange("ok", 97_550, 132_300, 34_750, pytest.approx(34_750 / 97_550), "")
    assert practitioner.job_zone_step == 1
    specialist = by_code(progression)["29-1141.04"]
    assert specialist.wage.status == "same_wage"
    assert specialist.wage.change_usd == 0
    assert "does not separate these roles" in specialist.wage.note


def test_it_says_when_bls_has_no_wage_a_top_coded_one_or_only_a_broad_groups() -> None:
    reference = world()
    nurse = reference.occupations["29-1141.00"]
    unpublished = OccupationInfo("29-9999.00", "Unpublished Workers", "29-9999", 4)
    assert wage_change(nurse, unpublished, reference).status == "unknown"
    assert "BLS publishes no national median wage for Unpublished Workers." in (
        wage_change(nurse, unpublished, reference).note
    )

    reference.wages["29-1021"] = WageRow("29-1021", "Dentists, General", None, True, 100_000)
    dentist = reference.occupations["29-1021.00"]
    top_coded = wage_change(nurse, dentist, reference)
    assert top_coded.status == "lower_bound"
    assert top_coded.change_usd == 239_200 - 97_550  # from BLS's top code ("#": 239,200 USD a year or more)
    assert "at least 239,200 USD a year" in top_coded.note
    assert wage_change(dentist, nurse, reference).status == "unknown"  # from a top-coded median: no difference

    web = OccupationInfo("15-1254.00", "Web Developers", "15-1254", 3)  # BLS publishes only its broad group here
    within_group = wage_change(reference.occupations["15-1252.00"], web, reference)
    assert (within_group.status, within_group.change_usd) == ("ok", 132_150 - 135_980)
    assert "BLS publishes Web Developers only within Software and Web Developers" in within_group.note


def test_the_skills_a_role_adds_leave_out_the_cvs_and_put_hot_technologies_first() -> None:
    reference = world()
    added, total = skills_added(
        "29-1171.00", cv_skill_keys={"epic systems"}, current_code="29-1141.00", reference=reference
    )

    assert [skill.name for skill in added] == [
        "eClinicalWorks EHR software",
        "MEDITECH software",
        "Allscripts",  # not listed for nurses either, so before what nurses already use
        "Microsoft Access",
        "Microsoft Excel",
    ]
    assert total == 5


def test_it_says_not_enough_data_when_no_title_maps_to_an_occupation() -> None:
    reference = world()
    unknown = progression_build(titles=[CVTitle("Chief Vibes Curator")], cv_skill_keys=set(), reference=reference)
    empty = progression_build(titles=[], cv_skill_keys=set(), reference=reference)

    assert (unknown.status, unknown.roles, unknown.current) == ("not_enough_data", [], None)
    assert unknown.message.startswith("Not enough data")
    assert empty.status == "not_enough_data"


def test_a_shared_title_is_read_as_the_most_employed_occupation_unless_the_cvs_skills_say_otherwise() -> None:
    reference = world()

    by_employment = role_resolve(CVTitle("Data Analyst"), reference)
    by_skills = role_resolve(CVTitle("Data Analyst"), reference, cv_skill_keys={"qualtrics", "ibm spss statistics"})

    assert (by_employment.occupation.code, by_employment.how, by_employment.alternatives) == (
        "15-2051.00",
        "most_likely",
        1,
    )
    assert by_skills.occupation.code == "19-3022.00"
    parsed = role_resolve(CVTitle("Data Analyst", occupation_code="19-3022.00", taxonomy="onet"), reference)
    assert parsed.occupation.code == "19-3022.00"  # the CV parser's own reading of the title is kept


def test_titles_are_matched_without_plurals_seniority_or_through_an_esco_label() -> None:
    reference = world()

    assert role_resolve(CVTitle("Senior Registered Nurse"), reference).occupation.code == "29-1141.00"
    esco = CVTitle("Krankenpfleger", occupation_title="registered nurse", taxonomy="esco")
    assert role_resolve(esco, reference).occupation.code == "29-1141.00"
    parsed = CVTitle("Sofware Engneer", occupation_code="15-1252.00", taxonomy="onet")  # the parser's fuzzy match
    assert (role_resolve(parsed, reference).occupation.code, role_resolve(parsed, reference).how) == (
        "15-1252.00",
        "parsed",
    )
    assert role_resolve(CVTitle("Astronaut"), reference) is None


def test_one_stray_management_title_is_no_path_and_a_lateral_move_paying_less_is_no_step() -> None:
    progression = progression_build(titles=[CVTitle("Software Developer")], cv_skill_keys=set(), reference=world())

    roles = by_code(progression)
    assert roles["11-3021.00"].title == "Software Development Director"
    assert "11-2033.00" not in roles  # "Development Director" names one of the developer's words, not two
    assert "15-1251.00" not in roles  # the same broad group and zone, and it pays less


def test_the_surveys_show_progression_where_more_senior_answers_report_the_title() -> None:
    progression = progression_build(titles=[CVTitle("Data Analyst")], cv_skill_keys=set(), reference=world())

    roles = by_code(progression)
    assert {"Head of Data", "Data Lead"} <= set(roles)
    head = roles["Head of Data"]
    assert head.occupation is None
    assert head.wage.status == "unknown"
    assert (head.survey.rows, round(head.survey.senior_share, 2), head.survey.current_rows) == (25, 0.96, 100)
    assert "25 people reported “Head of Data”, 96% of them at senior or executive level" in head.reasons[0].text
    for left_out in ("Lead Data Analyst", "Data Science Manager", "Data Manager"):
        assert left_out not in roles


def test_the_first_line_supervisors_of_the_family_and_a_head_cook_follow_a_line_cook() -> None:
    progression = progression_build(titles=[CVTitle("Line Cook")], cv_skill_keys=set(), reference=world())

    roles = by_code(progression)
    # Of the major group's two supervisor occupations, the one whose title shares most words with the cook's
    # occupation and its SOC groups ("Cooks and Food Preparation Workers").
    assert [reason.rule for reason in roles["35-1012.00"].reasons] == ["supervisor"]
    assert roles["35-1011.00"].title == "Head Cook"
    assert [reason.rule for reason in roles["35-1011.00"].reasons] == ["management"]
    assert [role.occupation.code for role in progression.roles] == ["35-1011.00", "35-1012.00"]


def test_the_managers_working_where_a_teacher_works_follow_when_no_title_names_the_role() -> None:
    teacher = progression_build(titles=[CVTitle("Teacher")], cv_skill_keys=set(), reference=world())
    nurse = progression_build(titles=[CVTitle("Registered Nurse")], cv_skill_keys=set(), reference=world())

    principal = by_code(teacher)["11-9032.00"]
    assert [reason.rule for reason in principal.reasons] == ["sector_manager"]
    assert "100% alike" in principal.reasons[0].text
    assert "sector_manager" not in {reason.rule for role in nurse.roles for reason in role.reasons}


def test_the_current_title_comes_first_and_roles_already_held_are_left_out() -> None:
    titles = [CVTitle("Registered Nurse"), CVTitle("Nurse Practitioner")]
    progression = progression_build(titles=titles, cv_skill_keys=set(), reference=world())

    assert [role.occupation.code for role in progression.history] == ["29-1141.00", "29-1171.00"]
    assert "29-1171.00" not in by_code(progression)


def test_the_ranking_weighs_zone_steps_title_words_wage_gain_and_the_rule() -> None:
    gain = WageChange("ok", 100, 150, 50, 0.5)
    assert role_score(zone_step=1, similarity_share=0.5, wage=gain, rules={"minor_group"}) == pytest.approx(3.0)
    assert role_score(zone_step=3, similarity_share=0.0, wage=gain, rules=set()) == pytest.approx(3.0)  # two steps max
    unknown = WageChange("unknown", None, None, None, None)
    assert role_score(zone_step=None, similarity_share=1.0, wage=unknown, rules={"survey"}) == pytest.approx(3.0)


# ---------------------------------------------------------------------------------------------------------------------
# The real reference data
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_reference(cast, django_db_blocker) -> Iterator[ProgressionReference]:
    """data/reference loaded through the real command once for this module (about 15 s), inside a transaction that
    is rolled back at the module's end, so no other test sees these rows. Each test's own transaction nests in it."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        with transaction.atomic():
            call_command("load_reference_data", "--only", *PROGRESSION_DATASETS, verbosity=0)
            progression_reference_clear()
            yield progression_reference()
            transaction.set_rollback(True)
        progression_reference_clear()
        keyword_index_clear()


def real(title: str, reference: ProgressionReference, *, skills: set[str] = frozenset()):
    return progression_build(titles=[CVTitle(title)], cv_skill_keys=set(skills), reference=reference)


@pytest.mark.django_db
def test_on_the_real_data_a_registered_nurse_leads_to_nurse_practitioner_and_nurse_manager(real_reference) -> None:
    progression = real("Registered Nurse", real_reference)

    assert progression.current.occupation.code == "29-1141.00"
    roles = by_code(progression)
    assert {"29-1171.00", "29-1151.00", "11-9111.00"} <= set(roles)
    practitioner = roles["29-1171.00"]
    assert practitioner.occupation.job_zone == 5
    assert practitioner.wage.status == "ok"
    assert practitioner.wage.change_usd == practitioner.wage.next_median_usd - practitioner.wage.current_median_usd
    assert practitioner.wage.change_usd > 0
    assert roles["11-9111.00"].title == "Nurse Manager"
    assert len(practitioner.skills_added) <= 8
    assert practitioner.skills_added[0].hot


@pytest.mark.django_db
def test_on_the_real_data_a_software_developer_leads_to_computer_and_information_systems_manager(
    real_reference,
) -> None:
    progression = real("Software Developer", real_reference, skills={"python"})

    roles = by_code(progression)
    assert roles["11-3021.00"].title == "Software Development Director"
    assert "Python" not in {skill.name for role in progression.roles for skill in role.skills_added}
    assert all(role.occupation is None or role.occupation.job_zone >= 4 for role in progression.roles)


@pytest.mark.django_db
def test_on_the_real_data_a_data_analyst_sees_the_surveys_senior_titles(real_reference) -> None:
    progression = real("Data Analyst", real_reference)

    surveyed = [role for role in progression.roles if role.survey is not None]
    assert surveyed
    assert all(role.survey.senior_share > role.survey.current_senior_share for role in surveyed)
    assert all(role.survey.rows >= 10 for role in surveyed)


@pytest.mark.django_db
def test_on_the_real_data_an_unknown_title_is_not_enough_data(real_reference) -> None:
    assert real("Chief Vibes Curator", real_reference).status == "not_enough_data"


# Issue 15: the skills a data scientist's and a nurse's CVs were parsed with (tracking.cv), spellings as parsed.
DATA_SCIENTIST_SKILLS = [
    {"taxonomy": "onet", "key": "python", "name": "Python", "matched_text": "Python"},
    {"taxonomy": "onet", "key": "structure query language sql", "name": "Structure query language SQL",
     "matched_text": "SQL"},
    {"taxonomy": "onet", "key": "apache airflow", "name": "Apache Airflow", "matched_text": "Apache Airflow"},
    {"taxonomy": "esco", "key": "http://data.europa.eu/esco/skill/ml", "name": "machine learning",
     "matched_text": "machine learning"},
]  # fmt: skip
NURSE_SKILLS = [{"taxonomy": "onet", "key": "microsoft excel", "name": "Microsoft Excel", "matched_text": "Excel"}]


@pytest.mark.django_db
def test_on_the_real_data_a_data_scientist_is_not_sent_to_marketing_managers(real_reference) -> None:
    from tracking.progression import cv_skill_keys

    progression = real("Data Scientist", real_reference, skills=cv_skill_keys({"skills": DATA_SCIENTIST_SKILLS}))

    assert progression.current.occupation.code == "15-2051.00"
    assert progression.roles  # still somewhere to go
    assert "11-2021.00" not in by_code(progression)  # Marketing Managers: only a sector in common
    added = {skill.name for role in progression.roles for skill in role.skills_added}
    assert "Adobe Illustrator" not in added


@pytest.mark.django_db
def test_on_the_real_data_a_skill_the_cv_holds_under_another_spelling_is_never_one_to_add(real_reference) -> None:
    from tracking.progression import cv_skill_keys

    progression = real("Data Scientist", real_reference, skills=cv_skill_keys({"skills": DATA_SCIENTIST_SKILLS}))

    added = {skill.name.casefold() for role in progression.roles for skill in role.skills_added}
    assert not {name for name in added if "query language sql" in name or name in {"python", "apache airflow"}}


@pytest.mark.django_db
def test_on_the_real_data_a_nurse_manager_does_not_ask_a_nurse_for_hadoop_maven_or_revit(real_reference) -> None:
    from tracking.progression import cv_skill_keys

    progression = real("Registered Nurse", real_reference, skills=cv_skill_keys({"skills": NURSE_SKILLS}))

    roles = by_code(progression)
    assert roles["11-9111.00"].title == "Nurse Manager"
    added = {skill.name for role in progression.roles for skill in role.skills_added}
    assert not added & {"Apache Hadoop", "Apache Maven", "Autodesk Revit"}
    assert "Microsoft Excel" not in added
