"""The application page says which language a posting is written in, and that its requirements and the match may be
incomplete when CVPlus does not read that language fully; odd descriptions (empty, binary, too long) never break
saving or showing a posting."""

from __future__ import annotations

import random

import pytest
from django_tenants.utils import schema_context

from tracking.models import Application, JobPosting

pytestmark = pytest.mark.django_db

ITALIAN = """Chi siamo
Siamo una società di consulenza che aiuta le aziende della moda a crescere con i dati.

Requisiti
- Laurea in Statistica, Matematica o discipline affini
- Almeno 3 anni di esperienza nell'analisi dei dati con SQL e Python
- Conoscenza di Power BI o Tableau

Cosa offriamo
- Contratto a tempo indeterminato e smart working due giorni alla settimana
"""
POLISH = """O nas
Jesteśmy firmą logistyczną, która od 15 lat działa na rynku polskim i niemieckim.

Wymagania
- Minimum 3 lata doświadczenia w analizie danych
- Bardzo dobra znajomość SQL oraz Python
- Doświadczenie w pracy z Power BI jest mile widziane

Oferujemy
- Umowę o pracę i pracę hybrydową
"""
GERMAN = """Über uns
Wir sind ein Händler mit 120 Filialen und bauen unser Data-Team aus.

Ihr Profil
- Abgeschlossenes Studium der Statistik, Mathematik oder Informatik
- Mindestens drei Jahre Erfahrung mit SQL und Python
"""
NOT_SHIPPED = "a language CVPlus does not read fully yet (it reads English, German, French, Spanish and Japanese)"


def save_posting(client, description: str):
    return client.post(
        "/app/postings/new/",
        {"title": "Data Analyst", "company": "Nordlicht", "description": description, "action": "save"},
    )


def application_page(client, owner) -> str:
    with schema_context("alpha"):
        application = Application.objects.get(owner=owner)
    response = client.get(f"/app/applications/{application.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("description", "language"), [(ITALIAN, "Italian"), (POLISH, "Polish")])
def test_it_says_a_posting_in_a_language_cvplus_does_not_ship_may_be_read_incompletely(
    owner, owner_client, description, language
):
    assert save_posting(owner_client, description).status_code == 302

    page = application_page(owner_client, owner)

    assert f"Language: {language}." in page
    assert f"This posting reads as {language}, {NOT_SHIPPED}" in page
    assert "its requirements and your match may be incomplete" in page


def test_it_names_a_shipped_language_without_a_warning(owner, owner_client):
    save_posting(owner_client, GERMAN)

    page = application_page(owner_client, owner)

    assert "Language: German." in page
    assert NOT_SHIPPED not in page
    assert "<li>Mindestens drei Jahre Erfahrung mit SQL und Python</li>" in page


def test_it_says_nothing_of_the_language_of_a_posting_without_a_description(owner, owner_client):
    save_posting(owner_client, "")

    page = application_page(owner_client, owner)

    assert 'data-testid="posting-language"' not in page
    assert "None found in the description." in page


def test_it_saves_and_shows_a_posting_of_binary_junk_saying_it_cannot_tell_its_language(owner, owner_client):
    junk = bytes(random.Random(15).randrange(1, 256) for _ in range(20_000)).decode("latin-1")

    assert save_posting(owner_client, junk).status_code == 302

    page = application_page(owner_client, owner)
    assert "We could not tell which language this posting is in" in page


def test_it_refuses_a_5_mb_description_naming_the_field_and_saves_nothing(owner, owner_client):
    response = save_posting(owner_client, "Python, SQL und Statistik. " * 190_000)  # ~5 MB

    assert response.status_code == 400
    assert 'id="id_description"' in response.content.decode()
    assert "Ensure this value has at most 50000 characters" in response.content.decode()
    with schema_context("alpha"):
        assert not JobPosting.objects.exists()
