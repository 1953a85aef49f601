# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""How you compare: the match percentile among comparable applications (hidden below 10 of them, never counting the
user's own others or another tenant's), nothing of any other application in the answer, and the posted or offered
salary placed in the predicted range across currencies and periods.

Match scores are faked where the arithmetic is the point (``scores`` writes each CV's score into its text); one test
runs the real scorer end to end. The salary range is a fixed, made-up prediction (80,000 / 100,000 / 130,000 USD):
it proves the placement, never a model's accuracy.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from billing.models import Contract, Feature, Subscription
from market.models import Occupation, OccupationTitle
from market.text import title_normalize
from predictions import service
from predictions.comparison.arithmetic import (
    ABOVE_P90,
    BELOW_P10,
    P10_P50,
    P50_P90,
    percentile_rank,
    salary_position,
    title_key,
    yearly_amount,
)
from predictions.comparison.salary import Amount, amounts_to_place, salary_comparison
from predictions.comparison.service import match_cohort_scores, posting_basis
from predictions.match import service as match_service
from predictions.models import PredictionLog
from tenants.models import Client
from tests.accounts.factories import UserFactory
from tests.conftest import login
from tests.predictions.api.test_api import MARKER, foreign_application
from tests.predictions.serving_support import owner_application, salary_reference  # noqa: F401 - fixtures
from tests.tracking.conftest import member, owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory, CVDocumentFactory, JobPostingFactory
from tracking.cv import keywords

URL = "/api/v1/applications/{}/comparison/"
RANGE_USD = {"salary_p10": 80_000.0, "salary_p50": 100_000.0, "salary_p90": 130_000.0}
FX = {"EUR": (0.9, 2023)}


# ---------------------------------------------------------------------------------------------------------------------
# The arithmetic (pure)
# ---------------------------------------------------------------------------------------------------------------------
def test_it_ranks_a_score_counting_others_below_and_half_of_the_ties() -> None:
    others = [20, 30, 40, 50, 60, 60, 70, 70, 80, 90]

    assert percentile_rank(70, others) == 70  # (6 below + 2 ties / 2) / 10
    assert percentile_rank(65, others) == 60
    assert percentile_rank(10, others) == 0
    assert percentile_rank(95, others) == 100
    assert percentile_rank(45, [40, 50, 60]) == 33  # 33.3…
    assert percentile_rank(50, [40, 50, 60]) == 50
    assert percentile_rank(55, [10, 20, 30, 40, 50, 60, 70, 80]) == 63  # 62.5 rounds half up
    assert percentile_rank(50, []) is None


@pytest.mark.parametrize(
    ("amount", "position", "percentile"),
    [
        (79_999, BELOW_P10, None),
        (80_000, P10_P50, 10),
        (90_000, P10_P50, 31),  # 10 + 40 × ln(90/80) / ln(100/80) = 31.1
        (100_000, P50_P90, 50),
        (120_000, P50_P90, 78),  # 50 + 40 × ln(1.2) / ln(1.3) = 77.8
        (130_000, P50_P90, 90),
        (130_001, ABOVE_P90, None),
    ],
)
def test_it_places_a_yearly_amount_in_the_range_interpolating_in_log_salary(amount, position, percentile) -> None:
    placed = salary_position(amount, p10=80_000, p50=100_000, p90=130_000)

    assert (placed.position, placed.percentile) == (position, percentile)


def test_it_makes_hourly_daily_weekly_and_monthly_amounts_yearly() -> None:
    assert yearly_amount(50, "hour") == 104_000
    assert yearly_amount(400, "day") == 104_000
    assert yearly_amount(1_500, "week") == 78_000  # a trucker's weekly wage is not a year's pay
    assert yearly_amount(7_500, "month") == 90_000
    assert yearly_amount(90_000, "year") == 90_000
    with pytest.raises(ValueError, match="unknown period"):
        yearly_amount(1, "fortnight")


def test_it_normalises_titles_without_seniority_or_filler() -> None:
    assert title_key("Senior Analytics Engineer (m/w/d)") == title_key("analytics engineer") != ""
    assert title_key("Analytics Engineer") != title_key("Analytics Manager")
    assert title_key("Senior II") == ""


# ---------------------------------------------------------------------------------------------------------------------
# Salary placement (pure, with the survey's SIMULATED rate of 0.9 EUR per USD)
# ---------------------------------------------------------------------------------------------------------------------
def placed(*amounts: Amount, result: dict | None = None) -> dict:
    result = result or {**RANGE_USD, "currency": "USD"}
    return salary_comparison(result=result, amounts=list(amounts), fx_per_usd=FX)


def posted(low, high, currency="USD", period="year") -> list[Amount]:
    return amounts_to_place(
        salary_min=None if low is None else Decimal(low),
        salary_max=None if high is None else Decimal(high),
        salary_currency=currency,
        salary_period=period,
        offer_amount=None,
        offer_currency="",
    )


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (60_000, 70_000, [("posted_min", BELOW_P10, None), ("posted_max", BELOW_P10, None)]),
        (90_000, 120_000, [("posted_min", P10_P50, 31), ("posted_max", P50_P90, 78)]),
        (150_000, None, [("posted", ABOVE_P90, None)]),
        (100_000, 100_000, [("posted", P50_P90, 50)]),
    ],
)
def test_it_places_posted_salaries_below_inside_and_above_the_range(low, high, expected) -> None:
    items = placed(*posted(low, high))["items"]

    assert [(item["kind"], item["position"], item["percentile"]) for item in items] == expected


