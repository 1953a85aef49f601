"""CV conventions by country: writing the catalogue to market.CVRule, choosing a country's rules pack, and checking a
CV against it.

A country with rules of its own gets only those; any other country of NA, EU or APAC gets its region's default; a
country outside the three regions gets none (the report says so rather than borrowing another region's rules).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cvplus.i18n import in_every_language
from market.cv_checks import ADVICE, FINDING, OK, CVFacts, rule_check
from market.cv_rules_catalogue import COUNTRY_PACKS, COUNTRY_WHERE, REGION_PACKS, REGION_WHERE, RuleSpec
from market.formats import CountryFormats, country_formats, paper_size, region_paper_size
from market.models import Country, CVRule, Region

logger = logging.getLogger(__name__)

SEVERITY_ORDER = {CVRule.Severity.MUST: 0, CVRule.Severity.SHOULD: 1, CVRule.Severity.TIP: 2}
STATUS_ORDER = {FINDING: 0, ADVICE: 1, OK: 2}


# ---------------------------------------------------------------------------------------------------------------------
# Writing the catalogue
# ---------------------------------------------------------------------------------------------------------------------
def _in_every_language(field: str, text: Promise, where: Promise | None = None) -> dict[str, str]:
    """The field's value in every language the site offers (django-modeltranslation's columns), from the
    catalogues; ``where`` fills the advice's %(where)s in the same language."""

    def render() -> str:
        value = str(text)
        if where is None:
            return value
        try:
            return value % {"where": str(where)}
        except (KeyError, ValueError, TypeError):  # a broken translation: the English text, not a failed load
            logger.warning("CV rule text in %s has bad placeholders: %r", translation.get_language(), value)
            with translation.override("en"):
                return str(text) % {"where": str(where)}

    return in_every_language(field, render)


def _rule_defaults(spec: RuleSpec, *, where: Promise, position: int) -> dict:
    return {
        "topic": spec.topic,
        "check_kind": spec.check_kind,
        "severity": spec.severity,
        "params": spec.params,
        "basis": spec.basis,
        "position": position,
        **_in_every_language("title", spec.title),
        **_in_every_language("advice", spec.advice, where),
    }


@dataclass(frozen=True)
class EnsureResult:
    written: int
    deleted: int
    missing_scopes: tuple[str, ...]  # countries or regions not loaded yet (load_reference_data cldr_countries)


def cv_rules_ensure() -> EnsureResult:
    """Writes every pack of the catalogue in every language, in one transaction; rules no longer in the catalogue are
    deleted. Idempotent. A pack whose country or region is not loaded yet is skipped and named in the result."""
    known_countries = set(Country.objects.filter(iso2__in=COUNTRY_PACKS).values_list("iso2", flat=True))
    known_regions = set(Region.objects.filter(code__in=REGION_PACKS).values_list("code", flat=True))
    scopes: list[tuple[dict, tuple[RuleSpec, ...], Promise]] = [
        ({"country_id": code, "region_id": None}, specs, COUNTRY_WHERE[code])
        for code, specs in COUNTRY_PACKS.items()
        if code in known_countries
    ] + [
        ({"country_id": None, "region_id": code}, specs, REGION_WHERE[code])
        for code, specs in REGION_PACKS.items()
        if code in known_regions
    ]
    missing = tuple(sorted(set(COUNTRY_PACKS) - known_countries) + sorted(set(REGION_PACKS) - known_regions))
    kept: list[int] = []
    with transaction.atomic():
        for scope, specs, where in scopes:
            for position, spec in enumerate(specs):
                rule, _created = CVRule.objects.update_or_create(
                    **scope, code=spec.code, defaults=_rule_defaults(spec, where=where, position=position)
                )
                kept.append(rule.pk)
        deleted, _by_model = CVRule.objects.exclude(pk__in=kept).delete()
    return EnsureResult(written=len(kept), deleted=deleted, missing_scopes=missing)


# ---------------------------------------------------------------------------------------------------------------------
# Choosing a pack
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RulePack:
    country: Country | None
    region: Region | None
    scope: str  # "country": the country's own rules; "region": the region's default; "none": no rules
    rules: list[CVRule]


def country_code_clean(value: str) -> str:
    """The upper-cased ISO code, or ValidationError on "country" when it is not two letters."""
    code = (value or "").strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValidationError({"country": _("Enter a two-letter country code, such as US or DE.")})
    return code


