"""The public data-sources page credits every source with the wording its licence asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ONET_ATTRIBUTION = (
    "This product includes information from the O*NET 29.2 Database by the U.S. Department of Labor, Employment and "
    "Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA."
)


def test_it_shows_the_attribution_every_licence_asks_for(public_client) -> None:
    response = public_client.get("/data-sources/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert ONET_ATTRIBUTION in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert "ESCO – European Commission" in page
    assert "2011/833/EU" in page
    assert "U.S. Bureau of Labor Statistics" in page
    assert "aijobs.net" in page
    assert "isecjobs.com" in page
    assert "Unicode CLDR" in page


def test_it_shows_the_rows_loaded_per_source(public_client, reference_dir: Path) -> None:
    call_command("load_reference_data", "--base-dir", str(reference_dir), "--only", "salary_survey_infosec")

    page = public_client.get("/data-sources/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "30 rows, loaded" in page
    assert "Not loaded yet." in page
    assert "Kept as files; not loaded into the database." in page


def test_it_groups_the_digits_of_row_counts_for_the_readers_language(public_client, reference_dir: Path) -> None:
    from market.models import ReferenceDataset

    call_command("load_reference_data", "--base-dir", str(reference_dir), "--only", "salary_survey_infosec")
    ReferenceDataset.objects.filter(name="salary_survey_infosec").update(rows_loaded=12345)

    english = public_client.get("/data-sources/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = public_client.get("/data-sources/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "12,345 rows, loaded" in english
    assert "12.345 Zeilen" in german