def test_it_says_where_each_amount_stands_in_words() -> None:
    below, above = placed(*posted(60_000, 150_000))["items"]

    assert below["sentence"] == (
        "The posted minimum (60,000 USD a year) is below the predicted range (under its 10th percentile, 80,000 USD)."
    )
    assert above["sentence"].endswith("is above the predicted range (over its 90th percentile, 130,000 USD).")
    inside = placed(*posted(90_000, None))["items"][0]
    assert inside["sentence"] == (
        "The posted salary (90,000 USD a year) is between the 10th percentile and the median of "
        "the predicted range, above about 31 % of the salaries predicted for this job."
    )


def test_it_converts_a_monthly_salary_in_another_currency_with_the_surveys_rate() -> None:
    [item] = placed(*posted(7_500, None, currency="EUR", period="month"))["items"]  # 90,000 EUR = 100,000 USD

    assert (item["position"], item["percentile"], item["yearly_amount"]) == (P50_P90, 50, 100_000.0)
    assert "Made yearly at 12 months a year." in item["notes"]
    assert "Converted from EUR to USD at the 2023 salary survey's rate, not today's rate." in item["notes"]


def test_it_makes_an_hourly_salary_yearly_at_2080_hours() -> None:
    [item] = placed(*posted(50, None, period="hour"))["items"]  # 104,000 USD a year

    assert (item["position"], item["percentile"], item["yearly_amount"]) == (P50_P90, 56, 104_000.0)
    assert "Made yearly at 2,080 working hours a year (40 hours × 52 weeks)." in item["notes"]


def test_it_makes_a_weekly_wage_yearly_at_52_weeks_not_as_a_years_pay() -> None:
    [item] = placed(*posted(1_900, None, period="week"))["items"]  # 98,800 USD a year

    assert (item["position"], item["yearly_amount"]) == (P10_P50, 98_800.0)
    assert "Made yearly at 52 weeks a year." in item["notes"]
    assert item["sentence"].startswith("The posted salary (1,900 USD a week, about 98,800 USD a year) is ")


def test_it_makes_a_daily_rate_yearly_at_260_days() -> None:
    [item] = placed(*posted(400, None, period="day"))["items"]  # 104,000 USD a year

    assert item["yearly_amount"] == 104_000.0
    assert "Made yearly at 260 working days a year (5 days × 52 weeks)." in item["notes"]


def test_it_compares_in_the_ranges_currency_when_the_range_was_converted() -> None:
    result_eur = {"salary_p10": 72_000.0, "salary_p50": 90_000.0, "salary_p90": 117_000.0, "currency": "EUR"}

    [item] = placed(*posted(100_000, None, currency="USD"), result=result_eur)["items"]  # 90,000 EUR

    assert (item["position"], item["percentile"], item["yearly_amount"]) == (P50_P90, 50, 90_000.0)
    assert "EUR a year" in item["sentence"]


