"""What the salary estimate knows about the seeker, and where each answer came from: years of experience (their
profile, else their CV), experience level (their profile, else the posting's title, else the years) and the currency
to show salaries in (their choice, else the posting's).

Reads only, scoped to the user (a tenant schema's own rows). Each answer carries its ``source`` so the salary card
can say what it assumed ("Senior" in the title, 6 years read from your CV).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from market.selectors import currency_for_country
from market.seniority import level_for_years, title_seniority
from tracking.cv_corrections import cv_parsed
from tracking.models import CandidateProfile, CVDocument, JobPosting

PROFILE = "profile"
CV = "cv"
TITLE = "title"
POSTING = "posting"
POSTING_COUNTRY = "posting_country"
PROFILE_COUNTRY = "profile_country"


@dataclass(frozen=True)
class ExperienceYears:
    years: int | None
    source: str | None  # PROFILE, CV, or None when neither says
    cv_version: int | None = None  # the CV version the years were read from


@dataclass(frozen=True)
class ExperienceLevel:
    level: str | None  # EN, MI, SE, EX (the salary surveys' levels), or None when nothing says
    source: str | None  # PROFILE (their level, or their years), TITLE, CV, or None
    word: str = ""  # with TITLE: the words as written that decided it ("Senior", "Head of", "部長")
    years: int | None = None  # with PROFILE from years, or CV: the years the level came from


@dataclass(frozen=True)
class SalaryCurrency:
    code: str  # ISO 4217, or "" when nothing says (the caller uses the workspace's currency)
    source: str | None  # PROFILE, POSTING, POSTING_COUNTRY, PROFILE_COUNTRY, or None


def _profile(user: User) -> CandidateProfile | None:
    return CandidateProfile.objects.filter(user=user).first()


def _cv_years(user: User, cv: CVDocument | None) -> tuple[int | None, int | None]:
    """(years, version) from the given CV version (e.g. the one an application pins), else from the newest read
    version that found any. Years the seeker corrected (tracking.cv_corrections) replace the ones read."""
    if cv is not None:
        if cv.owner_id != user.pk:
            raise PermissionError("experience_years_for: the CV belongs to another user")
        years = cv_parsed(cv).get("years_experience")
        if isinstance(years, int):
            return years, cv.version
    read = Q(parsed__years_experience__isnull=False) & ~Q(parsed__years_experience=None)
    newest = (
        CVDocument.objects.filter(owner=user, status=CVDocument.Status.PARSED)
        .filter(read | Q(correction__years_experience__isnull=False))
        .order_by("-version")
        .values_list("correction__years_experience", "parsed__years_experience", "version")
        .first()
    )
    if newest is None:
        return None, None
    corrected, years, version = newest
    years = corrected if corrected is not None else years
    if not isinstance(years, int):
        return None, None
    return years, version


def experience_years_for(
    user: User, *, profile: CandidateProfile | None = None, cv: CVDocument | None = None
) -> ExperienceYears:
    """The years the seeker gave in their profile; when empty, the years read from their CV (``cv`` when given and
    read, else the newest read version with a value); else unknown. ``profile`` saves a query when the caller has it."""
    profile = profile if profile is not None else _profile(user)
    if profile is not None and profile.years_experience is not None:
        return ExperienceYears(profile.years_experience, PROFILE)
    years, version = _cv_years(user, cv)
    if years is not None:
        return ExperienceYears(years, CV, version)
    return ExperienceYears(None, None)


def experience_level_for(
    user: User, *, title: str, profile: CandidateProfile | None = None, cv: CVDocument | None = None
) -> ExperienceLevel:
    """The level to price a posting at: the seeker's own level when their profile gives one (their chosen level,
    else their years), else the seniority word in the posting's ``title``, else the years read from their CV, else
    None (the caller assumes and says so)."""
    profile = profile if profile is not None else _profile(user)
    if profile is not None and profile.experience_level:
        return ExperienceLevel(profile.experience_level, PROFILE)
    if profile is not None and profile.years_experience is not None:
        return ExperienceLevel(level_for_years(profile.years_experience), PROFILE, years=profile.years_experience)
    stated = title_seniority(title)
    if stated is not None:
        return ExperienceLevel(stated.level, TITLE, word=stated.word)
    years, _version = _cv_years(user, cv)
    if years is not None:
        return ExperienceLevel(level_for_years(years), CV, years=years)
    return ExperienceLevel(None, None)


def salary_currency_for(user: User, *, posting: JobPosting, profile: CandidateProfile | None = None) -> SalaryCurrency:
    """The currency to show a posting's salary in: the seeker's chosen currency, else the one the posting states
    its salary in, else its country's (market.selectors.currency_for_country), else the seeker's country's; "" when
    none is known."""
    if posting.owner_id != user.pk:
        raise PermissionError("salary_currency_for: the posting belongs to another user")
    profile = profile if profile is not None else _profile(user)
    if profile is not None and profile.preferred_currency:
        return SalaryCurrency(profile.preferred_currency, PROFILE)
    if posting.salary_currency:
        return SalaryCurrency(posting.salary_currency.upper(), POSTING)
    if code := currency_for_country(posting.country):
        return SalaryCurrency(code, POSTING_COUNTRY)
    if profile is not None and (code := currency_for_country(profile.country)):
        return SalaryCurrency(code, PROFILE_COUNTRY)
    return SalaryCurrency("", None)
