# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""Cohort outcomes (portal/outcomes*.py, /portal/outcomes/): the estimators against hand-computed values, the page and
its CSV files for each role, suppression under five members, and figures that follow the data."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from portal import outcomes
from portal.models import Cohort, Membership
from portal.outcomes import Offer, PredictedRange
from portal.outcomes_queries import OutcomeFilters, members_chosen, offer_list
from portal.outcomes_report import ALL, outcomes_report
from portal.outcomes_salary import salary_item
from portal.outcomes_tables import COUNT, MONEY, SHARE, SUPPRESSED, TABLE_NAMES, Cell, Table, report_tables
from portal.templatetags.outcomes_tags import outcome_rows
from predictions import service
from predictions.models import PredictionLog
from predictions.registry import champion_cache_clear
from tests.conftest import PASSWORD, login
from tests.predictions.serving_support import salary_champion, salary_reference, salary_run  # noqa: F401 - fixtures
from tracking.models import Application, Stage
from tracking.services import application_create, application_move, posting_create

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------------------------------
# Kaplan–Meier, by hand
# ---------------------------------------------------------------------------------------------------------------------
# Checked by hand, not against lifelines: lifelines 0.30.3 needs pandas < 3 and the project pins pandas 3.1.1.
# Freireich et al. (1963), the 6-MP arm: the textbook example of censoring with ties (events before the censorings at
# day 6 and day 10). Survival and Greenwood standard errors as published (e.g. Kleinbaum & Klein, Survival Analysis,
# table 2.2), to three decimals.
SIX_MP = [(6, True)] * 3 + [(6, False), (7, True), (9, False), (10, True), (10, False), (11, False), (13, True)]
SIX_MP += [(16, True), (17, False), (19, False), (20, False), (22, True), (23, True), (25, False)]
SIX_MP += [(32, False), (32, False), (34, False), (35, False)]
SIX_MP_SURVIVAL = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}
SIX_MP_STD_ERROR = {6: 0.076, 7: 0.087, 10: 0.096, 13: 0.107, 16: 0.114, 22: 0.128, 23: 0.135}


def test_it_matches_the_published_kaplan_meier_estimate_with_censoring_and_ties():
    curve = outcomes.kaplan_meier(SIX_MP)

    steps = {step.day: step for step in curve.steps}
    for day, survival in SIX_MP_SURVIVAL.items():
        assert round(steps[day].survival, 3) == survival
        assert round(steps[day].std_error, 3) == SIX_MP_STD_ERROR[day]
    assert (steps[6].at_risk, steps[6].events, steps[6].censored) == (21, 3, 1)
    assert (steps[10].at_risk, steps[10].events, steps[10].censored) == (15, 1, 1)
    assert curve.members == 21
    assert curve.events == 9
    assert curve.median_day() == 23
    assert curve.at_risk_on(11) == 13
    assert curve.estimate_on(12).survival == steps[10].survival


def test_it_counts_events_before_censorings_on_the_same_day():
    # Day 10: two events and one censoring among 6 at risk -> S = 4/6; day 20 a censoring; day 30 one of 2 -> 1/3.
    curve = outcomes.kaplan_meier([(10, True), (10, True), (10, False), (20, False), (30, True), (80, False)])

    day10, day20, day30, day80 = curve.steps
    assert (day10.at_risk, day10.survival) == (6, pytest.approx(4 / 6))
    assert (day20.at_risk, day20.survival) == (3, pytest.approx(4 / 6))
    assert (day30.at_risk, day30.survival) == (2, pytest.approx(1 / 3))
    assert day80.at_risk == 1
    greenwood = 2 / (6 * 4) + 1 / (2 * 1)
    assert day30.std_error == pytest.approx((1 / 3) * math.sqrt(greenwood))
    # The 95 % band on the log(-log) scale: S ** exp(±1.96 · sqrt(V) / |log S|).
    spread = 1.959963984540054 * math.sqrt(greenwood) / abs(math.log(1 / 3))
    assert (day30.lower, day30.upper) == (
        pytest.approx((1 / 3) ** math.exp(spread)),
        pytest.approx((1 / 3) ** math.exp(-spread)),
    )
    assert curve.median_day() == 30
    assert curve.estimate_on(81) is None  # beyond the longest follow-up the curve says nothing


def test_it_says_the_median_is_not_reached_when_fewer_than_half_had_the_event():
    curve = outcomes.kaplan_meier([(5, True), (9, False), (12, False)])

    assert curve.median_day() is None
    assert curve.steps[0].survival == pytest.approx(2 / 3)


