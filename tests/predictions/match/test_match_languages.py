"""Issue 15: postings read in en, de, fr, es and ja; requirements that are noun phrases (never salaries, benefits,
company blurbs or split-up words); degrees with subject lists, "related field" and higher degrees; years from dated
roles with the role line as evidence; and the match across languages. Pure: a small keyword index, no database."""

from __future__ import annotations

import pytest

from predictions.match import concepts
from predictions.match.scoring import match_score
from tests.predictions.match import samples
from tests.predictions.match.test_match import ESCO_ML, TODAY, cv_parsed
from tracking.cv import keywords
from tracking.requirements import is_requirement, requirements_split

ONET_SKILLS = [
    ("Python", "python"),
    ("Structured query language SQL", "structured query language sql"),
    ("Apache Airflow", "apache airflow"),
    ("Apache Spark", "apache spark"),
]
TITLES = [("Data Scientist", "reported", "15-2051.00", "Data Scientists", "onet")]


@pytest.fixture(scope="module")
def index() -> keywords.KeywordIndex:
    return keywords.keyword_index_build(onet_skills=ONET_SKILLS, titles=TITLES, esco_skills=ESCO_ML)


def match(posting: str, cv: str, index, *, requirements: dict | None = None, title: str | None = None) -> dict:
    return match_score(
        cv_readable=True,
        cv_text=cv,
        cv_parsed=cv_parsed(cv, index),
        posting_title=title if title is not None else posting.splitlines()[0],
        posting_description=posting,
        requirements=requirements_split(posting) if requirements is None else requirements,
        index=index,
        today=TODAY,
    )


def items(result: dict, name: str) -> dict[str, dict]:
    component = next(component for component in result["components"] if component["name"] == name)
    return {item["requirement"]: item for item in component["items"]}


# ---------------------------------------------------------------------------------------------------------------------
# Reading a posting
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("posting", "expected"),
    [
        (
            samples.POSTING_EN,
            {
                "must_have": [
                    "3+ years as a data scientist",
                    "Solid grounding in statistics",
                    "Bachelor's in Statistics, CS, Mathematics or related field",
                    "Python and SQL",
                ],
                "nice_to_have": ["Experience with Apache Airflow"],
            },
        ),
        (
            samples.POSTING_DE,
            {
                "must_have": [
                    "Abgeschlossenes Studium (Master oder Diplom) in Statistik, Mathematik, Informatik oder einem "
                    "vergleichbaren Fach",
                    "Mindestens 3 Jahre Berufserfahrung als Data Scientist",
                    "Sehr gute Kenntnisse in Python und SQL",
                    "Fundierte Kenntnisse in Statistik und maschinellem Lernen",
                ],
                "nice_to_have": [
                    "Erfahrung mit Apache Airflow würden wir begrüßen",
                    "Erfahrung im Einzelhandel",
                    "Kenntnisse in Apache Spark",
                ],
            },
        ),
        (
            samples.POSTING_FR,
            {
                "must_have": [
                    "Master en statistiques ou mathématiques",
                    "3 ans d'expérience minimum en tant que data scientist",
                    "Maîtrise de Python et SQL",
                    "Connaissances en apprentissage automatique",
                ],
                "nice_to_have": ["Expérience avec Apache Spark", "Connaissance de Airflow de préférence"],
            },
        ),
        (
            samples.POSTING_ES,
            {
                "must_have": [
                    "Grado en Estadística, Matemáticas o Informática",
                    "Al menos 3 años de experiencia como científico de datos",
                    "Python y SQL",
                    "Conocimientos de aprendizaje automático",
                ],
                "nice_to_have": ["Experiencia con Apache Spark"],
            },
        ),
        (
            samples.POSTING_JA,
            {
                "must_have": [
                    "データサイエンティストとしての実務経験3年以上",
                    "PythonおよびSQLを用いたデータ分析経験",
                    "統計学の知識",
                    "機械学習モデルの開発経験",
                    "学士(統計学、数学、情報科学など)",
                ],
                "nice_to_have": ["Apache Sparkの利用経験", "修士号"],
            },
        ),
    ],
    ids=["en", "de", "fr", "es", "ja"],
)
def test_it_reads_must_haves_and_nice_to_haves_under_each_languages_headings(posting, expected):
    assert requirements_split(posting) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Required skills:\n- Go\n- Docker experience is a plus",
            {"must_have": ["Go"], "nice_to_have": ["Docker experience is a plus"]},
        ),
        (
            "Ihr Profil\n- Python\n- idealerweise Erfahrung mit dbt",
            {"must_have": ["Python"], "nice_to_have": ["idealerweise Erfahrung mit dbt"]},
        ),
        (
            "Profil recherché :\n- SQL\n- Spark de préférence",
            {"must_have": ["SQL"], "nice_to_have": ["Spark de préférence"]},
        ),
        ("Requisitos:\n- SQL\n- Se valorará Spark", {"must_have": ["SQL"], "nice_to_have": ["Se valorará Spark"]}),
        ("■必須スキル\n・SQL\n・Sparkの経験歓迎", {"must_have": ["SQL"], "nice_to_have": ["Sparkの経験歓迎"]}),
        ("応募資格：Pythonの実務経験", {"must_have": ["Pythonの実務経験"], "nice_to_have": []}),
        (
            "Ihre Aufgaben\n- Sie entwickeln Modelle mit Python\nAnforderungen\n- SQL",
            {"must_have": ["SQL"], "nice_to_have": []},
        ),
    ],
    ids=[
        "en-inline-cue",
        "de-idealerweise",
        "fr-de-preference",
        "es-se-valorara",
        "ja-kangei",
        "ja-inline",
        "de-duties",
    ],
)
def test_inline_cues_decide_nice_to_have_and_duties_are_never_requirements(text, expected):
    assert requirements_split(text) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Compensation: $125,000 – $155,000",
        "Sign-on bonus available",
        "30 Tage Urlaub",
        "Gehalt: 65.000 – 80.000 € brutto im Jahr",
        "Rémunération : 55 000 € – 65 000 € par an",
        "Salario: 45.000 € brutos anuales",
        "年収800万円～1200万円",
        "福利厚生：社会保険完備",
        "We are a fast-growing logistics platform",
        "Wir sind einer der größten Händler",
        "und",
        "mit",
        "Solid,",
    ],
)
def test_salaries_benefits_blurbs_and_lone_function_words_are_never_requirements(line):
    posting = f"Requirements\n- {line}\nNice to have\n- {line}"

    assert is_requirement(line) is False
    assert requirements_split(posting) == {"must_have": [], "nice_to_have": []}


