"""The seeker dashboard (/app/insights/, analytics/seeker_dashboard.py): figures equal a hand computation on a scripted
history, only the seeker's own applications count, a move shows at the next page load, the comparison with the
predictions follows the plan, and the wording is honest when there is little to say."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from analytics import seeker_dashboard as dashboard_module
from analytics.seeker_dashboard import seeker_dashboard
from analytics.seeker_figures import EventRow, interview_check, weekly_activity
from portal.outcomes import PredictedRange
from tests.billing.grants import cast_premium, plan_grant  # noqa: F401 - fixture
from tests.conftest import login
from tracking.models import Application, Stage
from tracking.services import application_create, application_move, posting_create

A, S, IV, OF = Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER


@pytest.fixture(autouse=True)
def _premium_for_the_cast(cast_premium) -> None:  # noqa: F811
    """Premium: the comparison with the interview odds and salary ranges is a premium feature."""


@dataclass
class History:
    owner: User
    applications: dict[str, Application]


def _track(owner: User, name: str, channel: str, moves: list[tuple[str, int]], *, offer: int = 0) -> Application:
    """An application through the services, `moves` as (stage, days ago); an hour earlier than whole days, so that
    whole-day spans come out as written."""
    now = timezone.now() - timedelta(hours=1)
    posting = posting_create(owner=owner, title=f"{name} Analyst", company=f"{name} GmbH", country="DE")
    (first, days), *rest = moves
    application = application_create(
        owner=owner, posting=posting, channel=channel, stage=first, at=now - timedelta(days=days)
    )
    for stage, days_ago in rest:
        extra = {"offer_amount": offer, "offer_currency": "EUR"} if stage == OF else {}
        application_move(application=application, to_stage=stage, by=owner, at=now - timedelta(days=days_ago), **extra)
    return application


def history_build(owner: User) -> History:
    """Seven applications (days ago):
    a1 job board:    applied 60, screening 50, interviewing 40, interviewing (round 2) 35, offer 30 (55,000 EUR),
                     accepted 28
    a2 job board:    applied 45, rejected 40
    a3 referral:     applied 40, interviewing 30 (straight from applied), rejected 20
    a4 referral:     applied 10 (waiting)
    a5 company site: applied 50, ghosted 20
    a6 job board:    saved 5 (never sent)
    a7 recruiter:    applied 35, withdrawn 33
    """
    channel = Application.Channel
    apps = {
        "a1": _track(
            owner,
            "Aurora",
            channel.JOB_BOARD,
            [(A, 60), (S, 50), (IV, 40), (IV, 35), (OF, 30), (Stage.ACCEPTED, 28)],
            offer=55_000,
        ),
        "a2": _track(owner, "Birch", channel.JOB_BOARD, [(A, 45), (Stage.REJECTED, 40)]),
        "a3": _track(owner, "Cedar", channel.REFERRAL, [(A, 40), (IV, 30), (Stage.REJECTED, 20)]),
        "a4": _track(owner, "Dune", channel.REFERRAL, [(A, 10)]),
        "a5": _track(owner, "Ember", channel.COMPANY_SITE, [(A, 50), (Stage.GHOSTED, 20)]),
        "a6": _track(owner, "Fjord", channel.JOB_BOARD, [(Stage.SAVED, 5)]),
        "a7": _track(owner, "Grove", channel.RECRUITER, [(A, 35), (Stage.WITHDRAWN, 33)]),
    }
    return History(owner, apps)


@pytest.fixture
def owner(cast, db):
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)


@pytest.fixture
def history(owner) -> History:
    return history_build(owner)


@pytest.fixture
def other_seeker(cast, owner) -> User:
    """The member of tenant A, with applications of their own that must never show on the owner's page."""
    member = User.objects.get(email=cast.member_email)
    _track(member, "Secretive", Application.Channel.AGENCY, [(A, 70), (S, 60), (IV, 50), (OF, 45)], offer=99_000)
    _track(member, "Hidden", Application.Channel.AGENCY, [(A, 3)])
    return member


