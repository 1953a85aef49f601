"""The esco_labels data set: occupations and skills labelled in each shipped language, ESCO's where it has them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from market.models import Occupation, Skill, Taxonomy
from tracking.cv.concepts import concepts_load

pytestmark = pytest.mark.django_db


def _first_esco_occupation(reference_dir: Path) -> str:
    with (reference_dir / "esco_taxonomy" / "occupations_en.csv").open(encoding="utf-8", newline="") as handle:
        return next(csv.DictReader(handle))["conceptUri"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def labelled(reference_dir: Path) -> dict[str, str]:
    """The small reference copy with one ESCO occupation labelled in German and French, crosswalked from the first
    O*NET occupation; loaded with everything esco_labels depends on."""
    uri = _first_esco_occupation(reference_dir)
    onet_code = (reference_dir / "onet_29_2" / "Occupation_Data.txt").read_text().splitlines()[1].split("\t")[0]
    _write(
        reference_dir / "esco_multilingual" / "occupation_labels.csv",
        ["conceptUri", "language", "preferredLabel"],
        [[uri, "de", "Geschäftsführer/Geschäftsführerin"], [uri, "fr", "directeur général/directrice générale"]],
    )
    _write(
        reference_dir / "esco_multilingual" / "onet_esco_crosswalk.csv",
        ["onet_code", "esco_uri", "matched_on"],
        [[onet_code, uri, "title=preferredLabel"]],
    )
    _write(
        reference_dir / "skill_concepts" / "titles_ja.csv",
        ["title", "source", "jobtag_id", "onet_code"],
        [["経営責任者", "cvplus", "", onet_code], ["会社経営者", "jobtag", "1", onet_code]],
    )
    call_command(
        "load_reference_data",
        "--base-dir",
        str(reference_dir),
        "--only",
        "onet_occupations",
        "onet_technology_skills",
        "esco_occupations",
        "esco_skills",
        "esco_labels",
        verbosity=0,
    )
    return {"uri": uri, "onet_code": onet_code}


def test_it_shows_esco_labels_in_the_users_language_and_the_english_title_elsewhere(labelled):
    esco = Occupation.objects.get(taxonomy=Taxonomy.ESCO, code=labelled["uri"])
    onet = Occupation.objects.get(taxonomy=Taxonomy.ONET, code=labelled["onet_code"])

    with translation.override("de"):
        assert esco.display_title == onet.display_title == "Geschäftsführer/Geschäftsführerin"
    with translation.override("es"):
        assert onet.display_title == onet.title  # no Spanish label in the file: English, O*NET's own
    with translation.override("en"):
        assert onet.display_title == onet.title


def test_it_keeps_the_reference_title_that_matching_reads_in_every_language(labelled):
    with translation.override("en"):
        english = list(Occupation.objects.filter(code=labelled["onet_code"]).values_list("title", flat=True))
    with translation.override("de"):
        german = list(Occupation.objects.filter(code=labelled["onet_code"]).values_list("title", flat=True))

    assert german == english
    assert "Geschäftsführer" not in english[0]


def test_it_labels_onet_skills_as_cvs_write_them(labelled):
    skills = dict(Skill.objects.filter(taxonomy=Taxonomy.ONET).values_list("name", "label_en"))

    curated = {name for concept in concepts_load() for name in concept.onet_names}  # a concept's label is chosen
    assert skills
    for name, label in skills.items():
        assert label
        assert name in curated or len(label) <= len(name)


def test_it_shows_job_tags_japanese_title_of_an_occupation_and_of_the_esco_occupation_crosswalked_to_it(labelled):
    esco = Occupation.objects.get(taxonomy=Taxonomy.ESCO, code=labelled["uri"])
    onet = Occupation.objects.get(taxonomy=Taxonomy.ONET, code=labelled["onet_code"])
    other = Occupation.objects.filter(taxonomy=Taxonomy.ONET).exclude(code=labelled["onet_code"]).first()

    with translation.override("ja"):
        assert esco.display_title == onet.display_title == "会社経営者"  # job tag's own title before CVPlus's
        assert other.display_title == other.title  # no Japanese title: O*NET's English one
    with translation.override("de"):
        assert onet.display_title == "Geschäftsführer/Geschäftsführerin"


def test_it_names_a_japanese_cvs_occupation_in_japanese_on_its_page(labelled):
    from tracking.cv.labels import parsed_for_display

    onet = Occupation.objects.get(taxonomy=Taxonomy.ONET, code=labelled["onet_code"])
    parsed = {
        "titles": [
            {
                "title_as_written": "経営責任者",
                "occupation_code": onet.code,
                "occupation_title": onet.title,
                "taxonomy": "onet",
                "evidence": "経営責任者",
            }
        ]
    }

    assert parsed_for_display(parsed, "ja")["titles"][0]["occupation_shown"] == "会社経営者"
    assert parsed_for_display(parsed, "en")["titles"][0]["occupation_shown"] == onet.title