def test_old_requirement_lists_with_a_salary_and_a_bonus_are_cleaned_before_the_match(index):
    stored = {"must_have": ["Python"], "nice_to_have": ["Compensation: $125,000 – $155,000", "Sign-on bonus available"]}

    result = match(samples.POSTING_EN, samples.CV_EN, index, requirements=stored)

    nice = next(component for component in result["components"] if component["name"] == "nice_to_have")
    assert (nice["judged"], nice["items"]) == (False, [])
    assert not any("bonus" in change["message"] or "$" in change["message"] for change in result["changes"])


# ---------------------------------------------------------------------------------------------------------------------
# Gaps in the requirement's own words
# ---------------------------------------------------------------------------------------------------------------------
def test_a_gap_is_the_requirement_as_written_never_its_split_up_words(index):
    cv = "Sam Jones\nGardener\n\nExperience\nGardener, Parks Dept (2015 – 2020)\n\nSkills\nPruning"
    requirements = {
        "must_have": ["Solid grounding in statistics", "Bachelor's degree in Computer Science or related field"],
        "nice_to_have": [],
    }

    result = match("Data Scientist", cv, index, requirements=requirements)

    messages = [change["message"] for change in result["changes"] if change["component"] == "must_have"]
    assert messages == [
        "The posting asks for: Solid grounding in statistics. Your CV does not show it — a gap to close, do not add "
        "it unless you have the experience.",
        "The posting asks for: Bachelor's degree in Computer Science or related field. Your CV does not show it — a "
        "gap to close, do not add it unless you have the experience.",
    ]


def test_a_german_gap_reads_as_the_german_requirement(index):
    cv = samples.CV_EN.replace("Apache Airflow, ", "")

    result = match(samples.POSTING_DE, cv, index)

    nice = items(result, "nice_to_have")
    assert nice["Erfahrung mit Apache Airflow würden wir begrüßen"]["status"] == "missing"
    messages = " ".join(change["message"] for change in result["changes"])
    assert "The posting would value: Erfahrung mit Apache Airflow würden wir begrüßen." in messages
    assert "würde" not in messages.replace("würden wir begrüßen", "")
    assert ", mit," not in messages
    assert "und begrüßen" not in messages


