"""The industries and the occupations they employ, from BLS OEWS May 2025 national employment by sector.

The issue lists ten; the data argue for an eleventh, **transportation and logistics** (sector 48-49: trucking,
couriers, warehousing, passenger transport): with 7.4 million published jobs it is larger than technology, finance,
marketing and media or energy, and the issue's own example of a seeker who needs different advice is in logistics.
Construction (8.3 million) and accommodation and food services (14.3 million) are not covered yet: their postings
get no industry, and their occupations weigh only where the eleven employ them.

Each industry is a list of OEWS sectors, each optionally narrowed to the SOC groups that belong to the industry,
because OEWS publishes sectors (two-digit NAICS) and several industries share one:

- **Technology** is the Information sector (software publishing, telecommunications, data processing) plus the
  computer and mathematical occupations (SOC 15) of Professional, Scientific and Technical Services, where computer
  systems design sits; the sector's lawyers and accountants belong to professional services instead.
- **Marketing and media** has no sector of its own (advertising agencies are inside sector 54, publishers and
  broadcasters inside 51): it is the arts, design, media (SOC 27), marketing and advertising management (11-2) and
  market research (13-1161) occupations of sectors 51, 54 and 71.
- **Education** and **healthcare** add the teachers (SOC 25) and the health practitioners and support workers
  (SOC 29, 31) of state and local government, where public schools and hospitals are counted.
- **Manufacturing and engineering** adds the engineers (SOC 17) of sector 54 (engineering services).
- **Public sector** is OEWS's government sector without schools, hospitals and the Postal Service.

An occupation can weigh in more than one industry (a software developer in technology and in finance). Employment
that BLS suppresses is left out, so shares are of the published employment.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cvplus.i18n import in_every_language
from market.models import Industry, IndustryOccupation, WagePercentile


@dataclass(frozen=True)
class SectorSource:
    oews_code: str  # OEWS industry code of a sector ("51--52") or ownership group ("999301")
    soc_prefixes: tuple[str, ...] = ()  # empty: every occupation of the sector


@dataclass(frozen=True)
class IndustryDefinition:
    code: str
    name: str
    description: str
    naics: str
    sources: tuple[SectorSource, ...]


MEDIA_SOC = ("27-", "11-2", "13-1161")
INDUSTRIES: tuple[IndustryDefinition, ...] = (
    IndustryDefinition(
        "technology",
        _("Technology"),
        _("Software, internet, telecommunications, data and IT services."),
        "51, 54 (computer occupations)",
        (SectorSource("51--52"), SectorSource("54--55", ("15-",))),
    ),
    IndustryDefinition(
        "finance-insurance",
        _("Finance and insurance"),
        _("Banking, credit, investment, insurance carriers and brokers."),
        "52",
        (SectorSource("52--53"),),
    ),
    IndustryDefinition(
        "healthcare",
        _("Healthcare"),
        _("Hospitals, clinics, nursing and residential care, and social assistance."),
        "62, public hospitals",
        (SectorSource("62--63"), SectorSource("999201", ("29-", "31-")), SectorSource("999301", ("29-", "31-"))),
    ),
    IndustryDefinition(
        "manufacturing-engineering",
        _("Manufacturing and engineering"),
        _("Factories, production, industrial engineering and engineering services."),
        "31-33, 54 (engineers)",
        (SectorSource("31--34"), SectorSource("54--55", ("17-",))),
    ),
    IndustryDefinition(
        "retail-ecommerce",
        _("Retail and e-commerce"),
        _("Stores, online retail, wholesale and distribution."),
        "44-45, 42",
        (SectorSource("44--46"), SectorSource("42--43")),
    ),
    IndustryDefinition(
        "education",
        _("Education"),
        _("Schools, colleges, universities and training."),
        "61, public schools",
        (SectorSource("61--62"), SectorSource("999201", ("25-",)), SectorSource("999301", ("25-",))),
    ),
    IndustryDefinition(
        "professional-services",
        _("Professional services and consulting"),
        _("Legal, accounting, consulting, research and company management."),
        "54, 55",
        (SectorSource("54--55"), SectorSource("55--56")),
    ),
    IndustryDefinition(
        "marketing-media",
        _("Marketing and media"),
        _("Advertising, marketing, publishing, broadcasting, design and entertainment."),
        "51, 54, 71 (media and marketing occupations)",
        (SectorSource("51--52", MEDIA_SOC), SectorSource("54--55", MEDIA_SOC), SectorSource("71--72", MEDIA_SOC)),
    ),
    IndustryDefinition(
        "public-sector",
        _("Public sector"),
        _("Federal, state and local government administration and services."),
        "99 (government, excluding schools, hospitals and the Postal Service)",
        (SectorSource("99-100"),),
    ),
    IndustryDefinition(
        "transportation-logistics",
        _("Transportation and logistics"),
        _("Trucking, couriers, warehousing, shipping and passenger transport."),
        "48-49",
        (SectorSource("48--50"),),
    ),
    IndustryDefinition(
        "energy-utilities",
        _("Energy and utilities"),
        _("Electricity, gas, water, oil and gas extraction and mining."),
        "22, 21",
        (SectorSource("22--23"), SectorSource("21--22")),
    ),
)
INDUSTRY_CODES = tuple(definition.code for definition in INDUSTRIES)
BLS_NATIONAL_AREA = "0000000"
DETAILED_LEVEL = 3


def industry_choices() -> list[tuple[str, str]]:
    return [(definition.code, definition.name) for definition in INDUSTRIES]


@dataclass(frozen=True)
class OccupationWeight:
    soc_code: str
    title: str
    employment: int
    share: float


def occupation_weights(
    definition: IndustryDefinition, rows: Iterable[tuple[str, str, str, int | None]]
) -> list[OccupationWeight]:
    """Pure: the industry's detailed occupations by employment, largest first, from (OEWS industry code, SOC code,
    title, employment) rows of national detailed occupations. Suppressed employment (None) is left out."""
    employment: dict[str, int] = defaultdict(int)
    titles: dict[str, str] = {}
    wanted = {source.oews_code: source.soc_prefixes for source in definition.sources}
    for oews_code, soc, title, count in rows:
        if oews_code not in wanted or count is None:
            continue
        prefixes = wanted[oews_code]
        if prefixes and not soc.startswith(prefixes):
            continue
        employment[soc] += count
        titles[soc] = title
    total = sum(employment.values())
    if not total:
        return []
    ranked = sorted(employment.items(), key=lambda item: (-item[1], item[0]))
    return [OccupationWeight(soc, titles[soc], count, count / total) for soc, count in ranked]


def industries_ensure() -> dict[str, int]:
    """Writes the industries and their occupation weights from the loaded BLS wages; returns occupations per
    industry. Idempotent: an industry's weights are replaced as a whole, in one transaction."""
    codes = {source.oews_code for definition in INDUSTRIES for source in definition.sources}
    rows = list(
        WagePercentile.objects.filter(
            area_code=BLS_NATIONAL_AREA, occ_level=DETAILED_LEVEL, industry_code__in=codes
        ).values_list("industry_code", "soc_code", "occ_title", "employment")
    )
    written: dict[str, int] = {}
    with transaction.atomic():
        for position, definition in enumerate(INDUSTRIES):
            weights = occupation_weights(definition, rows)
            industry, _created = Industry.objects.update_or_create(
                code=definition.code,
                defaults={
                    "position": position,
                    "naics_sectors": definition.naics,
                    "employment": sum(weight.employment for weight in weights),
                    **in_every_language("name", definition.name),
                    **in_every_language("description", definition.description),
                },
            )
            IndustryOccupation.objects.filter(industry=industry).delete()
            IndustryOccupation.objects.bulk_create(
                IndustryOccupation(
                    industry=industry,
                    soc_code=weight.soc_code,
                    title=weight.title,
                    employment=weight.employment,
                    share=weight.share,
                )
                for weight in weights
            )
            written[definition.code] = len(weights)
        Industry.objects.exclude(code__in=INDUSTRY_CODES).delete()
    return written


