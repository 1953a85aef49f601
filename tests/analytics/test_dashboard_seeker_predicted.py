"""The seeker dashboard's comparison with the predictions, deferred to its own fragment (/app/insights/predicted/) and
cached: the page itself predicts nothing, the fragment shows the comparison, the cached answer is reused until one of
the seeker's applications is added, moved or deleted (or the hour turns), a failure is never cached, and nobody sees
another seeker's or another tenant's comparison."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from analytics import seeker_dashboard as dashboard_module
from analytics.seeker_dashboard import seeker_comparison, seeker_dashboard, seeker_figures_cached
from tests.analytics.test_dashboard_seeker import PROBABILITY_BY_CHANNEL, _track, history_build
from tests.billing.grants import cast_premium, plan_grant  # noqa: F401 - fixture
from tests.conftest import login
from tracking.models import Application, Stage
from tracking.services import application_move

A, S = Stage.APPLIED, Stage.SCREENING
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _premium_for_the_cast(cast_premium) -> None:  # noqa: F811
    """Premium: the comparison with the interview odds and salary ranges is a premium feature."""


@pytest.fixture(autouse=True)
def _comparisons_forgotten() -> None:
    """The cache is Redis, which no test's rollback empties: each test starts without cached figures or comparison."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match="*insights:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def owner(cast, db) -> User:
    with schema_context("alpha"):
        yield User.objects.get(email=cast.owner_email)


@pytest.fixture
def odds(monkeypatch) -> list[int]:
    """The interview predictor answers fixed odds per channel; returns the list of batch sizes it was asked for."""
    calls: list[int] = []

    def fixed(*, user, inputs, explain, source):
        calls.append(len(inputs))
        return [{"interview_probability": PROBABILITY_BY_CHANNEL[item["channel"]]} for item in inputs]

    monkeypatch.setattr(dashboard_module.service, "interview_serve", fixed)
    return calls


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


# ---------------------------------------------------------------------------------------------------------------------
# The page and its fragment
# ---------------------------------------------------------------------------------------------------------------------
def test_the_page_loads_the_comparison_from_its_fragment_and_predicts_nothing(owner, client_a, monkeypatch):
    history_build(owner)

    def refuse(**kwargs):
        raise AssertionError("the page ran a predictor")

    monkeypatch.setattr(dashboard_module.service, "interview_serve", refuse)
    monkeypatch.setattr(dashboard_module, "predicted_ranges", refuse)
    login(client_a, owner.email)

    page = client_a.get("/app/insights/").content.decode()

    assert 'hx-get="/app/insights/predicted/" hx-trigger="load" hx-swap="outerHTML"' in page
    assert '<a href="/app/insights/predicted/">Open the comparison</a>' in page
    assert "CVPlus&#x27;s odds add up to" not in page


def test_the_fragment_shows_the_comparison_as_a_section_alone(owner, client_a, odds):
    history_build(owner)
    login(client_a, owner.email)

    fragment = client_a.get("/app/insights/predicted/", **HTMX)

    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert fragment["Cache-Control"] == "private, no-store"
    assert html.startswith('<section class="panel insights-predictions"')
    assert "<html" not in html
    # a1 0.2, a2 0.2, a3 0.5, a5 0.1 (tests/analytics/test_dashboard_seeker.py works the figures out by hand).
    assert "CVPlus's odds add up to 1.0 answers leading to screening or an interview; you got 2." in _text(html)
    assert odds == [4]


def test_without_javascript_the_fragment_is_a_page_of_its_own(owner, client_a, odds):
    history_build(owner)
    login(client_a, owner.email)

    html = client_a.get("/app/insights/predicted/").content.decode()

    assert "<html" in html
    assert 'href="/app/insights/"' in html
    assert "you got 2." in _text(html)


def test_the_fragment_asks_for_a_sign_in(client_a):
    response = client_a.get("/app/insights/predicted/", **HTMX)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_free_plan_gets_the_locked_sections_and_nothing_is_predicted(owner, client_a, cast, monkeypatch):
    history_build(owner)
    plan_grant(schema="alpha", email=cast.owner_email, plan_code="free")

    def refuse(**kwargs):
        raise AssertionError("a predictor ran for a plan without it")

    monkeypatch.setattr(dashboard_module.service, "interview_serve", refuse)
    monkeypatch.setattr(dashboard_module, "predicted_ranges", refuse)
    login(client_a, owner.email)

    html = client_a.get("/app/insights/predicted/", **HTMX).content.decode()

    assert "See plans to unlock it" in html
    assert "you got" not in html
    assert not cache._cache.get_client().keys("*insights:predicted:*")


# ---------------------------------------------------------------------------------------------------------------------
# The cache and what empties it
# ---------------------------------------------------------------------------------------------------------------------
NOW = timezone.now().replace(minute=30)


def test_it_predicts_once_and_reuses_the_answer_while_nothing_changes(owner, odds):
    history_build(owner)

    first = seeker_comparison(user=owner, now=NOW)
    again = seeker_comparison(user=owner, now=NOW + timedelta(minutes=10))

    assert odds == [4]
    assert again.interview == first.interview
    assert (first.interview.applications, first.interview.observed) == (4, 2)


def test_a_move_shows_at_the_next_load(owner, odds):
    history = history_build(owner)
    before = seeker_comparison(user=owner, now=NOW)

    # a4 was sent 10 days ago: its outcome is not known yet, but its move changes the seeker's data all the same.
    application_move(application=history.applications["a4"], to_stage=S, by=owner, at=timezone.now())
    after_a_move = seeker_comparison(user=owner, now=NOW)
    # a2 (rejected, a known "no") is deleted: one outcome fewer.
    Application.objects.filter(pk=history.applications["a2"].pk).delete()
    after_a_deletion = seeker_comparison(user=owner, now=NOW)

    assert odds == [4, 4, 3]
    assert before.interview.applications == after_a_move.interview.applications == 4
    assert before.interview_waiting == 2
    assert after_a_deletion.interview.applications == 3
    assert after_a_deletion.interview.expected == pytest.approx(0.8)


