"""How a country writes dates and numbers, its paper size and its currency, for the CV conventions panel.

Dates and numbers come from Django's own locale formats for the country's main language, where Django has such a
locale (``COUNTRY_LOCALES``); elsewhere the formats are left unknown rather than guessed. Singapore and India write
dates day first like British English and Django has no locale for them, so they use en-GB's formats (India with
its own lakh/crore digit grouping, 12,34,567.89). Paper sizes follow Unicode CLDR's paperSize data: US Letter in
the listed countries, A4 everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import dateformat, numberformat, translation
from django.utils.formats import get_format

from market.models import Country

# CLDR supplementalData.xml, <paperSize type="US-Letter" territories="...">.
LETTER_COUNTRIES = frozenset({"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"})
LETTER, A4 = "Letter", "A4"
COUNTRY_LOCALES = {
    "US": "en",
    "CA": "en-ca",
    "MX": "es-mx",
    "GB": "en-gb",
    "IE": "en-ie",
    "DE": "de",
    "AT": "de",
    "CH": "de-ch",
    "FR": "fr",
    "ES": "es",
    "IT": "it",
    "NL": "nl",
    "PT": "pt",
    "PL": "pl",
    "SE": "sv",
    "JP": "ja",
    "KR": "ko",
    "CN": "zh-hans",
    "TW": "zh-hant",
    "AU": "en-au",
    "SG": "en-gb",
    "IN": "en-gb",
}
NUMBER_GROUPINGS = {"IN": (3, 2, 0)}  # 12,34,567: lakh and crore
SAMPLE_DATE = date(2026, 12, 31)  # a day past the 12th shows the order of day and month
SAMPLE_NUMBER = Decimal("1234567.89")


@dataclass(frozen=True)
class CountryFormats:
    country_code: str
    locale: str  # the Django locale the examples come from; empty when unknown
    date_short: str  # empty when unknown
    date_long: str
    number: str
    paper_size: str  # "A4" or "Letter"
    currency_code: str
    currency_name: str


def paper_size(country_code: str) -> str:
    return LETTER if country_code.upper() in LETTER_COUNTRIES else A4


def region_paper_size(region_code: str) -> str:
    """The paper size of most of a region's countries: Letter in North America (US, Canada, Mexico), A4 in Europe
    and Asia-Pacific (where the Philippines is the exception)."""
    return LETTER if region_code == "NA" else A4


def country_formats(country: Country) -> CountryFormats:
    """Examples of the country's formats: 31 December 2026 as a short and a long date, 1234567.89 as a number."""
    code = country.iso2.upper()
    locale = COUNTRY_LOCALES.get(code, "")
    date_short = date_long = number = ""
    if locale:
        with translation.override(locale):  # month names in the country's language
            date_short = dateformat.format(SAMPLE_DATE, get_format("SHORT_DATE_FORMAT", lang=locale, use_l10n=True))
            date_long = dateformat.format(SAMPLE_DATE, get_format("DATE_FORMAT", lang=locale, use_l10n=True))
        number = numberformat.format(
            SAMPLE_NUMBER,
            decimal_sep=get_format("DECIMAL_SEPARATOR", lang=locale, use_l10n=True),
            decimal_pos=2,
            grouping=NUMBER_GROUPINGS.get(code) or get_format("NUMBER_GROUPING", lang=locale, use_l10n=True),
            thousand_sep=get_format("THOUSAND_SEPARATOR", lang=locale, use_l10n=True),
            force_grouping=True,
        )
    currency = country.currency if country.currency_id else None
    return CountryFormats(
        country_code=code,
        locale=locale,
        date_short=date_short,
        date_long=date_long,
        number=number,
        paper_size=paper_size(code),
        currency_code=currency.code if currency else "",
        currency_name=str(currency.name) if currency else "",
    )