def test_it_says_an_amount_in_a_currency_without_a_rate_cannot_be_placed() -> None:
    [item] = placed(*posted(95_000, None, currency="CHF"))["items"]

    assert (item["position"], item["percentile"], item["yearly_amount"]) == (None, None, None)
    assert item["sentence"] == (
        "The posted salary is in CHF, and no exchange rate from CHF to USD is known, so it cannot be placed in the "
        "predicted range."
    )


@pytest.mark.parametrize(
    ("offer", "period", "yearly", "position", "percentile"),
    [
        ("95000", "year", 95_000.0, P10_P50, 41),  # in a posting paid by the month: still a year's pay
        ("9000", "month", 108_000.0, P50_P90, 62),
        ("45.50", "hour", 94_640.0, P10_P50, 40),
    ],
)
def test_it_reads_an_offer_in_the_period_nearest_the_median_and_says_so(
    offer, period, yearly, position, percentile
) -> None:
    amounts = amounts_to_place(
        salary_min=None,
        salary_max=None,
        salary_currency="",
        salary_period="month",
        offer_amount=Decimal(offer),
        offer_currency="usd",
    )

    [placed_offer] = placed(*amounts)["items"]

    assert (placed_offer["kind"], placed_offer["amount_period"], placed_offer["yearly_amount"]) == (
        "offer",
        period,
        yearly,
    )
    assert (placed_offer["position"], placed_offer["percentile"]) == (position, percentile)
    reading = {"year": "a yearly amount", "month": "a monthly amount", "hour": "an hourly amount"}[period]
    assert placed_offer["notes"][0] == (
        f"The offer was recorded without a period: it is read as {reading}, the reading nearest the median."
    )


def test_it_says_when_there_is_nothing_to_place() -> None:
    comparison = placed()

    assert comparison["items"] == []
    assert comparison["message"] == (
        "The posting states no salary and no offer is recorded, so there is nothing to place."
    )


# ---------------------------------------------------------------------------------------------------------------------
# The cohort: fixtures
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def occupations(cast, db):
    """Data engineers are O*NET's Database Architects; gardeners are another occupation."""
    for code, occupation_title, titles in (
        ("15-1243.00", "Database Architects", ["Data Engineer", "Big Data Engineer"]),
        ("37-3011.00", "Landscaping and Groundskeeping Workers", ["Gardener"]),
    ):
        occupation = Occupation.objects.create(taxonomy="onet", code=code, title=occupation_title)
        for title in titles:
            OccupationTitle.objects.create(
                occupation=occupation, title=title, normalized_title=title_normalize(title), source="reported"
            )
    keywords.keyword_index_clear()
    yield
    keywords.keyword_index_clear()


@pytest.fixture
def scores(monkeypatch):
    """Fakes the scorer: an application's match score is the number after "score:" in its CV's text (no number, no
    score). Returns the list of application ids it was asked to score."""
    asked: list[int] = []

    def fake_match(*, user, application) -> dict:
        assert application.owner_id == user.pk
        asked.append(application.pk)
        found = re.search(r"score:(\d+)", application.cv.text if application.cv else "")
        return {
            "score": int(found.group(1)) if found else None,
            "band": None,
            "reason": None if found else "no score",
            "components": [],
            "changes": [],
            "scorer_version": "match-4",
        }

    monkeypatch.setattr(match_service, "application_match_for", fake_match)  # the cohort's scores
    monkeypatch.setattr(service, "application_match_for", fake_match)  # the owner's own, served and logged
    return asked


def scored_application(user: User, *, score: int | None, title: str = "Data Engineer", marker: str = ""):
    """An application of ``user`` in the active schema, whose (faked) match score is ``score``."""
    text = f"{marker} CV score:{score}" if score is not None else f"{marker} CV"
    cv = CVDocumentFactory(owner=user, text=text)
    posting = JobPostingFactory(owner=user, title=title, company=f"{marker} Company".strip(), description=marker)
    return ApplicationFactory(owner=user, posting=posting, cv=cv)