def test_it_censors_a_member_at_deactivation_even_if_an_event_came_later():
    assert outcomes.member_observation(event_day=30, follow_up_days=20) == (20, False)
    assert outcomes.member_observation(event_day=3, follow_up_days=20) == (3, True)
    assert outcomes.member_observation(event_day=None, follow_up_days=20) == (20, False)
    joined = timezone.now() - timedelta(days=50, hours=1)
    assert outcomes.days_between(joined, joined + timedelta(days=20, hours=23)) == 20


# ---------------------------------------------------------------------------------------------------------------------
# Funnel and salaries, pure
# ---------------------------------------------------------------------------------------------------------------------
def test_it_computes_conversion_between_stages_and_suppresses_small_stages():
    row = outcomes.funnel_row(
        members=10, applications=11, reached_members=[9, 7, 6, 2, 1], reached_applications=[10, 7, 6, 2, 1]
    )

    applied, screening, interviewing, offer, accepted = row.cells
    assert (applied.members, applied.member_rate, applied.application_rate) == (9, 0.9, 10 / 11)
    assert (screening.member_rate, screening.application_rate) == (7 / 9, 0.7)
    assert (interviewing.members, interviewing.member_rate) == (6, 6 / 7)
    assert offer.members is None
    assert offer.member_rate is None
    assert offer.applications is None
    assert accepted.members is None


def _offer(member: int, amount: int, low: int | None, group: str = "g", accepted: bool = False) -> Offer:
    predicted = None if low is None else PredictedRange(Decimal(low), Decimal(low + 10_000), Decimal(low + 20_000))
    return Offer(member, group, "EUR", Decimal(amount), accepted, predicted)


def test_it_sets_offers_against_known_predicted_ranges_per_currency():
    offers = [
        _offer(1, 45_000, 50_000),  # below 50–70k
        _offer(2, 55_000, 50_000, accepted=True),  # inside
        _offer(3, 70_000, 50_000, accepted=True),  # inside (the bounds are inside)
        _offer(4, 80_000, 50_000),  # above
        _offer(5, 62_000, 40_000),  # above 40–60k
        _offer(5, 61_000, None),  # no range in this currency: counted, not compared
        Offer(6, "g", "USD", Decimal(90_000), False, None),  # another currency, its own row
    ]

    rows = outcomes.salary_rows(offers, groups=["g"])

    everything, accepted, dollars = rows
    assert (everything.currency, everything.members, everything.offers, everything.compared) == ("EUR", 5, 6, 5)
    assert (everything.below, everything.inside, everything.above) == (0.2, 0.4, 0.4)
    assert everything.median_offer == Decimal(61_500)
    assert everything.median_predicted == Decimal(60_000)  # medians 60k, 60k, 60k, 60k, 50k
    assert accepted.accepted_only
    assert accepted.suppressed
    assert accepted.inside is None
    assert accepted.offers == 2
    assert dollars.currency == "USD"
    assert dollars.suppressed
    assert dollars.median_offer is None


# ---------------------------------------------------------------------------------------------------------------------
# A small programme in the enterprise tenant, through the tracking services
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class Programme:
    admin: User
    coach: User
    analyst: User
    members: dict[str, User]
    applications: dict[str, Application]


MEMBER_NAMES = {
    "m1": "Aylin Demir",
    "m2": "Jonas Becker",
    "m3": "Sofia Marino",
    "m4": "Tomasz Nowak",
    "m5": "Léa Fontaine",
    "m6": "Kwame Mensah",
    "a1": "Hanna Lindqvist",
    "a2": "Rafael Ortega",
    "a3": "Mei Tanaka",
    "a4": "Oskar Wagner",
}


def _person(email: str, role: str, name: str) -> User:
    """Someone who chose English on the German portal, so that the pages' words can be compared as written."""
    user = user_ensure(email=email, password=PASSWORD, full_name=name, role=role)[0]
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def _apply(member: User, joined, *, moves: list[tuple[str, int]], industry: str = "technology", offer: int = 0):
    posting = posting_create(
        owner=member, title="Data Analyst", company="Nordwind Logistik", country="DE", industry=industry
    )
    first_stage, first_day = moves[0]
    application = application_create(
        owner=member, posting=posting, stage=first_stage, at=joined + timedelta(days=first_day)
    )
    for stage, day in moves[1:]:
        extra = {"offer_amount": offer, "offer_currency": "EUR"} if stage == Stage.OFFER else {}
        application_move(application=application, to_stage=stage, by=member, at=joined + timedelta(days=day), **extra)
    return application