# ---------------------------------------------------------------------------------------------------------------------
# Degrees
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("education", "status"),
    [
        ("M.S. in Statistics, Boston University, 2018\nB.S. in Mathematics, University of Vermont, 2016", "met"),
        ("B.S. in Mathematics, University of Vermont, 2016", "met"),
        ("Ph.D. in Physics, MIT, 2020", "met"),  # a higher degree in a related quantitative field
        ("B.A. in History, Yale, 2012", "partial"),
        ("Associate of Arts, 2012", "missing"),
    ],
    ids=["bs-math-plus-ms-stats", "bs-math", "phd-physics-related", "ba-history", "no-degree"],
)
def test_a_degree_requirement_understands_subject_lists_related_fields_and_higher_degrees(index, education, status):
    cv = f"Jane Doe\nData Scientist\n\nEducation\n{education}\n"
    requirement = "Bachelor's in Statistics, CS, Mathematics or related field"

    result = match("Data Scientist", cv, index, requirements={"must_have": [requirement], "nice_to_have": []})

    assert items(result, "must_have")[requirement]["status"] == status


def test_a_bs_in_mathematics_and_an_ms_in_statistics_fully_meet_the_bachelors_requirement_with_both_as_evidence(index):
    requirement = "Bachelor's in Statistics, CS, Mathematics or related field"

    result = match(samples.POSTING_EN, samples.CV_EN, index)

    assert items(result, "must_have")[requirement] | {"points": None} == {
        "requirement": requirement,
        "status": "met",
        "evidence": "M.S. in Statistics, Boston University, 2018 | B.S. in Mathematics, University of Vermont, 2016",
        "section": "Education",
        "points": None,
        "max_points": 13.9,
        "industry_share": None,
    }


@pytest.mark.parametrize(
    ("posting", "cv", "requirement"),
    [
        (samples.POSTING_DE, samples.CV_DE, "Abgeschlossenes Studium (Master oder Diplom) in Statistik, Mathematik, "
         "Informatik oder einem vergleichbaren Fach"),
        (samples.POSTING_DE, samples.CV_EN, "Abgeschlossenes Studium (Master oder Diplom) in Statistik, Mathematik, "
         "Informatik oder einem vergleichbaren Fach"),
        (samples.POSTING_FR, samples.CV_FR, "Master en statistiques ou mathématiques"),
        (samples.POSTING_ES, samples.CV_ES, "Grado en Estadística, Matemáticas o Informática"),
        (samples.POSTING_JA, samples.CV_JA, "学士(統計学、数学、情報科学など)"),
        (samples.POSTING_JA, samples.CV_EN, "学士(統計学、数学、情報科学など)"),
    ],
    ids=["de-de", "de-en", "fr-fr", "es-es", "ja-ja", "ja-en"],
)  # fmt: skip
def test_degrees_are_read_in_each_language(index, posting, cv, requirement):
    assert items(match(posting, cv, index), "must_have")[requirement]["status"] == "met"


# ---------------------------------------------------------------------------------------------------------------------
# Years from dated roles
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cv", "role_line"),
    [
        (samples.CV_EN, "Data Scientist, Shipwise (2019 – Present)"),
        (samples.CV_DE, "03/2019 – heute  Data Scientist, Handelshaus Süd GmbH"),
        (samples.CV_JA, "2019年4月～現在 株式会社サンプル データサイエンティスト"),
        (samples.CV_FR, "janv. 2020 – aujourd'hui  Data Scientist, Banque Exemple"),
        (samples.CV_ES, "2018 – actualidad  Científica de datos, Modas Ejemplo"),
    ],
    ids=["present", "heute", "genzai", "aujourdhui", "actualidad"],
)
def test_years_as_a_data_scientist_are_judged_from_the_role_line_never_the_contact_line(index, cv, role_line):
    requirement = "3+ years as a data scientist"

    result = match("Data Scientist", cv, index, requirements={"must_have": [requirement], "nice_to_have": []})

    for name in ("must_have", "experience"):
        judged = items(result, name)[requirement]
        assert (judged["status"], judged["evidence"]) == ("met", role_line)
        assert "@" not in judged["evidence"]


def test_overlapping_roles_are_counted_once_and_only_the_roles_asked_for_count(index):
    cv = (
        "Ann Lee\nann@example.com\n\nExperience\n"
        "Data Scientist, Acme (2018 – 2022)\nData Scientist (part-time), Beta (2020 – 2023)\n"
        "Barista, Coffee Co (2010 – 2018)\n"
    )
    requirement = "6+ years as a data scientist"

    result = match("Data Scientist", cv, index, requirements={"must_have": [requirement], "nice_to_have": []})

    judged = items(result, "experience")[requirement]
    assert judged["status"] == "partial"  # 2018-2023 is five years, not seven; the barista years do not count
    assert judged["points"] == round(judged["max_points"] * 5 / 6, 1)
    assert judged["evidence"] == "Data Scientist, Acme (2018 – 2022) | Data Scientist (part-time), Beta (2020 – 2023)"


