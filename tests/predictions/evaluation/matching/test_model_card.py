"""The matching section of docs/model-card.md survives `manage.py evaluate_models` rewriting the card."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from predictions.evaluation.report import card_kept_sections, model_card_write

SECTION = "## CV reading and matching (issue 15)\n\nBaseline table.\n\n### Per industry\n\n| a | b |\n"


def test_it_keeps_the_matching_section_from_its_heading_to_the_end() -> None:
    old = "# CVPlus model card\n\n## Salary\n\nold numbers\n\n" + SECTION + "\n\n"

    assert card_kept_sections(old) == SECTION
    assert card_kept_sections("# CVPlus model card\n\n## Salary\n") == ""


@pytest.mark.django_db
def test_a_rewritten_card_keeps_the_matching_section(tmp_path: Path) -> None:
    card = tmp_path / "model-card.md"
    card.write_text("# CVPlus model card\n\n## Salary\n\nold numbers\n\n" + SECTION, encoding="utf-8")

    model_card_write([], output_dir=tmp_path, seed=1, commit="abc1234")

    text = card.read_text(encoding="utf-8")
    assert text.endswith("\n\n" + SECTION)
    assert "old numbers" not in text
    assert text.count("## CV reading and matching (issue 15)") == 1


def test_the_repositorys_card_has_the_matching_section() -> None:
    text = (Path(settings.BASE_DIR) / "docs" / "model-card.md").read_text(encoding="utf-8")

    assert card_kept_sections(text).startswith("## CV reading and matching (issue 15)\n")