def others_apply(schema: str, scores_: list[int | None], *, title: str = "Data Engineer", marker: str = "") -> None:
    """One application for each score, each from a different new user of ``schema``."""
    with schema_context(schema):
        for score in scores_:
            scored_application(UserFactory(), score=score, title=title, marker=marker)


def comparison(client, application) -> dict:
    response = client.get(URL.format(application.pk))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def salary_range(monkeypatch, salary_reference) -> list[str]:  # noqa: F811
    """A fixed, made-up range in USD, served through the real panel code (its survey rates are SIMULATED too);
    returns the sources the range was served for."""

    sources: list[str] = []

    def fake_salary_serve(*, user, items, source, explain):
        sources.append(source)
        return [
            {
                **RANGE_USD,
                **{f"{key}_usd": value for key, value in RANGE_USD.items()},
                "currency": "USD",
                "exchange_rate": 1.0,
                "exchange_rate_year": None,
                "model_version": 1,
                "model_version_id": 1,
                "low_confidence": False,
                "low_confidence_reasons": [],
                "factors": [],
            }
        ]

    monkeypatch.setattr(service, "salary_serve", fake_salary_serve)
    return sources


# ---------------------------------------------------------------------------------------------------------------------
# The cohort: the percentile
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_hides_the_percentile_with_nine_comparable_applications_and_shows_it_with_ten(
    owner, owner_client, occupations
) -> None:
    mine = owner_application(owner, title="Data Engineer")  # the real scorer throughout
    with schema_context("alpha"):
        for _n in range(9):
            other = UserFactory()
            owner_application(other, title="Data Engineer")

    nine = comparison(owner_client, mine)["match"]
    with schema_context("alpha"):
        owner_application(UserFactory(), title="Data Engineer")
    ten = comparison(owner_client, mine)["match"]

    assert (nine["shown"], nine["percentile"], nine["comparable_count"]) == (False, None, 9)
    assert nine["sentence"] == "There are 9 comparable applications so far; a percentile needs at least 10."
    assert (ten["shown"], ten["comparable_count"], ten["minimum_comparable"]) == (True, 10, 10)
    assert ten["percentile"] == 50  # the same CV and posting text: ten ties
    assert ten["basis"] == {"kind": "occupation", "code": "15-1243.00", "label": "Database Architects"}


@pytest.mark.django_db
def test_it_computes_the_percentile_from_the_other_applications_scores(owner, owner_client, scores) -> None:
    with schema_context("alpha"):
        mine = scored_application(owner, score=70)
    others_apply("alpha", [20, 30, 40, 50, 60, 60, 70, 70, 80, 90, None])  # the unscored one is not comparable

    match = comparison(owner_client, mine)["match"]

    assert (match["percentile"], match["comparable_count"], match["score"]) == (70, 10, 70)
    assert match["sentence"] == "Your CV match (70 / 100) is above about 70 % of 10 comparable applications."


@pytest.mark.django_db
def test_it_compares_by_occupation_and_falls_back_to_the_normalised_title(owner, occupations, scores) -> None:
    with schema_context("alpha"):
        index = keywords.keyword_index()
        data = scored_application(owner, score=50, title="Data Engineer")
        analytics = scored_application(owner, score=50, title="Analytics Engineer")
        assert posting_basis("Big Data Engineer", index).key == "15-1243.00"
        assert posting_basis("Analytics Engineer", index).kind == "title"
    others_apply("alpha", [40, 60], title="Senior Data Engineer")
    others_apply("alpha", [45], title="Big Data Engineer")
    others_apply("alpha", [55, 65, 75], title="Senior analytics engineer (m/w/d)")
    others_apply("alpha", [10, 20, 30, 35], title="Gardener")

    with schema_context("alpha"):
        data_scores, _ = match_cohort_scores(user=owner, basis=posting_basis(data.posting.title, index))
        analytics_scores, _ = match_cohort_scores(user=owner, basis=posting_basis(analytics.posting.title, index))

    assert sorted(data_scores) == [40, 45, 60]
    assert sorted(analytics_scores) == [55, 65, 75]


