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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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
