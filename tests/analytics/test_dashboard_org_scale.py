"""The organisation dashboard stays a fixed number of queries as the organisation grows (more members, cohorts,
coaches, applications and active days), and its shortcuts agree with the long way: the funnels by coach and by cohort
from one scan equal the cohort outcomes' own report per grouping, and engagement with the funnel's names equals
engagement reading them itself. Small groups stay "fewer than 5" (tests/analytics/test_dashboard_org.py checks the
hand counts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from analytics.models import ActiveDay
from analytics.org_dashboard import engagement, organisation_dashboard
from portal.models import Cohort, Membership
from portal.outcomes_queries import COACH, COHORT, INDUSTRY, OutcomeFilters
from portal.outcomes_report import funnel_report, funnel_reports
from tenants.models import Client
from tracking.models import Application, Stage
from tracking.services import application_create, posting_create


def _grow(gamma: Client, *, cohorts: int, coaches: int, per_pair: int) -> None:
    """`cohorts` × `coaches` more groups of `per_pair` members, each with an application and active today."""
    now = timezone.now()
    with schema_context("gamma"):
        for c in range(cohorts):
            cohort = Cohort.objects.create(name=f"Grown cohort {c}")
            for k in range(coaches):
                coach = User.objects.create_user(
                    email=f"grown.coach{c}.{k}@gamma.example", password="x-long-password-1", role=User.Role.COACH
                )
                for m in range(per_pair):
                    member = User.objects.create_user(
                        email=f"grown{c}.{k}.{m}@gamma.example", password="x-long-password-1", role=User.Role.MEMBER
                    )
                    Membership.objects.create(
                        user=member, cohort=cohort, coach=coach, joined_at=now - timedelta(days=30)
                    )
                    posting = posting_create(owner=member, title="Analyst", company="Grown GmbH", country="DE")
                    application_create(owner=member, posting=posting, stage=Stage.APPLIED, at=now - timedelta(days=2))
                    ActiveDay.objects.create(tenant=gamma, user_id=member.pk, day=now.date())


def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_organisations_size(
    programme, gamma, django_assert_num_queries
):
    with tenant_context(gamma):
        organisation_dashboard(viewer=programme.admin)  # warm: the search path
        # Live activity 3; the funnels: members, their applications in one scan, coaches' and cohorts' names 2;
        # engagement: the memberships and the active days.
        with django_assert_num_queries(9):
            before = organisation_dashboard(viewer=programme.admin)
    _grow(gamma, cohorts=3, coaches=4, per_pair=5)
    with tenant_context(gamma):
        Client.objects.exists()  # the search path is set on the first query after switching
        with django_assert_num_queries(9):
            after = organisation_dashboard(viewer=programme.admin)

    assert len(before.funnel_by_cohort.groups) == 3  # everyone, Autumn, Spring
    assert len(after.funnel_by_cohort.groups) == 6
    assert len(after.funnel_by_coach.groups) == 3 + 12
    assert after.engagement.by_cohort[0].members == 9 + 60
    assert after.engagement.by_cohort[0].this_week == 60


def test_a_coachs_dashboard_reads_a_fixed_number_of_queries_too(programme, gamma, django_assert_num_queries):
    with tenant_context(gamma):
        organisation_dashboard(viewer=programme.coach)
        with django_assert_num_queries(10):  # and the organisation's settings (may coaches see every member?)
            organisation_dashboard(viewer=programme.coach)
    _grow(gamma, cohorts=2, coaches=2, per_pair=5)
    with tenant_context(gamma):
        Client.objects.exists()
        with django_assert_num_queries(10):
            organisation_dashboard(viewer=programme.coach)


@pytest.mark.parametrize("reach", ["everyone", "coach"])
def test_the_funnels_from_one_scan_equal_the_cohort_outcomes_report_per_grouping(programme, gamma, reach):
    _grow(gamma, cohorts=1, coaches=2, per_pair=5)
    with tenant_context(gamma):
        users = None if reach == "everyone" else User.objects.filter(membership__coach=programme.coach)
        filters = OutcomeFilters(reach=users)
        together = funnel_reports(filters=filters, group_bys=(COACH, COHORT))
        for group_by in (COACH, COHORT):
            alone = funnel_report(filters=filters, group_by=group_by)
            assert together[group_by].groups == alone.groups
            assert together[group_by].funnel == alone.funnel


def test_funnels_from_one_scan_refuse_a_postings_grouping(gamma):
    with tenant_context(gamma), pytest.raises(ValueError, match="posting"):
        funnel_reports(filters=OutcomeFilters(), group_bys=(COHORT, INDUSTRY))


def test_engagement_with_the_funnels_names_equals_engagement_reading_them(programme, gamma, cast):
    today = timezone.now().date()
    with schema_context("gamma"):
        members = list(User.objects.filter(role=User.Role.MEMBER).order_by("pk"))
    for index, member in enumerate(members):
        ActiveDay.objects.create(tenant=gamma, user_id=member.pk, day=today - timedelta(days=index))
    with tenant_context(gamma):
        board = organisation_dashboard(viewer=programme.admin)
        alone = engagement(reach=None, today=board.engagement.this_week[1])

    assert board.engagement == alone
    assert [row.label for row in alone.by_coach] == ["Everyone", "Carl Hoffmann", "Olga Petrova"]


def test_an_active_day_in_another_tenant_or_outside_the_fortnight_counts_for_nobody(programme, gamma, cast):
    today = timezone.now().date()
    with schema_context("gamma"):
        spring = list(
            User.objects.filter(membership__cohort__name="Spring 2026", membership__status="active").order_by("pk")
        )
    for member in spring:  # five active members of Spring
        ActiveDay.objects.create(tenant=cast.tenant_a, user_id=member.pk, day=today)  # another tenant's day
        ActiveDay.objects.create(tenant=gamma, user_id=member.pk, day=today - timedelta(days=14))  # too long ago
    with tenant_context(gamma):
        found = engagement(reach=None, today=today)

    spring_row = next(row for row in found.by_cohort if row.label == "Spring 2026")
    assert (spring_row.members, spring_row.this_week, spring_row.last_week) == (5, None, None)  # 0: below 5
    assert found.by_cohort[0].this_week is None


def test_applications_outside_the_members_do_not_count(programme, gamma):
    """A coach's own applications are not the programme's."""
    with schema_context("gamma"):
        posting = posting_create(owner=programme.coach, title="Coach", company="Self", country="DE")
        application_create(owner=programme.coach, posting=posting, stage=Stage.APPLIED, at=timezone.now())
        coach_applications = Application.objects.filter(owner=programme.coach).count()
    with tenant_context(gamma):
        board = organisation_dashboard(viewer=programme.admin)

    assert coach_applications == 1
    assert board.funnel_by_coach.funnel["all"].members == 10
