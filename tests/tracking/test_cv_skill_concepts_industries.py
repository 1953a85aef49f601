"""The per-industry skill concepts (data/reference/skill_concepts/concepts.csv): the file is valid, every concept
names the industries it belongs to, a CV line of each industry in each shipped language yields its concepts, and
ordinary sentences yield none.

The CV lines were written for these tests (none comes from an evaluation set). The index is built from the shipped
O*NET 29.2 technology skills, the shipped concepts and ESCO's labels, as ``keyword_index`` builds it in production.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from market.industries import INDUSTRY_CODES
from tracking.cv import keywords
from tracking.cv.concepts import CONCEPTS_PATH, concept_industries, concepts_load
from tracking.cv.keyword_index import MAX_NGRAM_TOKENS, ordinary_words_load, phrase_key

ONET_SKILLS = Path(settings.BASE_DIR) / "data" / "reference" / "onet_29_2" / "Technology_Skills.txt"
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MIN_CONCEPTS_PER_INDUSTRY = 40


def _onet_names() -> list[str]:
    with ONET_SKILLS.open(encoding="utf-8", newline="") as handle:
        return list(dict.fromkeys(row["Example"] for row in csv.DictReader(handle, delimiter="\t")))


@pytest.fixture(scope="module")
def index() -> keywords.KeywordIndex:
    return keywords.keyword_index_build(
        onet_skills=[(name, name.casefold()) for name in _onet_names()],
        titles=[],
        ordinary_words=ordinary_words_load(),
        esco_vocabulary=True,
    )


def _concepts(text: str, index: keywords.KeywordIndex) -> list[str]:
    return [skill["concept"] for skill in keywords.skills_match(text, index=index) if skill["concept"]]


# ---------------------------------------------------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------------------------------------------------
def test_every_concept_names_known_industries():
    industries = concept_industries()

    assert industries, "no concepts loaded"
    for concept_id, codes in industries.items():
        assert codes, f"{concept_id} names no industry"
        assert set(codes) <= set(INDUSTRY_CODES), f"{concept_id}: {codes}"


def test_every_industry_has_its_own_vocabulary():
    counts = Counter(code for codes in concept_industries().values() for code in codes)

    assert {code: counts[code] for code in INDUSTRY_CODES if counts[code] < MIN_CONCEPTS_PER_INDUSTRY} == {}


def test_the_concept_file_is_valid():
    concepts = concepts_load()
    onet_names = set(_onet_names())
    ids = [concept.concept_id for concept in concepts]

    assert len(ids) == len(set(ids))
    owners: dict[str, set[str]] = {}
    for concept in concepts:
        assert concept.labels.get("en"), concept.concept_id
        assert set(concept.onet_names) <= onet_names, concept.concept_id
        if concept.esco_uri:
            assert _UUID_RE.match(concept.esco_uri.rsplit("/", 1)[1]), concept.concept_id
        for written in concept.written_forms():
            key = phrase_key(written)
            assert key.count(" ") < MAX_NGRAM_TOKENS, f"{concept.concept_id}: {written!r} is too long to be matched"
            owners.setdefault(key, set()).add(concept.concept_id)
    assert {key: ids for key, ids in owners.items() if len(ids) > 1} == {}


def test_a_concept_file_without_the_industries_column_still_loads(tmp_path):
    with CONCEPTS_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:3]
    old = tmp_path / "concepts.csv"
    fields = [name for name in rows[0] if name != "industries"]
    with old.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)

    loaded = concepts_load.__wrapped__(old)

    assert [concept.concept_id for concept in loaded] == [row["concept"] for row in rows]
    assert all(concept.industries == () for concept in loaded)


# ---------------------------------------------------------------------------------------------------------------------
# A CV line per industry and language
# ---------------------------------------------------------------------------------------------------------------------
CV_LINES = [
    # technology
    (
        "technology",
        "en",
        "Certifications: CISSP, AWS Certified Solutions Architect, ITIL 4 Foundation",
        "aws-certified-solutions-architect cissp itil",
    ),
    (
        "technology",
        "de",
        "Kenntnisse: REST-APIs, Testautomatisierung, DSGVO, ISO 27001",
        "gdpr iso-27001 rest-api test-automation",
    ),
    (
        "technology",
        "fr",
        "Compétences : intégration continue, tests d'intrusion, RGPD",
        "ci-cd gdpr penetration-testing",
    ),
    (
        "technology",
        "es",
        "Conocimientos: microservicios, desarrollo guiado por pruebas, SIEM",
        "microservices siem test-driven-development",
    ),
    (
        "technology",
        "ja",
        "要件定義、基本設計、詳細設計を担当。基本情報技術者、応用情報技術者取得",
        "ap-exam-japan fe-exam-japan requirements-engineering system-design",
    ),
    # finance and insurance
    (
        "finance-insurance",
        "en",
        "CFA Level II candidate; month-end close, bank reconciliations and US GAAP reporting",
        "bank-reconciliation cfa month-end-close us-gaap",
    ),
    (
        "finance-insurance",
        "de",
        "Monatsabschluss und Jahresabschluss nach HGB und IFRS, DATEV, Kreditorenbuchhaltung",
        "accounts-payable datev hgb ifrs month-end-close year-end-close",
    ),
    (
        "finance-insurance",
        "fr",
        "Clôture mensuelle, rapprochement bancaire, consolidation des comptes, Sage 100, lutte anti-blanchiment",
        "anti-money-laundering bank-reconciliation financial-consolidation month-end-close sage-accounting",
    ),
    (
        "finance-insurance",
        "es",
        "Cierre mensual, conciliación bancaria, Plan General Contable, declaraciones de IVA, a3innuva",
        "a3-software bank-reconciliation month-end-close pgc vat-returns",
    ),
    (
        "finance-insurance",
        "ja",
        "月次決算・連結決算を担当。日商簿記2級、FP2級。勘定奉行を使用",
        "financial-consolidation fp-technician-japan kanjo-bugyo month-end-close nissho-boki",
    ),
    # healthcare
    (
        "healthcare",
        "en",
        "BLS, ACLS, NRP. Cerner PowerChart charting; ventilator management, dialysis, 12-lead ECG",
        "acls bls cerner dialysis ecg mechanical-ventilation nrp",
    ),
    (
        "healthcare",
        "de",
        "Pflegeplanung, Pflegedokumentation, Entlassmanagement, Kinaesthetics, Expertenstandards",
        "discharge-planning kinaesthetics nursing-care-planning nursing-documentation nursing-expert-standards",
    ),
    (
        "healthcare",
        "fr",
        "AFGSU niveau 2 ; soins palliatifs, prise en charge de la douleur, pose de sonde urinaire, DxCare",
        "afgsu dxcare pain-management palliative-care urinary-catheterisation",
    ),
    (
        "healthcare",
        "es",
        "Cuidados paliativos, manejo del dolor, sondaje vesical, codificación CIE-10",
        "medical-coding pain-management palliative-care urinary-catheterisation",
    ),
    (
        "healthcare",
        "ja",
        "緩和ケア病棟で疼痛管理、喀痰吸引、人工呼吸器管理を担当。認知症ケア",
        "airway-suctioning dementia-care mechanical-ventilation pain-management palliative-care",
    ),
    # manufacturing and engineering
    (
        "manufacturing-engineering",
        "en",
        "Lean Six Sigma Green Belt; FMEA, 8D reports, SPC, PPAP; SolidWorks and CATIA V5",
        "8d-problem-solving catia fmea ppap six-sigma solidworks statistical-process-control",
    ),
    (
        "manufacturing-engineering",
        "de",
        "KVP, Wertstromanalyse, SPS-Programmierung mit TIA Portal, IATF 16949, Siemens NX",
        "iatf-16949 kaizen plc-programming siemens-nx siemens-step7 value-stream-mapping",
    ),
    (
        "manufacturing-engineering",
        "fr",
        "AMDEC, amélioration continue, marquage CE, soudage TIG, programmation CNC",
        "ce-marking cnc-programming fmea kaizen tig-welding",
    ),
    (
        "manufacturing-engineering",
        "es",
        "Mejora continua, AMFE, control estadístico de procesos, soldadura MIG/MAG, ISO 9001",
        "fmea iso-9001 kaizen mig-mag-welding statistical-process-control",
    ),
    (
        "manufacturing-engineering",
        "ja",
        "なぜなぜ分析、QC七つ道具、5S活動を推進。QC検定2級、有限要素法による構造解析",
        "5s finite-element-analysis qc-kentei root-cause-analysis seven-qc-tools",
    ),
    # transportation and logistics
    (
        "transportation-logistics",
        "en",
        "Class A CDL with HAZMAT endorsement; route planning, cross-docking, SAP EWM",
        "adr-certificate cross-docking route-planning sap-ewm truck-licence",
    ),
    (
        "transportation-logistics",
        "de",
        "Führerschein Klasse CE, Berufskraftfahrerqualifikation, ADR-Schein, Tourenplanung, Kommissionierung",
        "adr-certificate driver-cpc order-picking route-planning truck-licence",
    ),
    (
        "transportation-logistics",
        "fr",
        "Permis CE, FIMO, CACES R489, préparation de commandes, dédouanement, Incoterms",
        "customs-clearance driver-cpc forklift-licence incoterms order-picking truck-licence",
    ),
    (
        "transportation-logistics",
        "es",
        "Carnet C+E, CAP de conductor, carnet de carretillero, planificación de rutas, despacho de aduanas",
        "customs-clearance driver-cpc forklift-licence route-planning truck-licence",
    ),
    (
        "transportation-logistics",
        "ja",
        "大型自動車免許、フォークリフト運転技能講習修了、通関士。配車計画と在庫管理を担当",
        "customs-broker-licence-japan forklift-licence inventory-management route-planning truck-licence",
    ),
    # retail and e-commerce
    (
        "retail-ecommerce",
        "en",
        "Visual merchandising, planograms, loss prevention, cash handling; Shopify and Amazon Seller Central",
        "amazon-seller-central cash-handling loss-prevention planogram shopify visual-merchandising",
    ),
    (
        "retail-ecommerce",
        "de",
        "Warenpräsentation, Inventur, Kassenführung, Warenwirtschaftssystem, Shopware",
        "cash-handling merchandise-management-system shopware stocktaking visual-merchandising",
    ),
    (
        "retail-ecommerce",
        "fr",
        "Merchandising visuel, gestion des stocks, tenue de caisse, démarque inconnue, PrestaShop",
        "cash-handling inventory-management loss-prevention prestashop visual-merchandising",
    ),
    (
        "retail-ecommerce",
        "es",
        "Gestión por categorías, planogramas, manejo de caja, carnet de manipulador de alimentos, TPV",
        "cash-handling category-management food-handler-certificate planogram pos-systems",
    ),
    (
        "retail-ecommerce",
        "ja",
        "店舗で棚割り作成、レジ業務、棚卸を担当。販売士2級、食品衛生責任者。楽天市場の運営",
        "cash-handling food-handler-certificate hanbaishi planogram rakuten-ichiba stocktaking",
    ),
    # marketing and media
    (
        "marketing-media",
        "en",
        "SEO, paid search, Google Ads, GA4, Marketo, email marketing, media planning",
        "email-marketing google-ads google-analytics marketo media-planning sem seo",
    ),
    (
        "marketing-media",
        "de",
        "Suchmaschinenoptimierung, Content-Marketing, Social-Media-Marketing, Pressearbeit, Videoschnitt",
        "content-marketing public-relations seo social-media-marketing video-editing",
    ),
    (
        "marketing-media",
        "fr",
        "Référencement naturel, référencement payant, marketing d'influence, relations presse, montage vidéo",
        "influencer-marketing public-relations sem seo video-editing",
    ),
    (
        "marketing-media",
        "es",
        "Posicionamiento SEO, marketing de contenidos, marketing de afiliación, analítica web, Meta Ads",
        "affiliate-marketing content-marketing meta-ads seo web-analytics",
    ),
    (
        "marketing-media",
        "ja",
        "リスティング広告運用、SNSマーケティング、アクセス解析、動画編集、コピーライティングを担当",
        "copywriting sem social-media-marketing video-editing web-analytics",
    ),
    # education
    (
        "education",
        "en",
        "State teaching certificate; lesson planning, classroom management, IEP development, Canvas LMS, TEFL",
        "canvas-lms classroom-management iep lesson-planning teaching-qualification tefl",
    ),
    (
        "education",
        "de",
        "Unterrichtsplanung, Binnendifferenzierung, Sonderpädagogik, DaF-Unterricht, Montessori-Pädagogik",
        "daf-teaching differentiated-instruction lesson-planning montessori special-education",
    ),
    (
        "education",
        "fr",
        "CAPES ; préparation de cours, gestion de classe, pédagogie différenciée, ingénierie pédagogique, FLE",
        "classroom-management differentiated-instruction fle-teaching instructional-design lesson-planning"
        " teaching-qualification",
    ),
    (
        "education",
        "es",
        "Máster en Formación del Profesorado; programación didáctica, gestión del aula, evaluación formativa, ELE",
        "classroom-management ele-teaching formative-assessment lesson-planning teaching-qualification",
    ),
    (
        "education",
        "ja",
        "中学校教諭一種免許状。学習指導案の作成、学級経営、特別支援教育、eラーニング教材の開発",
        "classroom-management e-learning lesson-planning special-education teaching-qualification",
    ),
    # public sector
    (
        "public-sector",
        "en",
        "Public procurement, grant management, policy analysis, emergency management; Top Secret clearance",
        "emergency-management grant-management policy-analysis public-procurement security-clearance",
    ),
    (
        "public-sector",
        "de",
        "Vergaberecht, Verwaltungsrecht, Haushaltsrecht (Doppik), Fördermittelmanagement, Sicherheitsüberprüfung Ü2",
        "administrative-law grant-management public-budgeting public-procurement security-clearance",
    ),
    (
        "public-sector",
        "fr",
        "Marchés publics, droit administratif, finances publiques, gestion de subventions, urbanisme",
        "administrative-law grant-management public-budgeting public-procurement urban-planning",
    ),
    (
        "public-sector",
        "es",
        "Contratación pública, derecho administrativo, gestión de subvenciones, administración electrónica",
        "administrative-law e-government grant-management public-procurement",
    ),
    (
        "public-sector",
        "ja",
        "公共調達と補助金申請を担当。政策分析、行政法、事業継続計画の策定",
        "administrative-law business-continuity grant-management policy-analysis public-procurement",
    ),
    # professional services
    (
        "professional-services",
        "en",
        "Contract drafting, due diligence, legal research, Westlaw; PMP, PRINCE2 Practitioner",
        "contract-drafting due-diligence legal-research pmp prince2 westlaw",
    ),
    (
        "professional-services",
        "de",
        "Vertragsgestaltung, Arbeitsrecht, Gesellschaftsrecht, beck-online, HOAI, Jahresabschlussprüfung",
        "beck-online contract-drafting corporate-law employment-law hoai statutory-audit",
    ),
    (
        "professional-services",
        "fr",
        "Rédaction de contrats, droit du travail, commissariat aux comptes, contrôle interne, conduite du changement",
        "change-management contract-drafting employment-law internal-control statutory-audit",
    ),
    (
        "professional-services",
        "es",
        "Redacción de contratos, derecho laboral, auditoría de cuentas, fusiones y adquisiciones,"
        " precios de transferencia",
        "contract-drafting employment-law mergers-and-acquisitions statutory-audit transfer-pricing",
    ),
    (
        "professional-services",
        "ja",
        "契約書作成、デューデリジェンス、内部統制評価、移転価格。社会保険労務士、一級建築士",
        "architect-licence-japan contract-drafting due-diligence internal-control sharoushi transfer-pricing",
    ),
    # energy and utilities
    (
        "energy-utilities",
        "en",
        "NFPA 70E, OSHA 30, lockout/tagout, confined space entry, GWO BST; SCADA and protection relays",
        "confined-space-entry gwo lockout-tagout nfpa-70e osha protection-relays",
    ),
    (
        "energy-utilities",
        "de",
        "Elektrofachkraft, Schaltberechtigung, DGUV V3, Photovoltaik, Netzberechnung mit PowerFactory",
        "elektrofachkraft photovoltaics power-system-analysis powerfactory vde-regulations",
    ),
    (
        "energy-utilities",
        "fr",
        "Habilitation électrique B1V, travail en hauteur, maintenance préventive, audit énergétique, NF C 15-100",
        "energy-audit habilitation-electrique nf-c-15-100 preventive-maintenance working-at-height",
    ),
    (
        "energy-utilities",
        "es",
        "REBT, trabajos en altura, mantenimiento preventivo, auditoría energética, instalaciones fotovoltaicas",
        "energy-audit photovoltaics preventive-maintenance rebt working-at-height",
    ),
    (
        "energy-utilities",
        "ja",
        "第二種電気工事士、電験三種、エネルギー管理士。太陽光発電設備の予防保全と高所作業",
        "chief-electrical-engineer-japan electrician-licence-japan energy-manager-japan photovoltaics"
        " preventive-maintenance working-at-height",
    ),
]


@pytest.mark.parametrize(
    ("industry", "language", "line", "expected"), CV_LINES, ids=[f"{row[0]}-{row[1]}" for row in CV_LINES]
)
def test_it_reads_an_industrys_concepts_from_a_cv_line(index, industry, language, line, expected):
    expected = set(expected.split())
    found = set(_concepts(line, index))

    assert expected <= found, f"missing {sorted(expected - found)}"
    industries = concept_industries()
    assert all(industry in industries[concept] for concept in expected)


def test_every_industry_and_language_has_a_cv_line():
    covered = {(industry, language) for industry, language, _line, _expected in CV_LINES}

    assert covered == {(code, language) for code in INDUSTRY_CODES for language in ("en", "de", "fr", "es", "ja")}


def test_it_reads_a_concept_in_any_language_as_one_skill(index):
    found = keywords.skills_match(
        "Monatsabschluss; clôture mensuelle; cierre mensual; month-end close; 月次決算", index=index
    )

    assert [skill["concept"] for skill in found] == ["month-end-close"]


def test_a_truck_licence_is_not_also_a_car_licence(index):
    assert _concepts("Führerschein Klasse CE, Gabelstaplerschein", index) == ["truck-licence", "forklift-licence"]
    assert _concepts("大型自動車第一種運転免許", index) == ["truck-licence"]


# ---------------------------------------------------------------------------------------------------------------------
# Ordinary sentences
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "It was an epic journey across the mountains.",
        "I'm a patient and curious person who is controlling every detail.",
        "Picking up new tools quickly; emailing clients every week.",
        "Creo que la primavera es la mejor estación del año.",
        "Il paie ses factures à temps et gère son budget familial.",
        "Step 7 of the process is to review the sage advice of the team.",
        "Wir haben gemeinsam eine Lösung gefunden und das Projekt abgeschlossen.",
        "Leading a small team, I improved communication and teamwork.",
        "週末は家族と過ごし、読書や料理を楽しんでいます。",
        "Catia Rossi and Ishikawa Taro joined the team in a Promethean effort.",
        "Agrégation de données pour la direction ; publications related to the survey.",
        "Llevo al maximo mis capacidades; performing market analyses every quarter.",
        "Designed mechanical ventilation for office buildings; ventilation mécanique contrôlée (VMC).",
        "IHK-Abschlussprüfung mit Note 2; Innenraumplanung und Brandschutztechnik.",
    ],
)
def test_it_reads_no_concept_from_an_ordinary_sentence(index, sentence):
    assert _concepts(sentence, index) == []
