"""The organisation dashboard (/portal/dashboard/, analytics/org_dashboard.py): live activity from this organisation's
rollups only, engagement from the days members were active with groups under five suppressed, the funnel by coach and
cohort as the cohort outcomes count it, a coach's figures limited to their own members, and the portal's rules on who
reaches the page.

The programme is the cohort outcomes' own (tests/portal/test_outcomes.py, in gamma): Spring 2026 (m1–m6; coach Carl
for m1–m5, m5 deactivated; Olga for m6) and Autumn 2025 (a1–a4, coach Olga)."""

from __future__ import annotations

import datetime
import re
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone, translation
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from accounts.services import user_ensure
from analytics.models import ActiveDay, DailyRollup, EventRollup, RollupCursor, SimulatedHistory
from analytics.org_dashboard import engagement, live_activity, organisation_dashboard
from analytics.org_page import funnel_lines
from portal.models import OrganisationSettings
from portal.outcomes_report import ALL
from tenants.models import Client
from tests.conftest import ENTERPRISE_HOST, login
from tests.portal.conftest import other_enterprise  # noqa: F401 - fixture
from tests.portal.members_helpers import OTHER_HOST, OTHER_SCHEMA
from tests.portal.test_outcomes import Programme, programme_build
from tracking.models import DomainEvent


@pytest.fixture
def gamma(cast, db) -> Client:
    return Client.objects.get(schema_name="gamma")


@pytest.fixture
def programme(gamma) -> Programme:
    with schema_context("gamma"):
        return programme_build()


def _page(programme_person, path: str = "/portal/dashboard/") -> tuple[int, str]:
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    assert login(client, programme_person.email).status_code == 302
    response = client.get(path)
    return response.status_code, response.content.decode()


def _rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Live activity
# ---------------------------------------------------------------------------------------------------------------------
NOW = datetime.datetime(2026, 3, 18, 14, 25, tzinfo=datetime.UTC)
HOUR = NOW.replace(minute=0)