@pytest.mark.django_db
def test_it_leaves_out_the_users_own_other_applications(owner, owner_client, scores) -> None:
    with schema_context("alpha"):
        mine = scored_application(owner, score=70)
        for _n in range(5):
            scored_application(owner, score=10)
    others_apply("alpha", [80] * 9)

    match = comparison(owner_client, mine)["match"]

    assert (match["shown"], match["comparable_count"]) == (False, 9)
    assert "Your own other applications are not counted." in match["notes"]


@pytest.mark.django_db
def test_it_never_counts_another_tenants_applications(cast, owner, owner_client, client_b, scores) -> None:
    with schema_context("alpha"):
        mine = scored_application(owner, score=70)
    others_apply("alpha", [60, 60])
    others_apply("beta", [10] * 12)
    with schema_context("beta"):
        strangers = scored_application(User.objects.get(email=cast.stranger_email), score=70)
    login(client_b, cast.stranger_email)

    in_alpha = comparison(owner_client, mine)["match"]
    in_beta = comparison(client_b, strangers)["match"]

    assert (in_alpha["shown"], in_alpha["comparable_count"]) == (False, 2)
    assert (in_beta["shown"], in_beta["comparable_count"], in_beta["percentile"]) == (True, 12, 100)


@pytest.mark.django_db
def test_it_answers_with_nothing_of_any_other_application(owner, owner_client, scores, salary_range) -> None:
    with schema_context("alpha"):
        mine = scored_application(owner, score=60)
    others_apply("alpha", [41, 43, 47, 53, 59, 61, 67, 71, 73, 79], marker=MARKER)

    response = owner_client.get(URL.format(mine.pk))
    page = owner_client.get(f"/app/applications/{mine.pk}/").content.decode()

    body = response.json()
    assert set(body) == {"application_id", "match", "salary"}
    assert set(body["match"]) == {
        "available",
        "shown",
        "percentile",
        "comparable_count",
        "minimum_comparable",
        "score",
        "basis",
        "notes",
        "sentence",
    }
    assert (body["match"]["percentile"], body["match"]["comparable_count"]) == (50, 10)
    as_text = json.dumps(body["match"])
    assert not any(str(score) in as_text for score in (41, 43, 47, 53, 59, 61, 67, 71, 73, 79))
    assert MARKER not in response.content.decode()
    assert "How you compare" in page
    assert "is above about 50 % of 10 comparable applications" in page
    assert MARKER not in page


@pytest.mark.django_db
def test_it_scores_a_cohort_once_and_then_reads_the_scores_from_the_cache(owner, scores) -> None:
    others_apply("alpha", [10, 20, 30])
    with schema_context("alpha"):
        basis = posting_basis("Data Engineer", keywords.keyword_index())
        first, _ = match_cohort_scores(user=owner, basis=basis)
        asked_first = len(scores)
        with CaptureQueriesContext(connection) as queries:
            second, _ = match_cohort_scores(user=owner, basis=basis)

    assert sorted(first) == sorted(second) == [10, 20, 30]
    assert asked_first == 3
    assert len(scores) == 3  # nothing scored again
    assert len(queries) == 5  # titles, index fingerprints, the cohort, the scorer's fingerprints, the industry data


@pytest.mark.django_db
def test_it_scores_a_cv_again_once_its_owner_corrected_it(owner, scores) -> None:
    from tracking.cv_corrections import cv_correction_save
    from tracking.models import Application

    others_apply("alpha", [10, 20, 30])
    with schema_context("alpha"):
        basis = posting_basis("Data Engineer", keywords.keyword_index())
        match_cohort_scores(user=owner, basis=basis)
        corrected = Application.objects.exclude(owner=owner).select_related("cv", "owner").order_by("pk").first()
        cv_correction_save(user=corrected.owner, cv=corrected.cv, years_experience=4)
        asked_before = list(scores)
        match_cohort_scores(user=owner, basis=basis)

    assert scores[len(asked_before) :] == [corrected.pk]  # that one only, the others from the cache