# ---------------------------------------------------------------------------------------------------------------------
# Detecting a posting's industry
# ---------------------------------------------------------------------------------------------------------------------
# A posting's industry is read in three steps. First its title's job family (TITLE_FAMILIES): a backend engineer, a
# data scientist or a developer is a technology job whether a bank, a retailer or a software house employs them (its
# skills, titles and pay are technology's, and data/evaluation labels them so). Then, for a title of no known family,
# the employer's sector words (SECTOR_WORDS: "Lebensmittelhändler", "a hospital", "une banque"). Only then the keyword
# databases' task words, and only when the posting is long enough and one industry stands out; otherwise none.
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "retail-ecommerce": (
        "retail", "retailer", "e-commerce", "ecommerce", "online shop", "grocery", "supermarket", "stores",
        "einzelhandel", "handel", "händler", "lebensmittelhändler", "filialen", "onlinehandel", "commerce de détail",
        "distribution", "grande distribution", "magasins", "enseigne", "comercio minorista", "tiendas", "minorista",
        "supermercados", "小売", "ecサイト", "ecプラットフォーム", "通販", "店舗",
    ),
    "finance-insurance": (
        "bank", "banking", "insurance", "insurer", "fintech", "asset management", "bank", "versicherung",
        "versicherer", "banque", "assurance", "assureur", "banco", "banca", "seguros", "aseguradora", "銀行", "保険",
        "証券", "金融",
    ),
    "healthcare": (
        "hospital", "clinic", "health system", "patients", "klinik", "krankenhaus", "klinikum", "pflegeheim",
        "hôpital", "clinique", "hospital", "clínica", "病院", "クリニック", "医療法人",
    ),
    "transportation-logistics": (
        "logistics", "freight", "shipping company", "trucking", "logistik", "spedition", "logistique", "transporteur",
        "logística", "transporte", "物流", "運送",
    ),
    "education": (
        "school", "schools", "college", "edtech", "schule", "hochschule", "école", "lycée", "escuela", "colegio",
        "学校", "学習塾",
    ),
    "energy-utilities": (
        "energy company", "utility", "utilities", "power plant", "oil and gas", "energieversorger", "stadtwerke",
        "énergie", "fournisseur d'énergie", "energía", "eléctrica", "電力", "ガス会社",
    ),
    "manufacturing-engineering": (
        "manufacturing", "manufacturer", "factory", "plant", "fertigung", "hersteller", "werk", "usine", "fabricant",
        "fábrica", "fabricante", "製造", "メーカー", "工場",
    ),
    "public-sector": (
        "government", "public sector", "federal agency", "behörde", "öffentlicher dienst", "verwaltung",
        "administration publique", "fonction publique", "administración pública", "官公庁", "自治体",
    ),
    "marketing-media": (
        "advertising agency", "media company", "publisher", "broadcaster", "werbeagentur", "verlag",
        "agence de publicité", "agencia de publicidad", "広告代理店", "出版社",
    ),
    "professional-services": (
        "consulting", "consultancy", "law firm", "accounting firm", "beratung", "unternehmensberatung", "kanzlei",
        "cabinet de conseil", "consultoría", "コンサルティング",
    ),
    "technology": (
        "software company", "saas", "tech company", "softwareunternehmen", "softwarehaus", "éditeur de logiciels",
        "empresa de software", "it企業", "ソフトウェア会社",
    ),
}  # fmt: skip
# Job-title families: the industry a job of that family is counted in whoever employs it (a backend engineer at a bank
# or a retailer is a technology job: its skills, titles and pay are technology's).
TITLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "technology": (
        "software", "developer", "software engineer", "backend", "back-end", "frontend", "front-end", "full-stack",
        "fullstack", "devops", "sre", "site reliability", "data scientist", "data engineer", "machine learning",
        "programmer", "entwickler", "softwareentwickler", "informatiker", "développeur", "ingénieur logiciel",
        "desarrollador", "programador", "científico de datos", "científica de datos", "エンジニア", "プログラマ",
        "データサイエンティスト", "開発者",
    ),
    "healthcare": (
        "nurse", "physician", "doctor", "pharmacist", "therapist", "pflegefachkraft", "krankenpfleger", "arzt",
        "ärztin", "infirmier", "infirmière", "médecin", "enfermero", "enfermera", "médico", "看護師", "医師", "薬剤師",
    ),
    "education": (
        "teacher", "lecturer", "lehrer", "lehrerin", "lehrkraft", "enseignant", "professeur", "profesor", "maestro",
        "教師", "講師", "教員",
    ),
    "finance-insurance": (
        "underwriter", "actuary", "loan officer", "credit analyst", "kreditanalyst", "aktuar", "actuaire",
        "actuario", "analyste crédit", "analista de riesgos", "アクチュアリー", "融資",
    ),
    "transportation-logistics": (
        "truck driver", "dispatcher", "supply chain", "warehouse", "logistics", "lkw-fahrer", "lager", "logistik",
        "disponent", "logistique", "chauffeur", "camionero", "logística", "almacén", "ドライバー", "物流", "倉庫",
    ),
    "retail-ecommerce": (
        "store manager", "merchandise planner", "merchandiser", "cashier", "filialleiter", "filialleitung",
        "verkäufer", "responsable de magasin", "directeur de magasin", "jefe de tienda", "dependiente", "店長",
        "販売員",
    ),
    "manufacturing-engineering": (
        "mechanical engineer", "mechanical design", "quality engineer", "manufacturing engineer", "konstrukteur",
        "maschinenbau", "maschinenbauingenieur", "qualitätsingenieur", "ingénieur qualité", "ingénieur mécanique",
        "ingeniero de calidad", "ingeniero mecánico", "automoción", "機械設計", "品質管理", "生産技術",
    ),
    "energy-utilities": (
        "substation", "electrical grid", "power plant", "netzplanung", "hochspannung", "stromnetz",
        "réseaux électriques", "hta", "htb", "subestación", "電気主任技術者", "発電所",
    ),
    "professional-services": (
        "management consultant", "auditor", "accountant", "prüfungsassistent", "wirtschaftsprüfung",
        "wirtschaftsprüfer", "unternehmensberater", "consultant en organisation",
        "auditeur", "contable", "consultor", "会計士", "コンサルタント",
    ),
    "marketing-media": (
        "marketing manager", "marketing", "copywriter", "content manager", "journalist", "redakteur",
        "chargé de communication", "community manager", "mercadotecnia", "マーケティング", "編集者",
    ),
    "public-sector": (
        "sachbearbeitung", "sachbearbeiter", "verwaltungsfachangestellte", "fördermittel", "chargé de mission",
        "subventions", "subvenciones", "técnico de administración", "公務員", "行政",
    ),
}  # fmt: skip
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
DETECT_MIN_WORDS = 25  # a posting shorter than this says too little for its task words to name an industry
DETECT_MIN_SHARE = 0.35