def _rollups(tenant: Client, *, now: datetime.datetime) -> None:
    """This hour: 3 applications added, 2 moves to screening and 1 to interviewing; the hour before: 4 page views;
    five hours before: 2 CVs read; yesterday 23:00 one sign-up (not today). The day's counts as the daily rollups
    have them."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    for kind, key, at, count in (
        ("application.created", "applied", hour, 3),
        ("application.stage_changed", "screening", hour, 2),
        ("application.stage_changed", "interviewing", hour, 1),
        ("page.viewed", "board", hour - timedelta(hours=1), 4),
        ("cv.parsed", "", hour - timedelta(hours=5), 2),
        ("user.signed_up", "", hour - timedelta(hours=15), 1),
    ):
        EventRollup.objects.create(tenant=tenant, kind=kind, key=key, hour=at, count=count)
    for kind, key, count in (
        ("application.created", "applied", 3),
        ("application.stage_changed", "screening", 2),
        ("application.stage_changed", "interviewing", 1),
        ("page.viewed", "board", 4),
        ("cv.parsed", "", 2),
    ):
        DailyRollup.objects.create(tenant=tenant, kind=kind, key=key, day=now.date(), count=count)
    RollupCursor.objects.update_or_create(tenant=tenant, defaults={"advanced_at": now - timedelta(seconds=1)})


def _someone_elses_rollups(tenant: Client, *, now: datetime.datetime) -> None:
    hour = now.replace(minute=0, second=0, microsecond=0)
    EventRollup.objects.create(tenant=tenant, kind="reminder.sent", key="", hour=hour, count=97)
    EventRollup.objects.create(tenant=tenant, kind="application.created", key="applied", hour=hour, count=50)
    DailyRollup.objects.create(tenant=tenant, kind="reminder.sent", key="", day=now.date(), count=97)
    DailyRollup.objects.create(tenant=tenant, kind="application.created", key="applied", day=now.date(), count=50)


def test_live_activity_counts_this_organisations_events_by_kind_and_hour(gamma, cast):
    _rollups(gamma, now=NOW)
    _someone_elses_rollups(cast.tenant_a, now=NOW)

    with tenant_context(gamma):
        live = live_activity(now=NOW)

    assert live.hour == HOUR
    assert [(k.kind, k.this_hour, k.previous_hour, k.today) for k in live.kinds] == [
        ("page.viewed", 0, 4, 4),
        ("application.created", 3, 0, 3),
        ("application.stage_changed", 3, 0, 3),
        ("cv.parsed", 0, 0, 2),
    ]  # yesterday's sign-up is in none of the three: it counts only in the last 24 hours
    assert len(live.hours) == 24
    assert live.hours[-1] == (HOUR, 6)
    assert live.hours[-2] == (HOUR - timedelta(hours=1), 4)
    assert live.hours[-6] == (HOUR - timedelta(hours=5), 2)
    assert live.hours[0] == (HOUR - timedelta(hours=23), 0)
    assert live.last_day_total == 13
    assert live.busiest == (HOUR, 6)
    assert live.counted_at == NOW - timedelta(seconds=1)


def test_live_activity_reads_the_rollups_in_three_queries(gamma, django_assert_num_queries):
    _rollups(gamma, now=NOW)

    with tenant_context(gamma):
        Client.objects.exists()  # the search path is set on the first query after switching
        with django_assert_num_queries(3):
            live_activity(now=NOW)


def test_the_live_fragment_refreshes_itself_and_shows_only_this_organisation(programme, gamma, cast):
    now = timezone.now()
    _rollups(gamma, now=now)
    _someone_elses_rollups(cast.tenant_a, now=now)

    status, fragment = _page(programme.admin, "/portal/dashboard/live/")

    assert status == 200
    assert fragment.startswith('<section class="panel dashboard-section" id="live"')
    assert 'hx-get="/portal/dashboard/live/" hx-trigger="every 1s" hx-swap="outerHTML"' in fragment
    assert _rows(fragment, "live-table") == [
        ["page viewed", "0", "4", "4"],
        ["application created", "3", "0", "3"],
        ["stage changed", "3", "0", "3"],
        ["CV parsed", "0", "0", "2"],
    ]
    assert "reminder sent" not in fragment
    assert "13 events in the last 24 hours" in fragment
    assert "<html" not in fragment


# ---------------------------------------------------------------------------------------------------------------------
# Engagement
# ---------------------------------------------------------------------------------------------------------------------
def _active(gamma: Client, programme: Programme, today: datetime.date, cast) -> None:
    """Last 7 days (today − 0…6): m1, m2, m3 (day 6), m4, m6, a1, a2, a3. The 7 before (today − 7…13): m1, m2 (day
    13), a1, a2, m6. a4 only 14 days ago (neither). Not members, or not active ones: coach Carl and m5 (deactivated),
    both today. In another tenant, a user with a4's id today."""
    members = programme.members
    this_week = {"m1": 0, "m2": 1, "m3": 6, "m4": 2, "m6": 3, "a1": 0, "a2": 5, "a3": 4}
    last_week = {"m1": 7, "m2": 13, "a1": 8, "a2": 10, "m6": 12}
    rows = [(members[key].pk, days) for key, days in (*this_week.items(), *last_week.items())]
    rows += [(members["a4"].pk, 14), (programme.coach.pk, 0), (members["m5"].pk, 0)]
    for user_id, days in rows:
        ActiveDay.objects.create(tenant=gamma, user_id=user_id, day=today - timedelta(days=days))
    ActiveDay.objects.create(tenant=cast.tenant_a, user_id=members["a4"].pk, day=today)