# ---------------------------------------------------------------------------------------------------------------------
# The match across languages
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("posting", "cv"),
    [
        (samples.POSTING_JA, samples.CV_EN),
        (samples.POSTING_JA, samples.CV_JA),
        (samples.POSTING_DE, samples.CV_EN),
        (samples.POSTING_DE, samples.CV_DE),
        (samples.POSTING_EN, samples.CV_JA),
        (samples.POSTING_FR, samples.CV_EN),
        (samples.POSTING_ES, samples.CV_ES),
    ],
    ids=["ja-en", "ja-ja", "de-en", "de-de", "en-ja", "fr-en", "es-es"],
)
def test_a_data_scientist_cv_matches_a_data_scientist_posting_in_any_of_the_five_languages(index, posting, cv):
    result = match(posting, cv, index)

    must = items(result, "must_have")
    assert len(must) >= 4  # the must-haves are found, not only the title
    assert sum(item["status"] == "met" for item in must.values()) >= len(must) - 1
    assert items(result, "title")[posting.splitlines()[0]]["status"] == "met"
    assert result["score"] >= 70


def test_a_japanese_posting_is_not_a_perfect_match_for_a_gardener(index):
    cv = "Sam Jones\nGardener\n\nExperience\nGardener, Parks Dept (2015 – 2020)\n\nSkills\nPruning"

    result = match(samples.POSTING_JA, cv, index)

    assert result["score"] < 20
    assert all(item["status"] == "missing" for item in items(result, "must_have").values())


def test_the_concept_seam_takes_another_synonym_map(index):
    requirement = "Kenntnisse in Zeitreihenanalyse"
    cv = "Jane Doe\n\nExperience\nAnalyst, Acme (2019 – 2024)\n- time series analysis of sales\n"
    requirements = {"must_have": [requirement], "nice_to_have": []}
    before = items(match("Analyst", cv, index, requirements=requirements), "must_have")[requirement]["status"]

    table = {"zeitreihenanalyse": "time series", "time series analysis": "time series"}
    concepts.concept_source_set(lambda phrase: table.get(phrase.casefold()))
    try:
        after = items(match("Analyst", cv, index, requirements=requirements), "must_have")[requirement]["status"]
    finally:
        concepts.concept_source_set(None)

    assert (before, after) == ("missing", "met")


def test_years_of_a_skill_no_dated_role_names_count_every_role_but_only_partly(index):
    cv = "Ann Lee\n\nExperience\nAnalyst, Acme (2015 – 2024)\n- weekly reports\n\nSkills\nPython"
    requirement = "5+ years of Python"

    result = match("Analyst", cv, index, requirements={"must_have": [requirement], "nice_to_have": []})

    judged = items(result, "experience")[requirement]
    assert (judged["status"], judged["evidence"]) == ("partial", "Analyst, Acme (2015 – 2024) | Python")
    assert judged["points"] == round(judged["max_points"] / 2, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ihr Profil\n- Erfahrung mit relationalen Datenbanken, idealerweise PostgreSQL",
            {"must_have": ["Erfahrung mit relationalen Datenbanken, idealerweise PostgreSQL"], "nice_to_have": []},
        ),
        (
            "Requirements\n- SQL\nWhat's in it for you\n- Hybrid in Seattle, WA",
            {"must_have": ["SQL"], "nice_to_have": []},
        ),
        ("Requisitos\n- SQL\nCondiciones\n- Jornada intensiva en verano", {"must_have": ["SQL"], "nice_to_have": []}),
        ("Requirements\n- SQL\nDesirable Qualifications\n- GIS", {"must_have": ["SQL"], "nice_to_have": ["GIS"]}),
        ("Wir bieten\n- 13. Monatsgehalt", {"must_have": [], "nice_to_have": []}),
    ],
    ids=["de-preferred-detail-of-a-must-have", "en-work-arrangement", "es-conditions", "en-desirable", "de-compound"],
)
def test_a_preferred_detail_stays_must_have_and_work_conditions_are_never_requirements(text, expected):
    assert requirements_split(text) == expected