def programme_build() -> Programme:
    """Spring (6 members, coach Carl for five of them) and Autumn (4 members, coach Olga), joined days ago as noted;
    event days are counted from joining. Inside schema gamma."""
    now = timezone.now()
    admin = _person("ines.admin@gamma.example", User.Role.ADMINISTRATOR, "Ines Albrecht")
    coach = _person("carl.coach@gamma.example", User.Role.COACH, "Carl Hoffmann")
    other_coach = _person("olga.coach@gamma.example", User.Role.COACH, "Olga Petrova")
    analyst = _person("anna.analyst@gamma.example", User.Role.ANALYST, "Anna Schulz")
    spring = Cohort.objects.create(name="Spring 2026")
    autumn = Cohort.objects.create(name="Autumn 2025")
    joined_days = {"m1": 100, "m2": 100, "m3": 80, "m4": 60, "m5": 50, "m6": 10}
    joined_days |= {f"a{i}": 40 for i in range(1, 5)}
    members, joined, apps = {}, {}, {}
    for key, days in joined_days.items():
        member = _person(
            f"{key}.{MEMBER_NAMES[key].split()[0].lower()}@gamma.example", User.Role.MEMBER, MEMBER_NAMES[key]
        )
        joined[key] = now - timedelta(days=days, hours=1)
        in_spring = key.startswith("m")
        Membership.objects.create(
            user=member,
            cohort=spring if in_spring else autumn,
            coach=coach if key in ("m1", "m2", "m3", "m4", "m5") else other_coach,
            joined_at=joined[key],
            deactivated_at=joined[key] + timedelta(days=20) if key == "m5" else None,
            status=Membership.Status.DEACTIVATED if key == "m5" else Membership.Status.ACTIVE,
        )
        members[key] = member
    a, s, i, o = Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER
    apps["m1"] = _apply(
        members["m1"], joined["m1"], moves=[(a, 2), (s, 5), (i, 10), (o, 20), (Stage.ACCEPTED, 25)], offer=50_000
    )
    apps["m2"] = _apply(members["m2"], joined["m2"], moves=[(a, 3), (i, 10), (Stage.REJECTED, 15)])
    apps["m2b"] = _apply(members["m2"], joined["m2"], moves=[(a, 4), (Stage.GHOSTED, 40)], industry="healthcare")
    apps["m3"] = _apply(members["m3"], joined["m3"], moves=[(a, 1), (s, 10), (Stage.REJECTED, 12)])
    apps["m4"] = _apply(members["m4"], joined["m4"], moves=[(a, 5), (i, 30), (o, 40)], offer=60_000)
    apps["m5"] = _apply(members["m5"], joined["m5"], moves=[(a, 2), (i, 30)])  # after leaving: censored at day 20
    apps["m6"] = _apply(members["m6"], joined["m6"], moves=[(Stage.SAVED, 1)])
    for key in ("a1", "a2", "a3", "a4"):
        moves = [(a, 1), (i, 10)] if key in ("a1", "a2") else [(a, 1)]
        apps[key] = _apply(members[key], joined[key], moves=moves)
    return Programme(admin, coach, analyst, members, apps)


@pytest.fixture
def programme(cast) -> Programme:
    with schema_context("gamma"):
        return programme_build()


def report_for(group_by: str = "", **filters) -> object:
    with schema_context("gamma"):
        return outcomes_report(viewer=None, filters=OutcomeFilters(**filters), group_by=group_by)


def test_it_computes_the_programmes_curves_by_hand(programme):
    report = report_for("cohort")

    spring = next(group for group in report.groups if group.label == "Spring 2026")
    interview = report.interview[spring.key]
    assert [(s.day, s.at_risk, s.events, s.censored) for s in interview.steps] == [
        (10, 6, 2, 1),  # m1, m2 had a first interview; m6 joined 10 days ago
        (20, 3, 0, 1),  # m5 left on day 20 (their interview on day 30 came after)
        (30, 2, 1, 0),  # m4
        (80, 1, 0, 1),  # m3, still searching
    ]
    assert [round(s.survival, 4) for s in interview.steps] == [0.6667, 0.6667, 0.3333, 0.3333]
    assert interview.median_day() == 30
    offer = report.offer[spring.key]
    assert [(s.day, s.events, round(s.survival, 4)) for s in offer.steps if s.events] == [(20, 1, 0.8), (40, 1, 0.5333)]
    assert offer.median_day() is None

    everyone = report.interview[ALL]
    assert [(s.day, s.at_risk, s.events, s.censored) for s in everyone.steps] == [
        (10, 10, 4, 1),
        (20, 5, 0, 1),
        (30, 4, 1, 0),
        (40, 3, 0, 2),
        (80, 1, 0, 1),
    ]
    assert everyone.estimate_on(30).reached == pytest.approx(0.55)
    assert everyone.at_risk_on(30) == 4