def test_engagement_counts_active_members_this_week_and_last_and_suppresses_small_groups(programme, gamma, cast):
    today = timezone.now().date()
    _active(gamma, programme, today, cast)

    with tenant_context(gamma):
        found = engagement(reach=None, today=today)

    # Members with an active membership: m1–m4 and m6 (Spring, 5), a1–a4 (Autumn, 4): 9.
    assert found.this_week == (today - timedelta(days=6), today)
    assert found.last_week == (today - timedelta(days=13), today - timedelta(days=7))
    by_cohort = [(row.label, row.members, row.this_week, row.last_week) for row in found.by_cohort]
    assert by_cohort == [
        ("Everyone", 9, 8, 5),
        ("Autumn 2025", 4, None, None),  # fewer than 5 members
        ("Spring 2026", 5, 5, None),  # last week m1, m2, m6: 3
    ]
    by_coach = [(row.label, row.members, row.this_week, row.last_week) for row in found.by_coach]
    assert by_coach == [
        ("Everyone", 9, 8, 5),
        ("Carl Hoffmann", 4, None, None),  # m1–m4 (m5 left)
        ("Olga Petrova", 5, None, None),  # m6, a1–a4: this week 4, last week 3
    ]
    assert [row.suppressed for row in found.by_coach] == [False, True, False]
    assert found.by_cohort[0].share(8) == pytest.approx(8 / 9)


def test_the_page_shows_engagement_with_fewer_than_5_where_suppressed(programme, gamma, cast):
    _active(gamma, programme, timezone.now().date(), cast)

    status, page = _page(programme.analyst)

    assert status == 200
    assert _rows(page, "engagement-cohort") == [
        ["Everyone", "9", "8 (89 %)", "5 (56 %)"],
        ["Autumn 2025", "fewer than 5", "", ""],
        ["Spring 2026", "5", "5 (100 %)", "fewer than 5"],
    ]
    assert _rows(page, "engagement-coach")[2] == ["Olga Petrova", "5", "fewer than 5", "fewer than 5"]


# ---------------------------------------------------------------------------------------------------------------------
# Funnel by coach and cohort
# ---------------------------------------------------------------------------------------------------------------------
def test_the_funnel_by_coach_and_cohort_equals_a_hand_count(programme, gamma):
    with tenant_context(gamma):
        board = organisation_dashboard(viewer=programme.admin)

    # Reached (member counts): applied m1–m5, a1–a4 (9 of 10; m6 only saved); screening m1–m5 (m2, m4, m5 went
    # straight to an interview), a1, a2 (7); interviewing m1, m2, m4, m5, a1, a2 (6); offer m1, m4 (2); accepted m1.
    everyone = board.funnel_by_coach.funnel[ALL]
    assert everyone.members == 10
    assert [cell.members for cell in everyone.cells] == [9, 7, 6, None, None]
    assert [cell.member_rate for cell in everyone.cells][:3] == [0.9, 7 / 9, 6 / 7]
    coach_lines = [(line.label, line.members, line.stages) for line in funnel_lines(board.funnel_by_coach)]
    assert coach_lines == [
        ("Everyone", "10", ["9 (90 %)", "7 (78 %)", "6 (86 %)", "fewer than 5", "fewer than 5"]),
        ("Carl Hoffmann", "5", ["5 (100 %)", "5 (100 %)", "fewer than 5", "fewer than 5", "fewer than 5"]),
        ("Olga Petrova", "5", ["fewer than 5"] * 5),  # applied: a1–a4, 4
    ]
    cohort_lines = [(line.label, line.members, line.stages) for line in funnel_lines(board.funnel_by_cohort)]
    assert cohort_lines[1:] == [
        ("Autumn 2025", "fewer than 5", []),
        ("Spring 2026", "6", ["5 (83 %)", "5 (100 %)", "fewer than 5", "fewer than 5", "fewer than 5"]),
    ]
    assert not board.coach_view


def test_a_coach_sees_only_the_members_assigned_to_them(programme, gamma, cast):
    _active(gamma, programme, timezone.now().date(), cast)

    status, page = _page(programme.coach)

    assert status == 200
    assert 'id="coach-scope"' in page
    # Carl reaches m1–m5: everyone is those five; Olga's members and Autumn are nowhere.
    assert _rows(page, "funnel-coach") == [
        ["Everyone", "5", "5 (100 %)", "5 (100 %)", "fewer than 5", "fewer than 5", "fewer than 5"],
        ["Carl Hoffmann", "5", "5 (100 %)", "5 (100 %)", "fewer than 5", "fewer than 5", "fewer than 5"],
    ]
    assert [row[0] for row in _rows(page, "funnel-cohort")] == ["Everyone", "Spring 2026"]
    assert _rows(page, "engagement-coach") == [
        ["Everyone", "fewer than 5", "", ""],
        ["Carl Hoffmann", "fewer than 5", "", ""],
    ]
    assert "Olga Petrova" not in page
    assert "Autumn 2025" not in page


