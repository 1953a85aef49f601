"""manage.py load_reference_data: idempotent loads, skipping unchanged files, atomic failure on malformed files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from market.models import (
    Country,
    Currency,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    ReferenceDataset,
    Region,
    SalarySurveyRow,
    Skill,
    WagePercentile,
)
from market.services import DATASET_NAMES

pytestmark = pytest.mark.django_db

SALARY_FILE = "aijobs_salaries/salaries_snapshot_2023-12-31.csv"
MODELS = (
    Region,
    Currency,
    Country,
    Occupation,
    OccupationTitle,
    Skill,
    OccupationSkill,
    WagePercentile,
    SalarySurveyRow,
)


def load(base_dir: Path, *args: str) -> str:
    out = StringIO()
    call_command("load_reference_data", "--base-dir", str(base_dir), *args, stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_loads_every_data_set_and_records_its_fingerprint(reference_dir: Path) -> None:
    load(reference_dir)

    counts = table_counts()
    assert counts["Region"] == 3
    assert counts["Country"] == 252
    assert counts["Occupation"] == 12 + 30
    assert counts["SalarySurveyRow"] == 40 + 20 + 30
    assert counts["WagePercentile"] == 60
    assert all(counts.values())
    assert sorted(ReferenceDataset.objects.values_list("name", flat=True)) == sorted(DATASET_NAMES)
    assert ReferenceDataset.objects.get(name="salary_survey_infosec").rows_loaded == 30


def test_it_skips_unchanged_data_sets_and_reloads_them_with_force_to_the_same_counts(reference_dir: Path) -> None:
    load(reference_dir)
    first = table_counts()
    fingerprints = dict(ReferenceDataset.objects.values_list("name", "fingerprint"))

    second_output = load(reference_dir)
    assert table_counts() == first
    assert second_output.count("unchanged, skipped") == len(DATASET_NAMES)

    forced_output = load(reference_dir, "--force")
    assert table_counts() == first
    assert "unchanged, skipped" not in forced_output
    assert dict(ReferenceDataset.objects.values_list("name", "fingerprint")) == fingerprints


def test_it_keeps_primary_keys_when_reloading(reference_dir: Path) -> None:
    load(reference_dir)
    before = dict(Occupation.objects.values_list("code", "pk"))

    load(reference_dir, "--force", "--only", "onet_occupations", "esco_occupations")

    assert dict(Occupation.objects.values_list("code", "pk")) == before
    assert OccupationSkill.objects.exists()


def test_it_deletes_rows_that_are_no_longer_in_the_files(reference_dir: Path) -> None:
    load(reference_dir)
    path = reference_dir / SALARY_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:11]), encoding="utf-8")

    output = load(reference_dir, "--only", "salary_survey_aijobs")

    assert SalarySurveyRow.objects.filter(source="aijobs").count() == 10
    assert "30 deleted" in output


@pytest.mark.parametrize(
    ("line_number", "replacement", "problem"),
    [
        (5, "2023,SE,FT,Data Scientist,lots,USD,100000,US,0,US,M\n", "column salary: 'lots' is not a whole number"),
        (7, "2023,SE,FT,Data Scientist,100000,USD\n", "expected 11 columns, found 6"),
        (9, "2023,XX,FT,Data Scientist,100000,USD,100000,US,0,US,M\n", "column experience_level: 'XX' is not one of"),
    ],
)
def test_it_names_the_file_and_line_of_a_malformed_row_and_leaves_the_data_set_unchanged(
    reference_dir: Path, line_number: int, replacement: str, problem: str
) -> None:
    load(reference_dir)
    rows_before = list(SalarySurveyRow.objects.order_by("pk").values())
    dataset_before = ReferenceDataset.objects.get(name="salary_survey_aijobs")
    path = reference_dir / SALARY_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[2]  # a row removed earlier in the file: a successful load would delete and renumber rows
    lines[line_number - 1] = replacement
    path.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        load(reference_dir, "--only", "salary_survey_aijobs")

    message = str(raised.value)
    assert str(path) in message
    assert f"line {line_number}:" in message
    assert problem in message
    assert list(SalarySurveyRow.objects.order_by("pk").values()) == rows_before
    assert ReferenceDataset.objects.get(name="salary_survey_aijobs").fingerprint == dataset_before.fingerprint


def test_it_names_a_missing_column_on_line_1(reference_dir: Path) -> None:
    load(reference_dir)
    titles_before = OccupationTitle.objects.count()
    path = reference_dir / "onet_29_2" / "Alternate_Titles.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Alternate Title\t", "Other Title\t", 1), encoding="utf-8")

    with pytest.raises(CommandError, match=r"Alternate_Titles\.txt, line 1: missing column Alternate Title"):
        load(reference_dir)

    assert OccupationTitle.objects.count() == titles_before


def test_it_rolls_back_a_data_set_that_fails_after_writing_some_of_its_tables(reference_dir: Path) -> None:
    path = reference_dir / "onet_29_2" / "Alternate_Titles.txt"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append("99-9999.00\tGhost Title\tn/a\t08\n")
    path.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(CommandError, match=rf"line {len(lines)}: unknown O\*NET-SOC code 99-9999.00"):
        load(reference_dir, "--only", "cldr_countries", "onet_occupations")

    assert Country.objects.count() == 252  # loaded before, in its own transaction
    assert not Occupation.objects.exists()
    assert not ReferenceDataset.objects.filter(name="onet_occupations").exists()


def test_it_gives_countries_outside_the_three_markets_no_region(reference_dir: Path) -> None:
    load(reference_dir, "--only", "cldr_countries")

    regions = dict(Country.objects.values_list("iso2", "region"))
    assert {regions["US"], regions["CA"], regions["MX"]} == {"NA"}
    assert {regions["DE"], regions["GB"], regions["CH"], regions["NO"]} == {"EU"}
    assert {regions["JP"], regions["IN"], regions["SG"], regions["AU"]} == {"APAC"}
    assert regions["BR"] is None
    assert regions["ZA"] is None
    assert regions["AE"] is None
    assert Country.objects.get(iso2="JP").currency_id == "JPY"


def test_it_marks_exact_duplicate_salary_rows_with_the_same_key(reference_dir: Path) -> None:
    path = reference_dir / SALARY_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")

    load(reference_dir, "--only", "salary_survey_aijobs")

    first = SalarySurveyRow.objects.get(source="aijobs", source_line=2)
    copy = SalarySurveyRow.objects.get(source="aijobs", source_line=len(lines) + 1)
    assert first.duplicate_key == copy.duplicate_key
    assert SalarySurveyRow.objects.filter(duplicate_key=first.duplicate_key).count() >= 2