# ---------------------------------------------------------------------------------------------------------------------
# Isolation and plans
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_it_returns_404_for_another_users_application_with_no_trace_of_it(cast, member, owner_client, scores) -> None:
    with schema_context("alpha"):
        theirs = scored_application(member, score=50, marker=MARKER)

    response = owner_client.get(URL.format(theirs.pk))

    assert response.status_code == 404
    assert MARKER not in response.content.decode()
    with schema_context("alpha"):
        assert not PredictionLog.objects.exists()


@pytest.mark.django_db
def test_it_returns_404_for_another_tenants_application_with_no_trace_of_it(cast, owner, owner_client, scores) -> None:
    theirs = foreign_application("beta", cast.stranger_email)  # its id names no application in alpha

    response = owner_client.get(URL.format(theirs.pk))

    assert response.status_code == 404
    assert MARKER not in response.content.decode()
    assert scores == []


@pytest.mark.django_db
def test_it_refuses_a_free_user_with_the_reason_and_locks_both_parts_on_the_page(cast, owner, owner_client) -> None:
    with schema_context("public"):
        Subscription.objects.filter(tenant__schema_name="alpha", user_id=owner.pk).delete()
    mine = owner_application(owner)

    response = owner_client.get(URL.format(mine.pk))
    page = owner_client.get(f"/app/applications/{mine.pk}/").content.decode()

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "The Free plan does not include your match percentile among comparable applications."
    )
    compare = page[page.index('id="compare"') :]
    assert "Unlock your match percentile among comparable applications." in compare
    assert "Unlock salary range with reasons." in compare


@pytest.mark.django_db
def test_it_places_the_posted_salary_and_the_offer_in_the_predicted_range(owner, owner_client, salary_range) -> None:
    with schema_context("alpha"):
        posting = JobPostingFactory(
            owner=owner,
            title="Data Engineer",
            salary_min=Decimal("7500"),
            salary_max=Decimal("12000"),
            salary_currency="EUR",
            salary_period="month",
        )
        mine = ApplicationFactory(owner=owner, posting=posting, offer_amount=Decimal("10000"), offer_currency="USD")

    salary = comparison(owner_client, mine)["salary"]

    assert (salary["currency"], salary["p10"], salary["p50"], salary["p90"]) == ("USD", 80_000, 100_000, 130_000)
    assert [(item["kind"], item["position"], item["percentile"]) for item in salary["items"]] == [
        ("offer", P50_P90, 78),  # 120,000 USD a year
        ("posted_min", P50_P90, 50),  # 90,000 EUR = 100,000 USD
        ("posted_max", ABOVE_P90, None),  # 144,000 EUR = 160,000 USD
    ]
    assert salary_range == ["api"]  # served once, logged as an API request


@pytest.mark.django_db
def test_it_locks_only_the_part_a_plan_does_not_cover(cast, enterprise_client, scores) -> None:
    today = timezone.localdate()
    with schema_context("public"):
        Contract.objects.create(
            tenant=Client.objects.get(schema_name="gamma"),
            seats=5,
            price_per_seat_minor=2500,
            currency="EUR",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=30),
            features=[Feature.TRACKING, Feature.MATCH, Feature.INTERVIEW],  # no salary range
        )
    with schema_context("gamma"):
        mine = scored_application(User.objects.get(email=cast.enterprise_email), score=70)
    others_apply("gamma", [60] * 10)
    login(enterprise_client, cast.enterprise_email)

    body = comparison(enterprise_client, mine)

    assert (body["match"]["shown"], body["match"]["percentile"]) == (True, 100)
    assert body["salary"]["locked"] is True
    assert body["salary"]["message"] == (  # gamma works in German
        "Das Programm von Tenant gamma umfasst die Funktion „Gehaltsspanne mit Begründungen“ nicht."
    )
    assert "items" not in body["salary"]


@pytest.mark.django_db
def test_a_new_industry_keyword_database_is_a_new_score_fingerprint(cast) -> None:
    from market.models import KeywordDatabase
    from predictions.comparison.service import _scorer_fingerprint

    before = _scorer_fingerprint()
    KeywordDatabase.objects.filter(is_current=True).update(is_current=False)
    KeywordDatabase.objects.create(version=9_999, is_current=True)

    assert _scorer_fingerprint() != before  # the match weighs the posting industry's skills from it
