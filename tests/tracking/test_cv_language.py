"""Which language a CV is in, line by line: the five shipped, others reported as not shipped, mixed documents."""

from __future__ import annotations

import pytest

from tracking.cv.language import language_detect, line_language


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Built the data platform for the sales team and the finance department", "en"),
        ("Aufbau der Datenplattform für das Vertriebsteam und die Finanzabteilung", "de"),
        ("Mise en place de la plateforme de données pour les équipes de vente", "fr"),
        ("Desarrollo de la plataforma de datos para los equipos de ventas", "es"),
        ("機械学習モデルによる需要予測を開発", "ja"),
        ("Sviluppo della piattaforma dati per il team vendite e gli analisti", "it"),
        ("Разработка платформы данных для отдела продаж", "ru"),
        ("Python, SQL, Tableau", "und"),
    ],
)
def test_it_reads_the_language_of_a_line(line, code):
    assert line_language(line) == code


def test_it_reports_a_shipped_language_with_its_mixed_parts():
    text = "\n".join(
        [
            "Max Mustermann",
            "Berufserfahrung",
            "Aufbau der Datenplattform für das Vertriebsteam und die Finanzabteilung",
            "Entwicklung von Modellen für die Absatzplanung mit Python und der Cloud",
            "Experience",
            "Led the migration of the reporting stack to the cloud for the group",
        ]
    )

    detected = language_detect(text)

    assert (detected.code, detected.shipped, detected.mixed) == ("de", True, ("de", "en"))


def test_it_reports_a_language_cvplus_does_not_ship():
    detected = language_detect("Esperienza\nSviluppo della piattaforma dati per il team vendite e gli analisti")

    assert detected.as_dict() == {"code": "it", "shipped": False, "mixed": []}


@pytest.mark.parametrize("text", ["", "\x00\x01\ufffd" * 500, "Python\nSQL\n2019 – 2023", "a " * 3_000_000])
def test_it_says_undetermined_and_never_crashes_on_text_without_sentences(text):
    assert language_detect(text).code == "und"