def test_it_computes_the_funnel_by_hand(programme):
    funnel = report_for().funnel[ALL]

    assert (funnel.members, funnel.applications) == (10, 11)
    applied, screening, interviewing, offer, accepted = funnel.cells
    assert (applied.members, applied.applications) == (9, 10)
    assert (screening.members, screening.applications) == (7, 7)  # m2 went from applied straight to an interview
    assert (interviewing.members, interviewing.applications) == (6, 6)
    assert interviewing.member_rate == pytest.approx(6 / 7)
    assert screening.application_rate == pytest.approx(0.7)
    assert offer.members is None
    assert accepted.members is None


def test_it_suppresses_groups_under_five_and_shows_a_group_of_exactly_five(programme):
    by_cohort = {group.label: group for group in report_for("cohort").groups}
    by_coach = {group.label: group for group in report_for("coach").groups}

    assert by_cohort["Autumn 2025"].members == 4
    assert by_cohort["Autumn 2025"].suppressed
    assert not by_cohort["Spring 2026"].suppressed
    assert by_coach["Carl Hoffmann"].members == 5
    assert not by_coach["Carl Hoffmann"].suppressed

    with schema_context("gamma"):
        report = outcomes_report(viewer=None, filters=OutcomeFilters(), group_by="cohort")
        funnel = report_tables(report)["funnel"]
    autumn_rows = [row for row in funnel.rows if row[0].text == "Autumn 2025"]
    assert len(autumn_rows) == 1
    assert [cell.text for cell in autumn_rows[0][1:3]] == ["fewer than 5", "–"]


def test_it_groups_by_the_postings_industry_with_overlapping_members(programme):
    report = report_for("industry")

    groups = {group.label: group for group in report.groups}
    assert groups["Technology"].members == 10  # m6 only saved one: in the group, not among those who applied
    assert groups["Healthcare"].members == 1
    assert groups["Healthcare"].suppressed
    assert report.funnel[groups["Technology"].key].cells[0].members == 9


def test_it_filters_by_cohort_and_joining_dates(programme):
    with schema_context("gamma"):
        spring = Cohort.objects.get(name="Spring 2026")
    assert report_for(cohort_id=spring.pk).funnel[ALL].members == 6
    since = (timezone.now() - timedelta(days=70)).date()
    assert report_for(joined_from=since).funnel[ALL].members == 7  # m4, m5, m6 and Autumn's four


# ---------------------------------------------------------------------------------------------------------------------
# The page and its CSV files
# ---------------------------------------------------------------------------------------------------------------------
def signed_in(client, user: User):
    login(client, user.email)
    return client


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # a byte order mark, for Excel
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_an_analyst_sees_the_figures_and_no_member_anywhere(programme, enterprise_client):
    client = signed_in(enterprise_client, programme.analyst)

    pages = [client.get("/portal/outcomes/"), client.get("/portal/outcomes/?group_by=cohort")]
    pages += [client.get(f"/portal/outcomes/{name}.csv?group_by=coach") for name in TABLE_NAMES]

    assert [page.status_code for page in pages] == [200] * len(pages)
    body = b"".join(page.content for page in pages).decode("utf-8-sig")
    assert "<svg" in body
    assert "fewer than 5" in body
    for member in programme.members.values():
        assert member.full_name not in body
        assert member.email not in body
        assert member.email.split("@")[0] not in body


def test_the_csv_matches_the_table_and_suppresses_the_same_groups(programme, enterprise_client):
    client = signed_in(enterprise_client, programme.admin)

    rows = csv_rows(client.get("/portal/outcomes/funnel.csv?group_by=cohort"))
    with schema_context("gamma"):
        table = report_tables(outcomes_report(viewer=None, filters=OutcomeFilters(), group_by="cohort"))["funnel"]

    assert rows[0] == list(table.headers)
    assert rows[1:] == [[cell.csv for cell in row] for row in table.rows]
    assert ["Autumn 2025", "fewer than 5", "", "", "", ""] in rows
    assert ["Everyone", "Interviewing", "6", "85.7", "6", "85.7"] in rows
    page = client.get("/portal/outcomes/?group_by=cohort").content.decode()
    assert '<td class="num">86 %</td>' in page  # the page rounds for reading; the file keeps a decimal


