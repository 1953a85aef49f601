"""The CV page in the reader's language: ESCO's occupation label, skill concepts' labels, the detected language."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from market.models import Occupation, Taxonomy
from tests.tracking.test_views_cv import make_cv

pytestmark = pytest.mark.django_db

PARSED = {
    "language": {"code": "de", "shipped": True, "mixed": ["de", "en"]},
    "skills": [
        {
            "name": "machine learning",
            "label": "machine learning",
            "concept": "machine-learning",
            "key": "http://data.europa.eu/esco/skill/8369c2d6-c100-4cf6-bd83-9668d8678433",
            "taxonomy": "esco",
            "evidence": "Modelle mit maschinellem Lernen für die Absatzplanung",
            "matched_text": "maschinelles Lernen",
        }
    ],
    "titles": [
        {
            "title_as_written": "Data Scientist",
            "occupation_code": "15-2051.00",
            "occupation_title": "Data Scientists",
            "taxonomy": "onet",
        }
    ],
}


@pytest.fixture
def data_scientists() -> Occupation:
    with schema_context("public"):
        return Occupation.objects.create(
            taxonomy=Taxonomy.ONET,
            code="15-2051.00",
            title="Data Scientists",
            label_en="Data Scientists",
            label_de="Datenwissenschaftler/Datenwissenschaftlerin",
        )


def test_it_shows_a_german_reader_esco_and_concept_labels_and_the_mixed_language(owner, owner_client, data_scientists):
    make_cv(owner, parsed=PARSED)

    page = owner_client.get("/app/cv/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert '<span class="muted">→ Datenwissenschaftler/Datenwissenschaftlerin</span>' in page
    assert "→ Data Scientists" not in page
    assert "maschinelles Lernen" in page
    assert "ESCO – European Commission" in page
    assert 'data-testid="cv-language"' in page


def test_it_shows_an_english_reader_the_onet_title(owner, owner_client, data_scientists):
    make_cv(owner, parsed=PARSED)

    page = owner_client.get("/app/cv/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<span class="muted">→ Data Scientists</span>' in page
    assert "Datenwissenschaftler" not in page
    assert "Language: German." in page


def test_it_says_when_a_cv_is_in_a_language_cvplus_does_not_read_fully(owner, owner_client):
    make_cv(owner, parsed={"language": {"code": "it", "shipped": False, "mixed": []}, "skills": [], "titles": []})

    page = owner_client.get("/app/cv/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "This CV reads as Italian, a language CVPlus does not read fully yet" in page
    assert "skills and job titles may be incomplete" in page
