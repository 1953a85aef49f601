"""Regenerate countries.csv, currencies.csv and regions.csv from the Unicode CLDR data shipped in `babel`.

Development-time tool only: the runtime reads the generated CSV files and never imports babel.

    .venv/bin/uv pip install --python .venv/bin/python babel
    .venv/bin/python data/reference/cldr_countries/build.py [--as-of YYYY-MM-DD]

The output is deterministic for a given babel version and --as-of date (the day on which "current legal tender" is
evaluated). Update AS_OF and SOURCE.md together when regenerating.
"""

from __future__ import annotations

import argparse
import csv
import datetime
from pathlib import Path

import babel
from babel import Locale
from babel.core import get_cldr_version, get_global
from babel.numbers import get_currency_precision, get_territory_currencies

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "fr", "de", "es", "ja")
AS_OF = datetime.date(2026, 11, 1)

# CLDR territory codes that are not ISO 3166-1 countries or territories: groupings (EU, EZ, UN, QO, ZZ) and codes
# ISO 3166 only "exceptionally reserves" (Ascension, Clipperton, Sark, Diego Garcia, Ceuta & Melilla, Canaries,
# Tristan da Cunha). XK (Kosovo) is user-assigned in ISO 3166 but universally used, so it is kept.
EXCLUDED_TERRITORIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"})

# CLDR's territory aliases map both current and withdrawn ISO 3166-1 alpha-3 codes to alpha-2; drop the withdrawn.
WITHDRAWN_ALPHA3 = frozenset({"BUR", "ZAR", "DDR", "FXX", "TMP", "YMD"})

# The product's three markets. Every other country has no region: the product treats it as "outside NA/EU/APAC".
# NA is the three USMCA countries only (US territories such as PR, GU, VI are not included).
REGION_NA = ("US", "CA", "MX")
# EU-27, the EEA EFTA states (IS, LI, NO), Switzerland and the United Kingdom. Outermost regions with their own ISO
# code (GF, GP, MQ, RE, YT, MF) are not included.
REGION_EU = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "IS", "LI", "NO",
    "CH", "GB",
)  # fmt: skip
# UN M49 Eastern Asia, Southern Asia (except Iran, commercially part of the Middle East), South-eastern Asia and
# Oceania (Australia and New Zealand, Melanesia, Micronesia, Polynesia, including dependent territories).
REGION_APAC = (
    # Eastern Asia
    "CN", "HK", "MO", "TW", "JP", "KR", "KP", "MN",
    # Southern Asia (without IR)
    "AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK",
    # South-eastern Asia
    "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN",
    # Oceania: Australia and New Zealand
    "AU", "NZ", "CX", "CC", "HM", "NF",
    # Oceania: Melanesia
    "FJ", "NC", "PG", "SB", "VU",
    # Oceania: Micronesia
    "GU", "KI", "MH", "FM", "NR", "MP", "PW", "UM",
    # Oceania: Polynesia
    "AS", "CK", "PF", "NU", "PN", "WS", "TK", "TO", "TV", "WF",
)  # fmt: skip

# CLDR has names for "North America" (003, which includes Central America and the Caribbean) and "Europe" (150) but
# none for Asia-Pacific, and neither matches the product's definition exactly, so region names are written here.
REGION_NAMES = {
    "NA": {"en": "North America", "fr": "Amérique du Nord", "de": "Nordamerika", "es": "Norteamérica", "ja": "北米"},
    "EU": {"en": "Europe", "fr": "Europe", "de": "Europa", "es": "Europa", "ja": "ヨーロッパ"},
    "APAC": {
        "en": "Asia-Pacific",
        "fr": "Asie-Pacifique",
        "de": "Asien-Pazifik",
        "es": "Asia-Pacífico",
        "ja": "アジア太平洋",
    },
}


def region_for(iso2: str) -> str:
    for code, members in (("NA", REGION_NA), ("EU", REGION_EU), ("APAC", REGION_APAC)):
        if iso2 in members:
            return code
    return ""


def alpha3_by_alpha2() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for alias, replacements in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(replacements) == 1 and alias not in WITHDRAWN_ALPHA3:
            iso2 = replacements[0]
            if iso2 in mapping:
                raise SystemExit(f"two alpha-3 codes for {iso2}: {mapping[iso2]}, {alias}")
            mapping[iso2] = alias
    return mapping


def current_currency(iso2: str, as_of: datetime.date) -> str:
    """The legal-tender currency of a territory on as_of; with several (PA: PAB+USD, BG on its euro changeover day),
    the most recently introduced one. Empty when CLDR lists none (AQ)."""
    details = get_territory_currencies(iso2, as_of, tender=True, include_details=True)
    if not details:
        return ""
    return max(details, key=lambda d: d["from"] or datetime.date.min)["currency"]


def build(as_of: datetime.date) -> None:
    locales = {language: Locale.parse(language) for language in LANGUAGES}
    alpha3 = alpha3_by_alpha2()
    iso2_codes = sorted(
        code
        for code in locales["en"].territories
        if len(code) == 2 and code.isalpha() and code not in EXCLUDED_TERRITORIES
    )
    for members in (REGION_NA, REGION_EU, REGION_APAC):
        unknown = set(members) - set(iso2_codes)
        if unknown:
            raise SystemExit(f"region lists name unknown territories: {sorted(unknown)}")

    countries = []
    currency_codes: set[str] = set()
    for iso2 in iso2_codes:
        currency = current_currency(iso2, as_of)
        if currency:
            currency_codes.add(currency)
        countries.append(
            {
                "iso2": iso2,
                "iso3": alpha3.get(iso2, ""),
                **{f"name_{lang}": locales[lang].territories[iso2] for lang in LANGUAGES},
                "currency": currency,
                "region": region_for(iso2),
            }
        )

    currencies = [
        {
            "code": code,
            **{f"name_{lang}": locales[lang].currencies.get(code, code) for lang in LANGUAGES},
            "minor_digits": get_currency_precision(code),
        }
        for code in sorted(currency_codes)
    ]
    regions = [{"code": code, **{f"name_{lang}": names[lang] for lang in LANGUAGES}} for code, names in REGION_NAMES.items()]

    write_csv(HERE / "countries.csv", countries)
    write_csv(HERE / "currencies.csv", currencies)
    write_csv(HERE / "regions.csv", regions)
    print(
        f"babel {babel.__version__}, CLDR {get_cldr_version()}, as of {as_of.isoformat()}: "
        f"{len(countries)} countries, {len(currencies)} currencies, {len(regions)} regions"
    )


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=AS_OF, help="date for legal tender")
    build(parser.parse_args().as_of)


if __name__ == "__main__":
    main()
