"""What the salary estimate reads about the seeker (tracking/profile.py) and the currency of a country
(market.selectors.currency_for_country), with the source of each answer."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from market.selectors import currency_for_country
from tests.tracking.factories import CVDocumentFactory, JobPostingFactory, candidate_profile_set
from tracking.models import CandidateProfile, CVDocument
from tracking.profile import experience_level_for, experience_years_for, salary_currency_for

pytestmark = pytest.mark.django_db


def _cv(owner, *, years: int | None, status: str = CVDocument.Status.PARSED) -> CVDocument:
    return CVDocumentFactory(owner=owner, status=status, parsed={"skills": [], "years_experience": years})


# ---------------------------------------------------------------------------------------------------------------------
# Years of experience
# ---------------------------------------------------------------------------------------------------------------------
def test_it_takes_the_years_from_the_profile_first(owner) -> None:
    with schema_context("alpha"):
        _cv(owner, years=9)
        candidate_profile_set(owner, years_experience=3)

        found = experience_years_for(owner)

    assert (found.years, found.source) == (3, "profile")


def test_it_reads_the_newest_cv_that_found_years_when_the_profile_is_empty(owner) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner)
        _cv(owner, years=4)
        second = _cv(owner, years=6)
        _cv(owner, years=None)  # the newest found no date ranges: an unknown is not zero
        _cv(owner, years=15, status=CVDocument.Status.READING)  # not read yet

        found = experience_years_for(owner)

    assert (found.years, found.source, found.cv_version) == (6, "cv", second.version)


def test_it_prefers_the_cv_version_given_for_example_the_one_an_application_pins(owner) -> None:
    with schema_context("alpha"):
        pinned = _cv(owner, years=2)
        _cv(owner, years=8)

        found = experience_years_for(owner, cv=pinned)

    assert (found.years, found.source, found.cv_version) == (2, "cv", pinned.version)


def test_it_says_unknown_when_neither_profile_nor_cv_says(owner) -> None:
    with schema_context("alpha"):
        _cv(owner, years=None)

        found = experience_years_for(owner)

    assert (found.years, found.source) == (None, None)


def test_it_never_reads_another_users_cv(owner, member) -> None:
    with schema_context("alpha"):
        theirs = _cv(member, years=12)

        assert experience_years_for(owner).years is None
        with pytest.raises(PermissionError):
            experience_years_for(owner, cv=theirs)


# ---------------------------------------------------------------------------------------------------------------------
# Experience level: profile level, else profile years, else the title's word, else the CV's years
# ---------------------------------------------------------------------------------------------------------------------
def test_the_seekers_own_level_wins_over_the_title(owner) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, experience_level="MI", years_experience=12)

        found = experience_level_for(owner, title="Senior Data Engineer")

    assert (found.level, found.source) == ("MI", "profile")


def test_the_profiles_years_come_before_the_title(owner) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, years_experience=1)

        found = experience_level_for(owner, title="Senior Data Engineer")

    assert (found.level, found.source, found.years) == ("EN", "profile", 1)


def test_the_titles_seniority_word_decides_when_the_profile_is_empty(owner) -> None:
    with schema_context("alpha"):
        _cv(owner, years=1)

        found = experience_level_for(owner, title="Senior Data Engineer (m/w/d)")

    assert (found.level, found.source, found.word) == ("SE", "title", "Senior")


def test_the_cvs_years_decide_when_neither_profile_nor_title_says(owner) -> None:
    with schema_context("alpha"):
        _cv(owner, years=3)

        found = experience_level_for(owner, title="Data Engineer")

    assert (found.level, found.source, found.years) == ("MI", "cv", 3)


def test_no_level_when_nothing_says(owner) -> None:
    with schema_context("alpha"):
        found = experience_level_for(owner, title="Data Engineer")

    assert (found.level, found.source) == (None, None)


# ---------------------------------------------------------------------------------------------------------------------
# Currency
# ---------------------------------------------------------------------------------------------------------------------
def test_each_country_has_the_currency_the_cldr_file_names(countries) -> None:
    assert len(countries) == 252
    assert {code: currency_for_country(code) for code in countries} == countries


@pytest.mark.parametrize(
    ("country", "currency"),
    [("CA", "CAD"), ("ca", "CAD"), ("DE", "EUR"), ("JP", "JPY"), ("GB", "GBP"), ("US", "USD"), ("CH", "CHF")],
)
def test_it_names_the_iso_4217_currency_of_a_country(countries, country, currency) -> None:
    assert currency_for_country(country) == currency


@pytest.mark.parametrize("country", ["", "ZZ", "CAN", "AQ", None])
def test_it_names_no_currency_for_an_unknown_country_or_one_without(countries, country) -> None:
    assert currency_for_country(country) == ""


def test_the_seekers_chosen_currency_comes_first(owner, countries) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, preferred_currency="EUR", country="US")
        posting = JobPostingFactory(owner=owner, country="CA", salary_currency="CAD")

        found = salary_currency_for(owner, posting=posting)

    assert (found.code, found.source) == ("EUR", "profile")


def test_a_toronto_posting_is_priced_in_canadian_dollars(owner, countries) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="US")
        posting = JobPostingFactory(owner=owner, location="Toronto", country="CA", salary_currency="")

        found = salary_currency_for(owner, posting=posting)

    assert (found.code, found.source) == ("CAD", "posting_country")


def test_the_postings_stated_currency_comes_before_its_countrys(owner, countries) -> None:
    with schema_context("alpha"):
        posting = JobPostingFactory(owner=owner, country="CA", salary_currency="usd")

        found = salary_currency_for(owner, posting=posting)

    assert (found.code, found.source) == ("USD", "posting")


def test_the_seekers_country_is_the_last_resort(owner, countries) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, country="JP")
        posting = JobPostingFactory(owner=owner, country="", salary_currency="")

        found = salary_currency_for(owner, posting=posting)
        assert (found.code, found.source) == ("JPY", "profile_country")

        CandidateProfile.objects.filter(user=owner).update(country="")
        assert salary_currency_for(owner, posting=posting).code == ""


def test_it_refuses_another_users_posting(owner, member) -> None:
    with schema_context("alpha"):
        theirs = JobPostingFactory(owner=member)

        with pytest.raises(PermissionError):
            salary_currency_for(owner, posting=theirs)
