"""Industries and their keyword databases: occupation weights from BLS sectors (narrowed by SOC group where sectors
are shared), skill and title weights, distinctive task words, ESCO links, versioned builds (skipped when the sources
are unchanged, one current, old versions pruned), the cached profiles and industry detection from text."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone

from market import keyword_databases as kdb
from market.industries import INDUSTRIES, INDUSTRY_CODES, IndustryDefinition, SectorSource, occupation_weights
from market.models import (
    Industry,
    IndustryKeyword,
    IndustryOccupation,
    KeywordDatabase,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    ReferenceDataset,
    Skill,
    SynonymGroup,
    SynonymTerm,
    Taxonomy,
    WagePercentile,
)
from market.text import title_normalize
from tests.accounts.factories import StaffUserFactory
from tests.conftest import PASSWORD, PUBLIC_HOST

# ---------------------------------------------------------------------------------------------------------------------
# Pure parts
# ---------------------------------------------------------------------------------------------------------------------


def test_the_issues_ten_industries_and_logistics_each_have_a_sector() -> None:
    assert len(INDUSTRIES) == 11
    assert len(set(INDUSTRY_CODES)) == 11
    assert {"healthcare", "technology", "transportation-logistics", "energy-utilities"} <= set(INDUSTRY_CODES)
    assert all(definition.sources for definition in INDUSTRIES)


def test_occupation_weights_narrow_shared_sectors_and_skip_suppressed_counts() -> None:
    definition = IndustryDefinition(
        "technology", "Technology", "", "51, 54", (SectorSource("51--52"), SectorSource("54--55", ("15-",)))
    )
    rows = [
        ("51--52", "15-1252", "Software Developers", 300),
        ("51--52", "27-3031", "Public Relations Specialists", 100),
        ("54--55", "15-1252", "Software Developers", 500),
        ("54--55", "23-1011", "Lawyers", 900),  # sector 54, but not a computer occupation
        ("62--63", "29-1141", "Registered Nurses", 5000),  # another sector
        ("51--52", "15-1211", "Computer Systems Analysts", None),  # suppressed by BLS
    ]

    weights = occupation_weights(definition, rows)

    assert [(w.soc_code, w.employment) for w in weights] == [("15-1252", 800), ("27-3031", 100)]
    assert weights[0].share == pytest.approx(800 / 900)


def test_an_oews_code_o_net_does_not_use_is_spread_over_its_broad_group() -> None:
    onet = {"31-1121": ["31-1121.00"], "31-1122": ["31-1122.00"], "29-1141": ["29-1141.00"]}

    shares = kdb.onet_shares({"31-1120": 0.4, "29-1141": 0.5, "99-9990": 0.1}, onet)

    assert shares == pytest.approx({"31-1121.00": 0.2, "31-1122.00": 0.2, "29-1141.00": 0.5})


def test_skill_weights_are_the_shares_of_the_occupations_listing_them() -> None:
    shares = kdb.onet_shares(
        {"15-1252": 0.6, "13-2072": 0.4, "99-9999": 0.1},
        {"15-1252": ["15-1252.00"], "13-2072": ["13-2072.00", "13-2072.01"]},
    )
    assert shares == pytest.approx({"15-1252.00": 0.6, "13-2072.00": 0.2, "13-2072.01": 0.2})

    weights = kdb.skill_weights(
        shares, {"15-1252.00": ["Python", "SQL", "SQL"], "13-2072.00": ["SQL", "Excel"], "13-2072.01": ["Excel"]}
    )

    assert weights == pytest.approx({"Python": 0.6, "SQL": 0.8, "Excel": 0.4})


def test_distinctive_task_words_are_those_an_industry_uses_more_than_the_rest() -> None:
    words = kdb.distinctive_words(
        {
            "healthcare": {"patient": 0.5, "record": 0.2},
            "finance-insurance": {"loan": 0.4, "record": 0.2},
            "technology": {"software": 0.6, "record": 0.2},
        }
    )

    assert set(words["healthcare"]) == {"patient"}
    assert set(words["finance-insurance"]) == {"loan"}
    assert "record" not in words["technology"]  # every industry uses it as much: not distinctive


def test_an_esco_occupation_links_to_one_onet_occupation_by_its_titles() -> None:
    onet = {
        "29-1141.00": {"registered nurse", "staff nurse", "rn"},
        "51-9199.00": {"staff nurse", "cnc operator", "machine operator", "press operator"},  # a catch-all
        "15-1252.00": {"software developer", "application developer"},
    }
    esco = {
        "esco:nurse": {"registered nurse", "staff nurse"},  # preferred label matches: 3 + 1 votes
        "esco:press": {"press operator"},  # one alternative label only: 1 vote, not enough
        "esco:dev": {"software developer", "app developer"},
        "esco:tie": {"staff nurse", "registered nurse", "rn", "machine operator", "cnc operator"},  # 3 votes each
    }
    preferred = {
        "esco:nurse": "registered nurse",
        "esco:press": "press machine worker",
        "esco:dev": "software developer",
    }

    links = kdb.esco_links(onet, esco, preferred)

    assert links == {"29-1141.00": {"esco:nurse"}, "15-1252.00": {"esco:dev"}}


def test_industry_detection_reads_task_words_and_occupations() -> None:
    profiles = {
        "healthcare": kdb.IndustryProfile(
            "healthcare", 1, task_words={kdb.task_word_stem("patients"): 0.5}, occupations={"29-1141.00": 0.3}
        ),
        "finance-insurance": kdb.IndustryProfile(
            "finance-insurance", 1, task_words={kdb.task_word_stem("loan"): 0.4}, occupations={"13-2072.00": 0.2}
        ),
    }

    ranked = kdb.industry_detect(text="Cared for patients on a busy ward", profiles=profiles)
    by_occupation = kdb.industry_detect(text="", occupation_codes=["13-2072.00"], profiles=profiles)

    assert ranked[0][0] == "healthcare"
    assert ranked == [("healthcare", 1.0)]
    assert by_occupation == [("finance-insurance", 1.0)]
    assert kdb.industry_detect(text="nothing relevant", profiles=profiles) == []


# ---------------------------------------------------------------------------------------------------------------------
# A build on a small world written to the database
# ---------------------------------------------------------------------------------------------------------------------

TASKS = """O*NET-SOC Code\tTask ID\tTask\tTask Type\tIncumbents Responding\tDate\tDomain Source
29-1141.00\t1\tMonitor patients and record vital signs.\tCore\t90\t08/2023\tIncumbent
29-1141.00\t2\tAdminister medications to patients.\tCore\t90\t08/2023\tIncumbent
15-1252.00\t3\tWrite and test software code.\tCore\t90\t08/2023\tIncumbent
15-1252.00\t4\tDebug software applications.\tCore\t90\t08/2023\tIncumbent
13-2072.00\t5\tApprove loan applications for clients.\tCore\t90\t08/2023\tIncumbent
13-2072.00\t6\tMeet clients to discuss loan options.\tSupplemental\t90\t08/2023\tIncumbent
"""


def _occupation(code: str, title: str, titles: list[str], skills: list[tuple[str, bool]]) -> Occupation:
    occupation = Occupation.objects.create(taxonomy=Taxonomy.ONET, code=code, title=title, soc_code=code[:7])
    for text in [title, *titles]:
        OccupationTitle.objects.get_or_create(
            occupation=occupation,
            normalized_title=title_normalize(text),
            defaults={"title": text, "source": OccupationTitle.Source.ALTERNATE},
        )
    for name, hot in skills:
        skill, _created = Skill.objects.get_or_create(
            taxonomy=Taxonomy.ONET, key=name.casefold(), defaults={"name": name}
        )
        OccupationSkill.objects.create(occupation=occupation, skill=skill, hot_technology=hot)
    return occupation


@pytest.fixture
def small_world(cast, db, tmp_path: Path, settings):
    (tmp_path / "onet_29_2").mkdir()
    (tmp_path / "onet_29_2" / "Task_Statements.txt").write_text(TASKS, encoding="utf-8")
    settings.REFERENCE_DATA_DIR = tmp_path
    for name in kdb.SOURCE_DATASETS:
        ReferenceDataset.objects.update_or_create(
            name=name,
            defaults={
                "fingerprint": "f" * 64,
                "rows_loaded": 1,
                "loaded_at": timezone.now(),
                "load_duration_ms": 1,
                "source_url": "https://example.org/",
                "licence": "test",
            },
        )
    _occupation(
        "29-1141.00",
        "Registered Nurses",
        ["Registered Nurse", "Staff Nurse", "RN"],
        [("Epic Systems", True), ("Microsoft Excel", False)],
    )
    _occupation(
        "15-1252.00", "Software Developers", ["Application Developer"], [("Python", True), ("Microsoft Excel", False)]
    )
    _occupation("13-2072.00", "Loan Officers", ["Mortgage Loan Officer"], [("Microsoft Excel", False)])
    esco = Occupation.objects.create(
        taxonomy=Taxonomy.ESCO, code="http://esco/nurse", title="nurse responsible for general care"
    )
    for text, source in (
        ("nurse responsible for general care", OccupationTitle.Source.PREFERRED),
        ("registered nurse", OccupationTitle.Source.ESCO_ALT),
        ("staff nurse", OccupationTitle.Source.ESCO_ALT),
        ("RN", OccupationTitle.Source.ESCO_ALT),
        ("general nurse", OccupationTitle.Source.ESCO_ALT),
    ):
        OccupationTitle.objects.create(
            occupation=esco, title=text, normalized_title=title_normalize(text), source=source
        )
    for industry_code, soc, title, employment in (
        ("62--63", "29-1141", "Registered Nurses", 3000),
        ("51--52", "15-1252", "Software Developers", 900),
        ("54--55", "15-1252", "Software Developers", 600),
        ("52--53", "13-2072", "Loan Officers", 400),
        ("52--53", "15-1252", "Software Developers", 100),
    ):
        WagePercentile.objects.create(
            area_type="N",
            area_code="0000000",
            area_name="National",
            state_code="00",
            industry_code=industry_code,
            industry_name=industry_code,
            soc_code=soc,
            occ_title=title,
            occ_level=3,
            employment=employment,
        )
    kdb.industry_profiles_clear()
    yield tmp_path
    kdb.industry_profiles_clear()


def test_a_build_weighs_skills_titles_and_task_words_per_industry(small_world) -> None:
    summary = kdb.keyword_databases_build()

    database = KeywordDatabase.objects.get(is_current=True)
    assert summary.version == database.version
    assert Industry.objects.count() == len(INDUSTRY_CODES)
    finance = Industry.objects.get(code="finance-insurance")
    assert dict(IndustryOccupation.objects.filter(industry=finance).values_list("soc_code", "share")) == {
        "13-2072": pytest.approx(0.8),
        "15-1252": pytest.approx(0.2),
    }
    skills = dict(
        IndustryKeyword.objects.filter(database=database, industry=finance, kind="skill").values_list("term", "weight")
    )
    assert skills == {"Microsoft Excel": pytest.approx(1.0), "Python": pytest.approx(0.2)}
    healthcare_words = set(
        IndustryKeyword.objects.filter(database=database, industry__code="healthcare", kind="task").values_list(
            "term", flat=True
        )
    )
    assert {"patients", "medications"} <= healthcare_words
    assert "loan" not in healthcare_words  # only finance's tasks use it (and only its core tasks count)
    nurse_group = SynonymGroup.objects.get(database=database, kind="title", code="29-1141.00")
    assert set(nurse_group.terms.filter(source=SynonymTerm.Source.ESCO).values_list("term", flat=True)) == {
        "nurse responsible for general care",
        "general nurse",
    }
    python = SynonymGroup.objects.get(database=database, kind="skill", canonical="Python")
    assert python.terms.filter(term="Python").exists()
    assert IndustryKeyword.objects.get(database=database, industry=finance, term="Python").hot


def test_a_rebuild_is_skipped_when_unchanged_and_versions_are_kept_and_pruned(small_world) -> None:
    first = kdb.keyword_databases_build()
    assert kdb.keyword_databases_build() is None  # the same sources
    versions = [first.version]
    for _ in range(kdb.KEEP_VERSIONS + 1):
        versions.append(kdb.keyword_databases_build(force=True).version)

    kept = list(KeywordDatabase.objects.order_by("version").values_list("version", "is_current"))
    assert len(kept) == kdb.KEEP_VERSIONS
    assert kept[-1] == (versions[-1], True)
    assert [current for _version, current in kept].count(True) == 1


def test_the_profiles_follow_the_current_version_and_detect_industries(small_world) -> None:
    kdb.keyword_databases_build()
    profiles = kdb.industry_profiles()

    assert set(profiles) >= {"healthcare", "technology", "finance-insurance"}
    assert profiles["healthcare"].skills["Epic Systems"] == pytest.approx(1.0)
    assert kdb.industry_detect(text="Monitored patients and gave medications", profiles=profiles)[0][0] == "healthcare"
    assert kdb.industry_detect(text="", occupation_codes=["13-2072.00"], profiles=profiles)[0][0] == "finance-insurance"


def test_the_command_reports_a_build_and_a_missing_source(small_world, capsys) -> None:
    call_command("build_keyword_databases")
    assert "keyword databases v" in capsys.readouterr().out

    ReferenceDataset.objects.filter(name="esco_occupations").delete()
    with pytest.raises(Exception, match="load_reference_data"):
        call_command("build_keyword_databases", "--force")


def test_staff_browse_the_versions_keywords_and_synonym_groups_in_admin(small_world) -> None:
    kdb.keyword_databases_build()
    StaffUserFactory(email="keywords-staff@cvplus.example")
    staff = HttpClient(HTTP_HOST=PUBLIC_HOST)
    staff.post("/admin/login/?next=/admin/", {"username": "keywords-staff@cvplus.example", "password": PASSWORD})
    database = KeywordDatabase.objects.get(is_current=True)
    nurse = SynonymGroup.objects.get(database=database, code="29-1141.00")
    healthcare = Industry.objects.get(code="healthcare")

    versions = staff.get("/admin/market/keyworddatabase/").content.decode()
    keywords = staff.get("/admin/market/industrykeyword/", {"q": "Epic", "industry__id__exact": healthcare.pk})
    group = staff.get(f"/admin/market/synonymgroup/{nurse.pk}/change/").content.decode()
    industry = staff.get(f"/admin/market/industry/{healthcare.pk}/change/").content.decode()

    assert f'<a href="/admin/market/keyworddatabase/{database.pk}/change/">{database.version}</a>' in versions
    assert keywords.status_code == 200
    assert "Epic Systems" in keywords.content.decode()
    assert "general nurse" in group
    assert "Registered Nurses" in industry
    assert staff.post(f"/admin/market/synonymgroup/{nurse.pk}/delete/").status_code == 403  # read-only


def test_the_industry_mapping_covers_every_occupation_and_skill_in_the_keyword_databases(small_world) -> None:
    kdb.keyword_databases_build()
    database = KeywordDatabase.objects.get(is_current=True)
    weighted = IndustryKeyword.objects.filter(database=database)

    title_groups = set(SynonymGroup.objects.filter(database=database, kind="title").values_list("pk", flat=True))
    skill_groups = set(SynonymGroup.objects.filter(database=database, kind="skill").values_list("pk", flat=True))

    assert title_groups
    assert title_groups == set(weighted.filter(kind="title").values_list("group_id", flat=True))
    assert skill_groups == set(weighted.filter(kind="skill").values_list("group_id", flat=True))
    onet_socs = set(Occupation.objects.filter(taxonomy=Taxonomy.ONET).values_list("soc_code", flat=True))
    assert set(IndustryOccupation.objects.values_list("soc_code", flat=True)) <= onet_socs