@pytest.mark.parametrize(
    ("phrase", "concept"),
    [
        ("Datenvisualisierung", "data visualisation"),  # only in the CV side's concept file
        ("visualización de datos", "data visualisation"),
        ("Verarbeitung natürlicher Sprache", "natural language processing"),
        ("自然言語処理", "natural language processing"),
        ("maschinellem Lernen", "machine learning"),  # only in the match's table of inflected forms
        ("R", "r"),
        ("r", None),  # an acronym or a one-letter language is read only as written
        ("excel", None),  # "excel at": an ordinary word, left to the keyword index's case rules
    ],
)
def test_it_reads_concepts_from_the_cv_sides_concept_file_and_the_match_table(phrase, concept):
    assert concepts.skill_concept(phrase) == concept


def test_it_cuts_a_japanese_line_at_the_concept_files_words():
    assert "自然言語処理" in concepts.segment("自然言語処理の実務経験").split()


@pytest.mark.parametrize(
    ("found", "shown"),
    [
        ("データ 分析", "データ分析"),
        ("SQL による データ 分析", "SQLによるデータ分析"),
        ("machine learning", "machine learning"),
    ],
)
def test_a_japanese_skill_is_shown_as_written_not_as_cut(found, shown):
    from predictions.match.requirements import label_unsegmented

    assert label_unsegmented(found) == shown


# ---------------------------------------------------------------------------------------------------------------------
# A product written with and without its maker; years asked in another language than the CV's
# ---------------------------------------------------------------------------------------------------------------------
POSTING_GRID_DE = """Ingenieur (m/w/d) Netzplanung Hochspannung
Ihr Profil
- Mindestens 3 Jahre Berufserfahrung in der Netzplanung oder im Anlagenbau
- Sichere Kenntnisse in DIgSILENT PowerFactory
"""
CV_GRID_FR = """Camille Laurent
Ingénieure électricienne – réseaux et postes HTB
Lyon · camille.laurent@example.fr

Expérience professionnelle
Ingénieure études réseaux, RTE, Lyon (2019 – aujourd'hui)
• Études de raccordement et calculs de répartition de charge sous PowerFactory
• Plans de protection des postes 225 kV

Compétences
Réseaux électriques, protection, PowerFactory, AutoCAD Electrical
"""


@pytest.fixture(scope="module")
def grid_index() -> keywords.KeywordIndex:
    return keywords.keyword_index_build(
        onet_skills=[*ONET_SKILLS, ("DIgSILENT PowerFactory", "digsilent powerfactory")], titles=TITLES
    )


def test_a_product_the_posting_writes_with_its_maker_is_met_by_the_cv_writing_it_alone(grid_index):
    item = items(match(POSTING_GRID_DE, CV_GRID_FR, grid_index), "must_have")[
        "Sichere Kenntnisse in DIgSILENT PowerFactory"
    ]
    assert item["status"] == "met"
    assert "PowerFactory" in item["evidence"]


def test_years_asked_in_another_language_count_the_dated_roles_at_most_half(grid_index):
    result = match(POSTING_GRID_DE, CV_GRID_FR, grid_index)
    item = items(result, "experience")["Mindestens 3 Jahre Berufserfahrung in der Netzplanung oder im Anlagenbau"]
    assert item["status"] == "partial"  # seven years of roles, but "Netzplanung" cannot be compared with French
    assert "RTE" in item["evidence"]


def test_years_asked_in_the_cvs_language_for_a_field_it_lacks_stay_missing(grid_index):
    posting = "Pflegefachkraft (m/w/d)\nIhr Profil\n- Mindestens 3 Jahre Berufserfahrung in der Intensivpflege\n"
    cv_de = (
        "Jonas Weber\nNetzplaner\n\nBerufserfahrung\nNetzplaner, Stadtwerke Köln (2019 – heute)\n"
        "• Lastflussberechnungen und Netzplanung Hochspannung\n"
    )
    item = items(match(posting, cv_de, grid_index), "experience")[
        "Mindestens 3 Jahre Berufserfahrung in der Intensivpflege"
    ]
    assert item["status"] == "missing"


@pytest.mark.parametrize(
    ("heading", "nice_heading"),
    [
        ("Erforderlich:", "Wünschenswert:"),
        ("What you'll need", "Desired"),
        ("Requis :", "Optionnel :"),
        ("Requerido:", "Deseables:"),
    ],
)
def test_more_must_have_headings_are_read_in_each_language(heading, nice_heading):
    posting = (
        f"Intro line.\n\n{heading}\n- Kenntnisse der IATF 16949\n- SAP S/4HANA\n\n{nice_heading}\n- Reisebereitschaft\n"
    )
    assert requirements_split(posting) == {
        "must_have": ["Kenntnisse der IATF 16949", "SAP S/4HANA"],
        "nice_to_have": ["Reisebereitschaft"],
    }