def _phrase_re(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of the phrases: Latin ones as whole words, Japanese ones anywhere (Japanese has no spaces)."""
    latin = sorted((p for p in phrases if not _JAPANESE.search(p)), key=len, reverse=True)
    japanese = sorted((p for p in phrases if _JAPANESE.search(p)), key=len, reverse=True)
    parts = [r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in latin) + r")(?![\w-])"] if latin else []
    parts += [re.escape(p) for p in japanese]
    return re.compile("|".join(parts), re.IGNORECASE)


_SECTOR_RES = {code: _phrase_re(words) for code, words in SECTOR_WORDS.items()}
_FAMILY_RES = {code: _phrase_re(words) for code, words in TITLE_FAMILIES.items()}


class IndustryGuess(NamedTuple):
    code: str  # "" when there is not enough to tell
    how: str  # "sector_words", "title_family", "task_words" or "not_enough"


def industry_guess(
    *, title: str, description: str, requirement_lines: Iterable[str] = (), ranked: list[tuple[str, float]]
) -> IndustryGuess:
    """Pure: the industry of a posting (see SECTOR_WORDS above for the rule). ``ranked`` is the keyword databases'
    reading of the text (market.keyword_databases.industry_detect), used only for a posting long enough to say.
    The posting's requirement lines do not name the employer's sector ("a degree from a school")."""
    stated = set(requirement_lines)
    lines = (title, *description.splitlines())
    about = "\n".join(line for line in lines if not any(requirement in line for requirement in stated))
    families = [code for code, pattern in _FAMILY_RES.items() if pattern.search(title)]
    if len(families) == 1:
        return IndustryGuess(families[0], "title_family")
    counts = {code: len(set(pattern.findall(about.casefold()))) for code, pattern in _SECTOR_RES.items()}
    best = max(counts.values(), default=0)
    leaders = [code for code, count in counts.items() if count == best]
    if best and len(leaders) == 1:
        return IndustryGuess(leaders[0], "sector_words")
    words = len(description.split())
    if ranked and words >= DETECT_MIN_WORDS and ranked[0][1] >= DETECT_MIN_SHARE:
        return IndustryGuess(ranked[0][0], "task_words")
    return IndustryGuess("", "not_enough")