def test_the_csv_follows_the_filters_and_refuses_bad_ones(programme, enterprise_client):
    client = signed_in(enterprise_client, programme.coach)

    spring = csv_rows(client.get("/portal/outcomes/time-to-interview.csv?joined_from=2000-01-01&group_by=cohort"))
    bad = client.get("/portal/outcomes/funnel.csv?joined_from=2026-05-01&joined_to=2026-01-01")
    unknown = client.get("/portal/outcomes/members.csv")

    assert spring[1] == ["Everyone", "10", "5", "5", "30"]
    assert bad.status_code == 400
    assert "The end of the joining period must not be before its start." in bad.content.decode()
    assert unknown.status_code == 404


def test_a_bad_filter_on_the_page_names_the_problem(programme, enterprise_client):
    client = signed_in(enterprise_client, programme.admin)

    response = client.get("/portal/outcomes/?industry=astrology&group_by=planet")

    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose an industry from the list." in body
    assert "Choose how to group the figures from the list." in body
    assert 'id="table-funnel"' not in body


def test_a_member_and_a_consumer_user_get_a_404(programme, enterprise_client, client_a, cast):
    member = signed_in(enterprise_client, programme.members["m1"])
    assert member.get("/portal/outcomes/").status_code == 404
    assert member.get("/portal/outcomes/funnel.csv").status_code == 404
    login(client_a, cast.owner_email)
    assert client_a.get("/portal/outcomes/").status_code == 404


def test_another_tenants_applications_are_never_counted(programme, enterprise_client, cast):
    client = signed_in(enterprise_client, programme.admin)
    before = csv_rows(client.get("/portal/outcomes/funnel.csv"))
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        posting = posting_create(owner=owner, title="Data Analyst", company="Elsewhere", industry="technology")
        application_create(owner=owner, posting=posting, stage=Stage.APPLIED)

    after = csv_rows(client.get("/portal/outcomes/funnel.csv"))

    assert after == before
    assert ["Everyone", "In the programme", "10", "", "11", ""] in after


def test_moving_an_application_shows_on_the_next_page_load(programme, enterprise_client):
    client = signed_in(enterprise_client, programme.analyst)
    before = csv_rows(client.get("/portal/outcomes/funnel.csv"))
    assert ["Everyone", "Interviewing", "6", "85.7", "6", "85.7"] in before

    with schema_context("gamma"):
        application_move(
            application=programme.applications["a3"], to_stage=Stage.INTERVIEWING, by=programme.members["a3"]
        )

    after = csv_rows(client.get("/portal/outcomes/funnel.csv"))
    assert ["Everyone", "Interviewing", "7", "87.5", "7", "87.5"] in after  # 7 of the 8 who reached screening


def statements(captured) -> list[str]:
    """The statements run, without their numbers (server-side cursors are numbered per request)."""
    return [re.sub(r"\d+", "N", query["sql"])[:80] for query in captured.captured_queries]


def test_the_number_of_queries_does_not_grow_with_members(programme, enterprise_client, settings):
    settings.PREDICTIONS_CHAMPION_TTL_S = 3600  # the salary champion lookup is cached, not re-asked mid-test
    champion_cache_clear()
    client = signed_in(enterprise_client, programme.admin)
    client.get("/portal/outcomes/?group_by=industry")
    with CaptureQueriesContext(connection) as small:
        client.get("/portal/outcomes/?group_by=industry")
    with schema_context("gamma"):
        now = timezone.now()
        for i in range(6):
            member = _person(f"extra{i}@gamma.example", User.Role.MEMBER, f"Extra Member {i}")
            Membership.objects.create(user=member, joined_at=now - timedelta(days=30))
            _apply(member, now - timedelta(days=30), moves=[(Stage.APPLIED, 1), (Stage.INTERVIEWING, 5)], offer=0)
    with CaptureQueriesContext(connection) as larger:
        response = client.get("/portal/outcomes/?group_by=industry")

    assert response.status_code == 200
    assert statements(larger) == statements(small)
    # search path, user, coaches and cohorts for the filters, members, applications (each with how far it got, so no
    # event is read), offers (programme staff have no seeker nav, so no notification count), the page view's event
    assert len(small.captured_queries) == 8