# ---------------------------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------------------------
def test_it_counts_the_funnel_and_its_conversions_by_hand(history, other_seeker):
    figures = seeker_dashboard(user=history.owner, predictions=False)

    # Sent: a1, a2, a3, a4, a5, a7 (a6 is only saved). Screening: a1, and a3, which went straight to an interview.
    assert (figures.applications, figures.sent) == (7, 6)
    assert [(step.stage, step.applications) for step in figures.funnel] == [(A, 6), (S, 2), (IV, 2), (OF, 1)]
    assert [step.rate for step in figures.funnel] == [None, 2 / 6, 1.0, 0.5]


def test_it_computes_the_answer_rate_per_channel_by_hand(history):
    figures = seeker_dashboard(user=history.owner, predictions=False)

    # job board: a1 screened, a2 rejected (a6 never sent); referral: a3 interviewed, a4 waiting; company site: a5
    # ghosted; recruiter: a7 withdrawn before any answer.
    assert [(row.channel, row.sent, row.answered) for row in figures.channels] == [
        ("referral", 2, 1),
        ("company_site", 1, 0),
        ("job_board", 2, 2),
        ("recruiter", 1, 0),
    ]
    assert [row.rate for row in figures.channels] == [0.5, 0.0, 1.0, 0.0]


def test_it_takes_the_median_time_in_each_stage_with_the_open_stays_censored(history):
    figures = seeker_dashboard(user=history.owner, predictions=False)

    times = {row.stage: row for row in figures.stage_times}
    # Applied: a7 2 days, a2 5, a1 10, a3 10, a5 30 (to ghosted), and a4 still there after 10 (censored).
    # Kaplan–Meier: day 2 6 at risk, 1 leaves: S = 5/6; day 5: S = 5/6 · 4/5 = 2/3; day 10: 4 at risk, 2 leave
    # (the censored one counts as at risk that day): S = 2/3 · 2/4 = 1/3 ≤ 1/2, so the median is day 10.
    assert (times[A].ended, times[A].still_in, times[A].median_days) == (5, 1, 10)
    assert (times[S].ended, times[S].still_in, times[S].median_days) == (1, 0, 10)  # a1, 50 → 40 days ago
    # a1 40 → 30 (its second round is the same stay), a3 30 → 20.
    assert (times[IV].ended, times[IV].still_in, times[IV].median_days) == (2, 0, 10)
    assert (times[OF].ended, times[OF].still_in, times[OF].median_days) == (1, 0, 2)  # a1, offer 30 → accepted 28


def test_the_median_is_not_reached_while_most_stays_are_open(owner):
    for name in ("One", "Two", "Three"):
        _track(owner, name, Application.Channel.REFERRAL, [(A, 20)])
    _track(owner, "Four", Application.Channel.REFERRAL, [(A, 25), (Stage.REJECTED, 21)])

    times = {row.stage: row for row in seeker_dashboard(user=owner, predictions=False).stage_times}

    assert (times[A].ended, times[A].still_in, times[A].median_days) == (1, 3, None)
    assert times[S].median_days is None
    assert times[S].ended == times[S].still_in == 0


def test_it_counts_applications_added_and_moves_per_week():
    today = datetime.date(2026, 3, 18)  # a Wednesday: this week started on Monday 16 March
    at = datetime.datetime(2026, 3, 17, 9, tzinfo=datetime.UTC)
    events = [
        EventRow(1, "", "applied", at),  # this week: added
        EventRow(1, "applied", "screening", at + timedelta(days=1)),  # this week: a move
        EventRow(2, "", "saved", datetime.datetime(2026, 3, 15, 23, 59, tzinfo=datetime.UTC)),  # Sunday: last week
        EventRow(3, "", "applied", datetime.datetime(2025, 12, 29, tzinfo=datetime.UTC)),  # Monday, 11 weeks back
        EventRow(4, "", "applied", datetime.datetime(2025, 12, 28, tzinfo=datetime.UTC)),  # 12 weeks back: left out
    ]

    weeks = weekly_activity(events, today=today)

    assert len(weeks) == 12
    assert weeks[0].start == datetime.date(2025, 12, 29)
    assert weeks[-1].start == datetime.date(2026, 3, 16)
    assert [(week.added, week.moves) for week in weeks] == [(1, 0)] + [(0, 0)] * 9 + [(1, 0), (1, 1)]