def cv_rule_pack(*, country_code: str = "", region_code: str = "") -> RulePack:
    """The rules for a country (its own, else its region's default), or a region's default when no country is
    given. ValidationError on "country" for a code that is no known country."""
    if country_code:
        code = country_code_clean(country_code)
        country = Country.objects.select_related("region", "currency").filter(iso2=code).first()
        if country is None:
            raise ValidationError({"country": _("%(code)s is not a country we know.") % {"code": code}})
        own = list(CVRule.objects.filter(country=country))
        if own:
            return RulePack(country, country.region, "country", own)
        if country.region_id is None:
            return RulePack(country, None, "none", [])
        defaults = list(CVRule.objects.filter(region_id=country.region_id))
        return RulePack(country, country.region, "region" if defaults else "none", defaults)
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is None:
        return RulePack(None, None, "none", [])
    defaults = list(CVRule.objects.filter(region=region))
    return RulePack(None, region, "region" if defaults else "none", defaults)


@dataclass(frozen=True)
class CountryChoice:
    code: str
    name: str


def cv_rule_country_choices() -> list[tuple[str, list[CountryChoice]]]:
    """Countries to pick from, as (group label, countries by name in the active language): first those with rules
    of their own, then the other countries of each region (which get its default). Two queries."""
    own = set(CVRule.objects.filter(country__isnull=False).order_by().values_list("country_id", flat=True).distinct())
    countries = Country.objects.filter(region__isnull=False).select_related("region")
    groups: dict[str, list[CountryChoice]] = {}
    own_group = str(_("Countries with detailed rules"))
    for country in countries:
        label = own_group if country.iso2 in own else str(country.region.name)
        groups.setdefault(label, []).append(CountryChoice(country.iso2, str(country.name)))
    ordered = sorted(groups, key=lambda label: (label != own_group, label.casefold()))
    return [(label, sorted(groups[label], key=lambda choice: choice.name.casefold())) for label in ordered]


# ---------------------------------------------------------------------------------------------------------------------
# Checking a CV
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConventionResult:
    code: str
    topic: str
    severity: str
    status: str  # "finding", "ok" or "advice" (see market.cv_checks.Outcome)
    title: str
    message: str  # the rule's advice, naming the country or region, in the active language
    detail: str  # what was measured ("Your CV has 3 pages."), when something was
    evidence: str  # the CV line behind the outcome, when there is one


@dataclass(frozen=True)
class ConventionsReport:
    country_code: str  # empty for a region's default without a country
    country_name: str
    region_code: str
    region_name: str
    scope: str
    checked: bool  # a readable CV was checked; otherwise every result is advice
    results: list[ConventionResult]
    formats: CountryFormats | None  # None without a country
    paper_size: str

    @property
    def findings(self) -> list[ConventionResult]:
        return [result for result in self.results if result.status == FINDING]

    @property
    def passed(self) -> list[ConventionResult]:
        return [result for result in self.results if result.status == OK]

    @property
    def advice(self) -> list[ConventionResult]:
        return [result for result in self.results if result.status == ADVICE]


def conventions_report(*, pack: RulePack, facts: CVFacts | None, today: date) -> ConventionsReport:
    """The pack's rules applied to one CV (``facts``; None to list the advice alone): findings first, most severe
    first, then advice, then what the CV already does right. No query beyond those the pack already made."""
    checked = facts is not None and bool(facts.text.strip())
    results = []
    for rule in pack.rules:
        outcome = rule_check(check_kind=rule.check_kind, params=rule.params, facts=facts, today=today)
        results.append(
            ConventionResult(
                code=rule.code,
                topic=rule.topic,
                severity=rule.severity,
                status=outcome.status,
                title=str(rule.title),
                message=str(rule.advice),
                detail=outcome.detail,
                evidence=outcome.evidence,
            )
        )
    positions = {rule.code: rule.position for rule in pack.rules}
    results.sort(
        key=lambda result: (STATUS_ORDER[result.status], SEVERITY_ORDER[result.severity], positions[result.code])
    )
    country, region = pack.country, pack.region
    return ConventionsReport(
        country_code=country.iso2 if country else "",
        country_name=str(country.name) if country else "",
        region_code=region.code if region else "",
        region_name=str(region.name) if region else "",
        scope=pack.scope,
        checked=checked,
        results=results,
        formats=country_formats(country) if country else None,
        paper_size=paper_size(country.iso2) if country else region_paper_size(region.code if region else ""),
    )