def _five_offers(programme) -> None:
    """Offers for three more members (55,000 EUR each), beside m1's 50,000 (accepted) and m4's 60,000."""
    for key in ("m2", "m3", "a1"):
        joined = programme.members[key].membership.joined_at
        _apply(programme.members[key], joined, moves=[(Stage.APPLIED, 1), (Stage.OFFER, 2)], offer=55_000)


def test_offers_count_without_ranges_until_a_salary_model_is_trained(programme, enterprise_client):
    client = signed_in(enterprise_client, programme.admin)
    with schema_context("gamma"):
        _five_offers(programme)

    body = client.get("/portal/outcomes/").content.decode()
    rows = csv_rows(client.get("/portal/outcomes/offers.csv"))

    assert 'id="salary-status"' in body
    assert rows[1] == ["Everyone", "EUR", "all offers", "5", "5", "0", "", "", "", "55000.00", ""]
    assert rows[2][:4] == ["Everyone", "EUR", "accepted", "fewer than 5"]


def test_a_grouped_view_counts_every_groups_offers(programme, enterprise_client):
    client = signed_in(enterprise_client, programme.admin)
    with schema_context("gamma"):
        _five_offers(programme)  # four in Spring 2026 (m1, m2, m3, m4), one in Autumn 2025 (a1)

    rows = csv_rows(client.get("/portal/outcomes/offers.csv?group_by=cohort"))

    everyone = next(row for row in rows if row[:3] == ["Everyone", "EUR", "all offers"])
    assert everyone[3:5] == ["5", "5"]
    spring = next(row for row in rows if row[:3] == ["Spring 2026", "EUR", "all offers"])
    assert spring[3] == "fewer than 5"  # its four are counted, and suppressed


def test_offers_are_set_against_the_served_models_ranges_asked_once(
    programme, enterprise_client, salary_champion, settings
):
    settings.PREDICTIONS_CHAMPION_TTL_S = 3600
    champion_cache_clear()
    client = signed_in(enterprise_client, programme.admin)
    with schema_context("gamma"):
        _five_offers(programme)
        offer_rows = offer_list(OutcomeFilters(), members=members_chosen(OutcomeFilters()))
        items = [salary_item(row, home_country=None) for row in offer_rows]
        expected = service.salary_predict_items(items, explain=False)  # the ranges the page must compare with
        logged_before = PredictionLog.objects.count()

    rows = csv_rows(client.get("/portal/outcomes/offers.csv"))
    client.get("/portal/outcomes/")  # a second page load: the ranges come from the cache

    positions = [
        "below"
        if row["offer_amount"] < result["salary_p10"]
        else "above"
        if row["offer_amount"] > result["salary_p90"]
        else "inside"
        for row, result in zip(offer_rows, expected, strict=True)
    ]
    assert all(result["currency"] == "EUR" for result in expected)
    assert {item["experience_level"] for item in items} == {"MI"}  # no profile, no seniority in "Data Analyst"
    everyone = rows[1]
    assert everyone[:6] == ["Everyone", "EUR", "all offers", "5", "5", "5"]
    assert everyone[6:9] == [f"{positions.count(p) * 20:.1f}" for p in ("below", "inside", "above")]
    with schema_context("gamma"):
        assert PredictionLog.objects.count() == logged_before + 1  # one batch for the five offers, then the cache


def test_the_table_rows_escape_group_names_and_align_numbers() -> None:
    table = Table(
        name="funnel",
        headers=("Group", "Members", "Applied"),
        rows=((Cell("<b>Spring</b> & co", "text"), Cell(1234, COUNT), Cell(None, SUPPRESSED)),),
    )

    with translation.override("en"):
        html = outcome_rows(table)

    assert html == (
        '<tr><th scope="row">&lt;b&gt;Spring&lt;/b&gt; &amp; co</th>'
        '<td class="num">1,234</td><td class="num">fewer than 5</td></tr>'
    )


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "ja"])
def test_cells_group_numbers_as_djangos_number_format_does(language) -> None:
    with translation.override(language):
        for value in (0, 7, 999, 1000, 12_345, 1_234_567, -4321):
            assert Cell(value, COUNT).text == number_format(value, force_grouping=True)
        assert Cell(Decimal("81234.5"), MONEY, "EUR").text == number_format(81235, force_grouping=True) + " EUR"
        assert Cell(0.857, SHARE).text == gettext("%(percent)s %%") % {"percent": "86"}
        assert Cell(None, SUPPRESSED).text == gettext("fewer than 5")