def test_the_weeks_on_the_dashboard_hold_every_addition_and_move_of_the_last_weeks(history):
    figures = seeker_dashboard(user=history.owner, predictions=False)

    # All seven were added within 60 days; moves: a1 5, a2 1, a3 2, a5 1, a7 1.
    assert sum(week.added for week in figures.weeks) == 7
    assert sum(week.moves for week in figures.weeks) == 10


def test_it_reads_the_seekers_rows_in_two_queries_whatever_their_number(history, django_assert_num_queries):
    with django_assert_num_queries(2):
        seeker_dashboard(user=history.owner, predictions=False)
    _track(history.owner, "More", Application.Channel.REFERRAL, [(A, 3), (S, 2), (IV, 1)])
    with django_assert_num_queries(2):
        seeker_dashboard(user=history.owner, predictions=False)


# ---------------------------------------------------------------------------------------------------------------------
# Against the predictions
# ---------------------------------------------------------------------------------------------------------------------
PROBABILITY_BY_CHANNEL = {"job_board": 0.2, "referral": 0.5, "company_site": 0.1, "recruiter": 0.9}


def _fixed_odds(*, user, inputs, explain, source):
    return [{"interview_probability": PROBABILITY_BY_CHANNEL[item["channel"]]} for item in inputs]


def test_it_sets_the_interviews_against_the_sum_of_the_predicted_probabilities(history, monkeypatch):
    monkeypatch.setattr(dashboard_module.service, "interview_serve", _fixed_odds)

    figures = seeker_dashboard(user=history.owner)

    # Known outcomes (sent 30+ days ago, not withdrawn first): a1 (screened: 1), a2 (rejected: 0), a3 (interview: 1),
    # a5 (ghosted: 0). a4 is too recent and a7 was withdrawn: both wait.
    # Expected: 0.2 + 0.2 + 0.5 + 0.1 = 1.0. The number of interviews those odds give: P(0) = .8·.8·.5·.9 = .288
    # (≥ 2.5 %, so the range starts at 0); P(3) = .008 + .008 + .002 + .018 = .036 and P(4) = .002, so
    # P(≤ 2) = .962 < 97.5 % ≤ P(≤ 3): the range ends at 3. Two interviews is in line.
    check = figures.interview
    assert (check.applications, check.observed, check.low, check.high) == (4, 2, 0, 3)
    assert check.expected == pytest.approx(1.0)
    assert check.verdict == "in_line"
    assert figures.interview_waiting == 2


def test_more_or_fewer_interviews_than_the_odds_allow_are_called_so():
    assert interview_check([(0.05, 1)] * 4).verdict == "more"  # P(≥ 1) = 1 − .95⁴ ≈ 19 %, P(≥ 2) ≈ 1.4 %
    assert interview_check([(0.9, 0)] * 5).verdict == "fewer"
    assert interview_check([]) is None


def test_it_places_each_offer_against_its_predicted_range(history, monkeypatch):
    a1 = history.applications["a1"]

    def ranges(*, viewer, offers):
        assert [row["id"] for row in offers] == [a1.pk]  # the owner's one offer, nobody else's
        return {a1.pk: PredictedRange(Decimal(40_000), Decimal(45_000), Decimal(50_000))}, "ready"

    monkeypatch.setattr(dashboard_module, "predicted_ranges", ranges)
    monkeypatch.setattr(dashboard_module.service, "interview_serve", _fixed_odds)

    [offer] = seeker_dashboard(user=history.owner).offers

    assert (offer.amount, offer.currency, offer.accepted) == (Decimal(55_000), "EUR", True)
    assert (offer.low, offer.high, offer.position) == (Decimal(40_000), Decimal(50_000), "above")
    assert (offer.title, offer.company) == ("Aurora Analyst", "Aurora GmbH")


def test_it_runs_the_real_predictors_and_logs_them(history):
    from predictions.models import PredictionLog

    before = PredictionLog.objects.count()

    figures = seeker_dashboard(user=history.owner)

    check = figures.interview
    assert (check.applications, check.observed) == (4, 2)
    assert 0 < check.expected < 4
    assert check.low <= check.high
    assert [offer.amount for offer in figures.offers] == [Decimal(55_000)]
    assert figures.offers_status in ("ready", "no_model")
    assert PredictionLog.objects.count() > before