def test_a_coach_who_may_see_every_member_sees_the_whole_organisation(programme, gamma):
    with schema_context("gamma"):
        OrganisationSettings.objects.update_or_create(pk=1, defaults={"coaches_see_all_members": True})

    status, page = _page(programme.coach)

    assert status == 200
    assert _rows(page, "funnel-coach")[0][:2] == ["Everyone", "10"]


def test_the_page_names_no_member(programme, gamma, cast):
    _active(gamma, programme, timezone.now().date(), cast)

    for person in (programme.admin, programme.coach, programme.analyst):
        status, page = _page(person)
        assert status == 200
        for member in programme.members.values():
            assert member.full_name not in page
            assert member.email not in page


def test_the_page_says_when_its_figures_include_the_demos_simulated_events(programme, gamma, other_enterprise):  # noqa: F811
    assert "Simulated data" not in _page(programme.admin)[1]
    SimulatedHistory.objects.create(tenant=other_enterprise, events=900)  # another organisation's: not said here
    assert "Simulated data" not in _page(programme.admin)[1]

    SimulatedHistory.objects.create(
        tenant=gamma,
        events=1234,
        earliest=timezone.now() - datetime.timedelta(days=200),
        latest=timezone.now(),
    )
    status, page = _page(programme.admin)

    assert status == 200
    assert "Simulated data: 1,234 events counted here were written by the demo set-up" in page
    assert gamma.name in page


# ---------------------------------------------------------------------------------------------------------------------
# Who reaches it
# ---------------------------------------------------------------------------------------------------------------------
def test_a_member_gets_a_404(programme):
    for path in ("/portal/dashboard/", "/portal/dashboard/live/"):
        assert _page(programme.members["m1"], path)[0] == 404


def test_a_consumer_host_has_no_dashboard(cast, client_a):
    login(client_a, cast.owner_email)

    assert client_a.get("/portal/dashboard/").status_code == 404
    assert client_a.get("/portal/dashboard/live/").status_code == 404


def test_another_organisations_dashboard_shows_none_of_gammas_figures(programme, gamma, other_enterprise):  # noqa: F811
    now = timezone.now()
    _rollups(gamma, now=now)
    with schema_context(OTHER_SCHEMA):
        admin = user_ensure(
            email="sigrun.admin@nordhafen.example",
            password="correct-horse-battery-staple",
            role=User.Role.ADMINISTRATOR,
        )[0]
    EventRollup.objects.create(
        tenant=other_enterprise,
        kind="reminder.sent",
        key="",
        hour=now.replace(minute=0, second=0, microsecond=0),
        count=41,
    )
    DailyRollup.objects.create(tenant=other_enterprise, kind="reminder.sent", key="", day=now.date(), count=41)
    theirs = HttpClient(HTTP_HOST=OTHER_HOST)
    assert login(theirs, admin.email).status_code == 302
    gammas = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    assert login(gammas, programme.admin.email).status_code == 302

    page = theirs.get("/portal/dashboard/").content.decode()
    elsewhere = gammas.get("/portal/dashboard/", HTTP_HOST=OTHER_HOST)

    live = _rows(page, "live-table")
    with translation.override(other_enterprise.default_language):
        reminder_sent = str(DomainEvent.Kind.REMINDER_SENT.label)
    assert [row[0] for row in live] == [reminder_sent]
    assert live[0][1:] == ["41", "0", "41"]
    for trace in ("application created", "Carl Hoffmann", "Spring 2026", "Autumn 2025"):
        assert trace not in page
    assert elsewhere.status_code == 302  # gamma's session means nothing on another organisation's host
    assert elsewhere["Location"].startswith("/accounts/login/")
    assert "Carl" not in elsewhere.content.decode()
