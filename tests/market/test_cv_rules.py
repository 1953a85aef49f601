"""CV conventions by country: the catalogue written to market.CVRule in every language, the pack a country gets, and
sample CVs from each region checked against it."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from market.cv_checks import CVFacts, date_of_birth_line, rule_check
from market.cv_rules import (
    ConventionsReport,
    conventions_report,
    cv_rule_country_choices,
    cv_rule_pack,
    cv_rules_ensure,
)
from market.cv_rules_catalogue import COUNTRY_PACKS, COUNTRY_WHERE, REGION_PACKS
from market.formats import country_formats
from market.models import Country, CVRule
from tests.market.cv_samples import (
    AU_CV,
    DE_CV,
    FR_CV_LEVELS,
    FR_CV_NO_LEVELS,
    IN_CV,
    JP_CV,
    JP_CV_WITHOUT_BIRTH_DATE,
    SG_CV,
    US_CV,
    US_CV_CLEAN,
    cv_rules_load,
    facts,
)

TODAY = date(2026, 6, 1)
ISSUE_COUNTRIES = {"US", "CA", "GB", "DE", "FR", "ES", "NL", "JP", "AU", "SG", "IN"}


@pytest.fixture
def rules(db):
    return cv_rules_load()


def check(text: str, country: str, *, pages: int | None = None) -> ConventionsReport:
    return conventions_report(pack=cv_rule_pack(country_code=country), facts=facts(text, pages=pages), today=TODAY)


def by_code(results) -> dict[str, object]:
    return {result.code: result for result in results}


# ---------------------------------------------------------------------------------------------------------------------
# The catalogue in the database
# ---------------------------------------------------------------------------------------------------------------------
def test_it_writes_every_pack_of_the_catalogue(rules) -> None:
    expected = sum(map(len, COUNTRY_PACKS.values())) + sum(map(len, REGION_PACKS.values()))
    assert rules.written == expected == CVRule.objects.count()
    assert rules.missing_scopes == ()
    assert set(CVRule.objects.exclude(country=None).values_list("country_id", flat=True)) == ISSUE_COUNTRIES
    assert set(CVRule.objects.exclude(region=None).values_list("region_id", flat=True)) == {"NA", "EU", "APAC"}


def test_it_is_idempotent_and_removes_rules_no_longer_in_the_catalogue(rules) -> None:
    before = dict(CVRule.objects.values_list("pk", "advice_en"))
    CVRule.objects.create(country_id="US", code="retired-rule", topic="photo", check_kind="guidance", severity="tip")

    again = cv_rules_ensure()

    assert again.written == rules.written
    assert again.deleted == 1
    assert dict(CVRule.objects.values_list("pk", "advice_en")) == before


def test_it_writes_title_and_advice_in_every_language_naming_the_country(rules) -> None:
    rule = CVRule.objects.get(country_id="US", code="date-of-birth")
    spec = next(spec for spec in COUNTRY_PACKS["US"] if spec.code == "date-of-birth")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert getattr(rule, f"title_{code}") == str(spec.title)
            assert getattr(rule, f"advice_{code}") == str(spec.advice) % {"where": str(COUNTRY_WHERE["US"])}
    assert rule.advice_en.startswith("In the US, remove your date of birth and age")
    assert rule.severity == CVRule.Severity.MUST


def test_every_pack_covers_the_photo_and_the_length(rules) -> None:
    for scope in [{"country_id": code} for code in COUNTRY_PACKS] + [{"region_id": code} for code in REGION_PACKS]:
        topics = set(CVRule.objects.filter(**scope).values_list("topic", flat=True))
        assert {CVRule.Topic.PHOTO, CVRule.Topic.LENGTH} <= topics, scope


def test_it_skips_packs_whose_country_is_not_loaded(db) -> None:
    result = cv_rules_ensure()
    assert result.written == 0
    assert set(result.missing_scopes) == ISSUE_COUNTRIES | {"NA", "EU", "APAC"}


def test_load_reference_data_writes_the_rules_once_the_countries_are_loaded(db, reference_dir) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_reference_data", "--base-dir", str(reference_dir), "--only", "onet_occupations", stdout=out)
    assert "CV rules: 0 written, 0 removed" in out.getvalue()
    assert "CV rules not written for AU, CA, DE" in out.getvalue()

    out = StringIO()
    call_command("load_reference_data", "--base-dir", str(reference_dir), "--only", "cldr_countries", stdout=out)
    assert f"CV rules: {CVRule.objects.count()} written, 0 removed" in out.getvalue()
    assert "not written" not in out.getvalue()


def test_photo_rules_are_advice_only_since_text_cannot_show_a_photo(rules) -> None:
    assert set(CVRule.objects.filter(topic=CVRule.Topic.PHOTO).values_list("check_kind", flat=True)) == {"guidance"}


# ---------------------------------------------------------------------------------------------------------------------
# Which pack a country gets
# ---------------------------------------------------------------------------------------------------------------------
def test_a_country_with_rules_of_its_own_gets_only_those(rules) -> None:
    pack = cv_rule_pack(country_code="de")
    assert pack.scope == "country"
    assert pack.country.iso2 == "DE"
    assert pack.region.code == "EU"
    assert {rule.country_id for rule in pack.rules} == {"DE"}


def test_another_country_of_a_region_gets_the_regions_default(rules) -> None:
    report = check(FR_CV_NO_LEVELS, "IT")
    assert report.scope == "region"
    assert (report.country_name, report.region_code) == ("Italy", "EU")
    assert {"europass", "language-levels", "photo"} <= set(by_code(report.results))
    assert by_code(report.results)["language-levels"].message.startswith("Across Europe, give each language")


def test_a_country_outside_the_three_regions_gets_no_rules_but_its_formats(rules) -> None:
    report = conventions_report(pack=cv_rule_pack(country_code="BR"), facts=facts(US_CV), today=TODAY)
    assert report.scope == "none"
    assert report.results == []
    assert report.formats.currency_code == "BRL"
    assert report.paper_size == "A4"


def test_a_region_alone_gets_its_default_and_its_usual_paper(rules) -> None:
    report = conventions_report(pack=cv_rule_pack(region_code="NA"), facts=None, today=TODAY)
    assert (report.scope, report.country_code, report.region_code) == ("region", "", "NA")
    assert report.formats is None
    assert report.paper_size == "Letter"
    assert report.checked is False
    assert {result.status for result in report.results} == {"advice"}


@pytest.mark.parametrize(("code", "message"), [("ZZ", "ZZ is not a country we know."), ("USA", "two-letter")])
def test_it_refuses_an_unknown_country_naming_the_field(rules, code, message) -> None:
    with pytest.raises(ValidationError) as raised:
        cv_rule_pack(country_code=code)
    assert message in raised.value.message_dict["country"][0]


def test_the_country_choices_list_the_detailed_countries_first_then_each_region(rules) -> None:
    groups = dict(cv_rule_country_choices())
    labels = list(groups)
    assert labels[0] == "Countries with detailed rules"
    assert {choice.code for choice in groups[labels[0]]} == ISSUE_COUNTRIES
    assert set(labels[1:]) == {"Asia-Pacific", "Europe", "North America"}
    assert [choice.code for choice in groups["North America"]] == ["MX"]
    assert "IT" in {choice.code for choice in groups["Europe"]}


# ---------------------------------------------------------------------------------------------------------------------
# Sample CVs per region
# ---------------------------------------------------------------------------------------------------------------------
def test_a_us_cv_with_date_of_birth_and_marital_status_is_told_to_remove_them(rules) -> None:
    report = check(US_CV, "US")
    findings = by_code(report.findings)

    assert report.checked
    assert findings["date-of-birth"].severity == "must"
    assert findings["date-of-birth"].evidence == "Date of birth: 04/17/1988"
    assert findings["date-of-birth"].message.startswith("In the US, remove your date of birth and age")
    assert findings["marital-status"].severity == "must"
    assert findings["marital-status"].evidence == "Marital status: Married, two children"
    assert findings["references"].evidence == "References available upon request"
    assert report.findings[0].severity == "must"  # most severe first
    assert by_code(report.advice)["photo"].message.startswith("In the US, leave your photo off your CV")
    assert set(by_code(report.passed)) >= {"summary", "length", "nationality"}


def test_a_clean_us_cv_has_no_finding(rules) -> None:
    assert check(US_CV_CLEAN, "US").findings == []


@pytest.mark.parametrize("country", ["CA", "GB", "AU"])
def test_other_countries_that_leave_out_personal_details_flag_them_too(rules, country) -> None:
    findings = by_code(check(US_CV, country).findings)
    assert {"date-of-birth", "marital-status"} <= set(findings)


def test_a_german_cv_without_personal_details_gets_no_such_finding_but_the_lebenslauf_guidance(rules) -> None:
    report = check(DE_CV, "DE")
    advice = by_code(report.advice)

    assert report.findings == []
    assert {"photo", "date-of-birth", "marital-status", "lebenslauf", "europass", "references"} <= set(advice)
    assert advice["photo"].message.startswith("In Germany, a professional photo is traditional on a Lebenslauf")
    assert "General Equal Treatment Act (AGG)" in advice["photo"].message
    assert by_code(report.passed)["language-levels"].evidence == "Deutsch – Muttersprache"


def test_a_german_cv_with_a_date_of_birth_is_not_told_to_remove_it(rules) -> None:
    text = DE_CV.replace("Anna Schneider\n", "Anna Schneider\nGeburtsdatum: 12.03.1990\nFamilienstand: ledig\n")
    assert check(text, "DE").findings == []
    assert {"date-of-birth", "marital-status"} <= set(by_code(check(text, "US").findings))


def test_an_eu_cv_listing_languages_without_cefr_levels_gets_the_cefr_advice(rules) -> None:
    finding = by_code(check(FR_CV_NO_LEVELS, "FR").findings)["language-levels"]
    assert finding.severity == "should"
    assert finding.evidence == "Anglais"
    assert finding.message.startswith("In France, give each language a level on the Common European Framework")


def test_an_eu_cv_with_cefr_levels_does_not_get_it(rules) -> None:
    report = check(FR_CV_LEVELS, "FR")
    assert "language-levels" not in by_code(report.findings)
    assert by_code(report.passed)["language-levels"].evidence == "Anglais : C1"


def test_a_japanese_rirekisho_is_checked_for_the_japanese_conventions(rules) -> None:
    report = check(JP_CV, "JP")
    findings = by_code(report.findings)
    advice = by_code(report.advice)

    assert findings["marital-status"].evidence == "配偶者 有"
    assert "Ministry of Health, Labour and Welfare in 2021" in findings["marital-status"].message
    assert findings["calendar"].evidence == "平成23年3月 東京都立青山高等学校 卒業"
    assert findings["jlpt"].evidence == "日本語"
    assert by_code(report.passed)["date-of-birth"].evidence == "生年月日 1992年5月10日（満34歳）"
    assert advice["photo"].severity == "should"
    assert advice["photo"].message.startswith("In Japan, employers usually expect a photo on the rirekisho")
    assert {"rirekisho", "handwriting"} <= set(advice)


def test_a_japanese_cv_without_a_date_of_birth_is_reminded_of_the_rirekisho_field(rules) -> None:
    report = check(JP_CV_WITHOUT_BIRTH_DATE, "JP")
    findings = by_code(report.findings)
    assert findings["date-of-birth"].severity == "tip"
    assert "calendar" not in findings  # Western years only
    assert by_code(report.passed)["summary"].evidence == "職務要約"


def test_an_australian_cv_without_referees_is_told_to_add_them(rules) -> None:
    assert "references" in by_code(check(AU_CV, "AU").findings)
    with_referees = AU_CV + "\nReferees available on request\n"
    assert "references" in by_code(check(with_referees, "AU").passed)


def test_an_indian_cv_gets_the_personal_details_and_declaration_tips(rules) -> None:
    findings = by_code(check(IN_CV, "IN").findings)
    assert findings["personal-details"].evidence == "Father's Name: R. Sharma"
    assert findings["declaration"].evidence == "Declaration"
    assert {finding.severity for finding in findings.values()} == {"tip"}


def test_a_singapore_cv_is_asked_for_its_work_status(rules) -> None:
    assert "work-status" in by_code(check(SG_CV, "SG").findings)
    citizen = SG_CV.replace("Singapore ·", "Singapore Citizen ·")
    assert by_code(check(citizen, "SG").passed)["work-status"].evidence.startswith("Singapore Citizen")


def test_length_uses_the_pdfs_page_count_when_known_else_an_estimate_from_the_words(rules) -> None:
    long_cv = US_CV_CLEAN + ("Delivered projects on time and on budget for many clients. " * 150)
    estimated = by_code(check(long_cv, "US").findings)["length"]
    assert estimated.detail == "Your CV has about 1,536 words, roughly 3 pages."  # 600 words a page
    assert "length" in by_code(check(US_CV_CLEAN, "US").passed)

    assert "length" in by_code(check(US_CV_CLEAN, "US", pages=3).findings)
    assert by_code(check(US_CV_CLEAN, "US", pages=3).findings)["length"].detail == "Your CV has 3 pages."
    assert "length" in by_code(check(long_cv, "US", pages=2).passed)


def test_an_unreadable_cv_gets_advice_only(rules) -> None:
    report = conventions_report(pack=cv_rule_pack(country_code="US"), facts=None, today=TODAY)
    assert report.checked is False
    assert report.findings == []
    assert report.passed == []
    assert len(report.advice) == CVRule.objects.filter(country_id="US").count()


# ---------------------------------------------------------------------------------------------------------------------
# Detection on its own (pure)
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "Geburtsdatum: 01.02.1990",
        "Née le 3 mars 1991 à Lyon",
        "Fecha de nacimiento: 5 de mayo de 1989",
        "DOB: 1990-01-01",
        "D.O.B. 12/03/1985",
        "Born 4 July 1985",
        "Geboortedatum 14-02-1994",
        "Age: 34",
        "生年月日 1990年4月1日",
    ],
)
def test_it_sees_a_labelled_date_of_birth_or_age(line) -> None:
    assert date_of_birth_line(CVFacts(text=f"Alex Doe\n{line}\n", parsed={}), today=TODAY) == line


def test_it_sees_a_bare_birth_date_among_the_name_and_contact_lines_only() -> None:
    header = "Alex Doe\n12.03.1990\nalex@example.com\n\nExperience\n01.02.2020 contract signed\n"
    assert date_of_birth_line(facts(header), today=TODAY) == "12.03.1990"
    no_header_date = "Alex Doe\nalex@example.com\n\nExperience\n01.02.2020 contract signed\n"
    assert date_of_birth_line(facts(no_header_date), today=TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "Marie Curie\nmarie@example.com",
        "Set up single sign-on for 2,000 users",
        "10 ans d'expérience en marketing",
        "Experience\n03/2019 – 05/2021 Analyst",
        "Born to lead: a team of 12",
    ],
)
def test_it_does_not_mistake_ordinary_lines_for_personal_details(text) -> None:
    cv = facts(text)
    assert date_of_birth_line(cv, today=TODAY) is None
    assert rule_check(check_kind="marital_present", params={}, facts=cv, today=TODAY).status == "ok"


# ---------------------------------------------------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "date_short", "number", "paper", "currency"),
    [
        ("US", "12/31/2026", "1,234,567.89", "Letter", "USD"),
        ("CA", "2026-12-31", "1\xa0234\xa0567.89", "Letter", "CAD"),
        ("GB", "31/12/2026", "1,234,567.89", "A4", "GBP"),
        ("DE", "31.12.2026", "1.234.567,89", "A4", "EUR"),
        ("FR", "31/12/2026", "1\xa0234\xa0567,89", "A4", "EUR"),
        ("NL", "31-12-2026", "1.234.567,89", "A4", "EUR"),
        ("JP", "2026/12/31", "1,234,567.89", "A4", "JPY"),
        ("IN", "31/12/2026", "12,34,567.89", "A4", "INR"),
    ],
)
def test_it_gives_a_countrys_date_and_number_formats_paper_and_currency(
    rules, code, date_short, number, paper, currency
) -> None:
    formats = country_formats(Country.objects.select_related("currency").get(iso2=code))
    assert (formats.date_short, formats.number, formats.paper_size, formats.currency_code) == (
        date_short,
        number,
        paper,
        currency,
    )


def test_it_writes_long_dates_in_the_countrys_language_and_leaves_unknown_formats_empty(rules) -> None:
    assert country_formats(Country.objects.get(iso2="DE")).date_long == "31. Dezember 2026"
    brazil = country_formats(Country.objects.get(iso2="BR"))
    assert (brazil.date_short, brazil.number, brazil.paper_size) == ("", "", "A4")