def test_a_new_application_shows_at_the_next_load(owner, odds):
    history_build(owner)
    seeker_comparison(user=owner, now=NOW)

    _track(owner, "Late", Application.Channel.RECRUITER, [(A, 40)])
    after = seeker_comparison(user=owner, now=NOW)

    assert odds == [4, 5]
    assert after.interview.applications == 5
    assert after.interview.expected == pytest.approx(1.9)  # 1.0 + the recruiter's 0.9


def test_the_answer_is_worked_out_again_the_next_hour(owner, odds):
    history_build(owner)

    seeker_comparison(user=owner, now=NOW)
    seeker_comparison(user=owner, now=NOW + timedelta(hours=1))

    assert odds == [4, 4]


def test_a_failing_predictor_is_not_kept(owner, odds, monkeypatch):
    history_build(owner)
    working = dashboard_module.service.interview_serve

    def broken(**kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(dashboard_module.service, "interview_serve", broken)
    failed = seeker_comparison(user=owner, now=NOW)
    monkeypatch.setattr(dashboard_module.service, "interview_serve", working)
    recovered = seeker_comparison(user=owner, now=NOW)

    assert failed.interview_status == "failed"
    assert failed.interview is None
    assert recovered.interview_status == "ready"
    assert recovered.interview.observed == 2


def test_a_warm_load_reads_a_fixed_number_of_queries_whatever_the_applications(
    owner, cast, odds, django_assert_num_queries
):
    history_build(owner)
    with tenant_context(cast.tenant_a):  # as in a request: the tenant is known, the plan cached
        seeker_comparison(user=owner, now=NOW)
        # The digest of the applications; the offers, a savepoint around their ranges (cached), their companies.
        with django_assert_num_queries(5):
            seeker_comparison(user=owner, now=NOW)
        for name in ("More", "Even more", "Still more"):
            _track(owner, name, Application.Channel.REFERRAL, [(A, 50), (Stage.REJECTED, 45)])
        seeker_comparison(user=owner, now=NOW)
        with django_assert_num_queries(5):
            seeker_comparison(user=owner, now=NOW)
    assert odds == [4, 7]


def test_the_pages_own_figures_are_kept_until_an_application_changes(owner, cast, django_assert_num_queries):
    history = history_build(owner)
    with tenant_context(cast.tenant_a):
        first = seeker_figures_cached(user=owner, now=NOW)
        with django_assert_num_queries(1):  # the digest of the applications; the figures come from the cache
            again = seeker_figures_cached(user=owner, now=NOW)
        fresh = seeker_dashboard(user=owner, now=NOW, predictions=False)
        application_move(application=history.applications["a4"], to_stage=S, by=owner, at=timezone.now())
        after_a_move = seeker_figures_cached(user=owner, now=NOW)

    assert again == first == fresh
    assert [step.applications for step in first.funnel] == [6, 2, 2, 1]
    assert [step.applications for step in after_a_move.funnel] == [6, 3, 2, 1]
    assert after_a_move == seeker_dashboard(user=owner, now=NOW, predictions=False)


def test_the_pages_own_figures_follow_the_hour(owner):
    _track(owner, "Early", Application.Channel.REFERRAL, [(A, 3)])
    seeker_figures_cached(user=owner, now=NOW)
    later = NOW + timedelta(days=2)

    figures = seeker_figures_cached(user=owner, now=later)

    assert figures.stage_times == seeker_dashboard(user=owner, now=later, predictions=False).stage_times
    assert figures.weeks[-1].start == (later.date() - timedelta(days=later.weekday()))


# ---------------------------------------------------------------------------------------------------------------------
# Nobody else's
# ---------------------------------------------------------------------------------------------------------------------
def test_another_seeker_of_the_same_site_sees_only_their_own_comparison(owner, cast, client_a, odds):
    history_build(owner)
    login(client_a, owner.email)
    client_a.get("/app/insights/predicted/", **HTMX)  # the owner's answer is now in the cache
    client_a.logout()
    login(client_a, cast.member_email)

    html = client_a.get("/app/insights/predicted/", **HTMX).content.decode()

    assert "No application has a known outcome yet." in html
    assert "you got 2." not in _text(html)
    assert "Aurora" not in html


def test_another_tenants_seeker_gets_nothing_of_this_one(owner, cast, client_b, odds):
    history_build(owner)
    seeker_comparison(user=owner, now=NOW)
    login(client_b, cast.stranger_email)

    html = client_b.get("/app/insights/predicted/", **HTMX).content.decode()
    with translation.override(cast.tenant_b.default_language):  # the page is in tenant B's language
        nothing_known = translation.gettext(
            "No application has a known outcome yet. One is compared once you sent it at least 30 days ago, even if "
            "the answer came sooner, so that quick answers do not flatter the figures."
        )

    assert nothing_known in html
    assert "Aurora" not in html
    assert "you got" not in html
    assert odds == [4]  # the stranger has nothing to predict


def test_an_offer_links_only_to_the_seekers_own_application(owner, cast, client_a, odds, monkeypatch):
    """The fragment's offer links go to the application page, which answers 404 to anyone else."""
    history = history_build(owner)
    login(client_a, owner.email)
    html = client_a.get("/app/insights/predicted/", **HTMX).content.decode()
    link = f"/app/applications/{history.applications['a1'].pk}/"
    client_a.logout()
    login(client_a, cast.member_email)

    assert f'href="{link}"' in html
    assert client_a.get(link).status_code == 404