def test_a_free_plan_sees_the_comparison_locked_and_nothing_is_predicted(history, cast, monkeypatch):
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="free")

    def refuse(**kwargs):
        raise AssertionError("a predictor ran for a plan without it")

    monkeypatch.setattr(dashboard_module.service, "interview_serve", refuse)
    monkeypatch.setattr(dashboard_module, "predicted_ranges", refuse)

    figures = seeker_dashboard(user=history.owner)

    assert figures.interview is None
    assert figures.interview_locked["locked"]
    assert figures.offers == []
    assert figures.offers_locked["locked"]


def test_a_failing_predictor_leaves_the_rest_of_the_dashboard(history, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(dashboard_module.service, "interview_serve", broken)

    figures = seeker_dashboard(user=history.owner)

    assert figures.interview is None
    assert figures.interview_status == "failed"
    assert figures.funnel[0].applications == 6


# ---------------------------------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def owner_client(cast, client_a):
    login(client_a, cast.owner_email)
    return client_a


def _cells(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_the_page_shows_the_seekers_own_figures_and_nobody_elses(history, other_seeker, owner_client, monkeypatch):
    a1 = history.applications["a1"]
    monkeypatch.setattr(dashboard_module.service, "interview_serve", _fixed_odds)
    monkeypatch.setattr(
        dashboard_module,
        "predicted_ranges",
        lambda **kwargs: ({a1.pk: PredictedRange(Decimal(50_000), Decimal(56_000), Decimal(62_000))}, "ready"),
    )

    page = owner_client.get("/app/insights/").content.decode()
    fragment = owner_client.get("/app/insights/predicted/", HTTP_HX_REQUEST="true").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))

    assert _cells(page, "funnel-table")[1:] == [
        ["Applied", "6", "–"],
        ["Screening", "2", "33 %"],
        ["Interviewing", "2", "100 %"],
        ["Offer", "1", "50 %"],
    ]
    assert _cells(page, "channel-table")[1:] == [
        ["referral", "2", "1", "50 %"],
        ["company website", "1", "0", "0 %"],
        ["job board", "2", "2", "100 %"],
        ["recruiter", "1", "0", "0 %"],
    ]
    assert (
        "Aurora Analyst · Aurora GmbH · accepted Offer: 55,000 EUR · predicted 50,000–62,000 EUR: inside the range"
        in text
    )
    assert "CVPlus's odds add up to 1.0 answers leading to screening or an interview; you got 2." in text
    assert "anything from 0 to 3 would be unremarkable" in text
    for trace in ("Secretive", "Hidden", "99,000", "agency"):
        assert trace not in page
        assert trace not in fragment
    assert 'aria-current="page">Insights' in page
    assert '<svg class="outcomes-chart"' in page


def test_a_move_shows_on_the_dashboard_at_the_next_page_load(owner, owner_client):
    application = _track(owner, "Quick", Application.Channel.REFERRAL, [(A, 2)])
    before = _cells(owner_client.get("/app/insights/").content.decode(), "funnel-table")

    response = owner_client.post(f"/app/applications/{application.pk}/move/", {"to_stage": "screening", "on": ""})
    after = _cells(owner_client.get("/app/insights/").content.decode(), "funnel-table")

    assert response.status_code == 302
    assert before[2] == ["Screening", "0", "0 %"]
    assert after[2] == ["Screening", "1", "100 %"]


def test_with_few_applications_the_page_says_the_figures_say_little(owner, owner_client):
    _track(owner, "Lonely", Application.Channel.REFERRAL, [(A, 2)])

    page = owner_client.get("/app/insights/").content.decode()

    assert 'id="insights-few"' in page
    assert "You have sent 1 application so far. With fewer than 5, these figures say very little yet" in page


def test_without_applications_the_page_says_how_to_start(owner, owner_client):
    page = owner_client.get("/app/insights/").content.decode()

    assert 'id="insights-empty"' in page
    assert "No application sent yet." in page


def test_the_page_asks_for_a_sign_in(client_a):
    response = client_a.get("/app/insights/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_tenants_seeker_sees_only_their_own_workspace(history, cast, client_b):
    login(client_b, cast.stranger_email)

    page = client_b.get("/app/insights/").content.decode()

    assert 'id="insights-empty"' in page
    assert "Aurora" not in page
