# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""Every gated place asks billing.entitlements: the free plan's tracking limit (web form, API, CSV import; refused
with the limit named and nothing written), the predictions panel (locked sections link to pricing and their
predictors never run; the free salary is the median only), the prediction API (403 with the reason; the basic salary
estimate), premium unlocking all of it (exports are every plan's), a downgrade keeping the data, enterprise
contracts, and one tenant's plan never reaching another tenant's user.

The salary champion is trained on SIMULATED rows (tests/predictions/serving_support.py): figures prove plumbing only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from billing.catalogue import FREE_APPLICATION_LIMIT, plans_ensure
from billing.models import Contract, Feature, Plan, Subscription
from predictions import service
from predictions.application_panel import application_predictions
from tenants.models import Client
from tests.billing.grants import plan_grant
from tests.conftest import ENTERPRISE_HOST, login
from tests.predictions.serving_support import (  # noqa: F401 - fixtures
    owner_application,
    salary_champion,
    salary_reference,
    salary_run,
)
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory, JobPostingFactory
from tracking import io as tracking_io
from tracking.io.queueing import import_confirm
from tracking.models import Application, JobPosting

pytestmark = pytest.mark.django_db

SALARY = {
    "title": "Data Scientist",
    "experience_level": "SE",
    "employment_type": "FT",
    "remote_ratio": 0,
    "company_size": "M",
    "company_country": "US",
}


@pytest.fixture
def plans(cast) -> dict[str, Plan]:
    with schema_context("public"):
        return {plan.code: plan for plan in plans_ensure()}


def fill_to_the_limit(user: User, *, missing: int = 0) -> None:
    with schema_context("alpha"):
        ApplicationFactory.create_batch(FREE_APPLICATION_LIMIT - missing, owner=user)


def counts(user: User) -> tuple[int, int]:
    with schema_context("alpha"):
        return Application.objects.filter(owner=user).count(), JobPosting.objects.filter(owner=user).count()


def section_html(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</article>", start)]


# ---------------------------------------------------------------------------------------------------------------------
# The tracking limit
# ---------------------------------------------------------------------------------------------------------------------


def test_it_refuses_a_new_posting_past_the_free_limit_naming_it_and_writes_nothing(owner, owner_client, plans) -> None:
    fill_to_the_limit(owner)
    before = counts(owner)

    response = owner_client.post("/app/postings/new/", {"title": "SRE", "company": "Initech", "action": "save"})

    assert response.status_code == 400
    page = response.content.decode()
    assert f"tracks up to {FREE_APPLICATION_LIMIT} applications" in page
    assert counts(owner) == before  # neither the posting nor the application was written


def test_it_lets_a_free_user_track_up_to_the_limit(owner, owner_client, plans) -> None:
    fill_to_the_limit(owner, missing=1)

    response = owner_client.post("/app/postings/new/", {"title": "SRE", "company": "Initech", "action": "save"})

    assert response.status_code == 302
    assert counts(owner)[0] == FREE_APPLICATION_LIMIT


def test_it_answers_the_api_with_403_and_the_reason_past_the_limit(owner, owner_client, plans) -> None:
    fill_to_the_limit(owner)
    with schema_context("alpha"):
        posting = JobPostingFactory(owner=owner)
    before = counts(owner)

    response = owner_client.post("/api/v1/applications/", {"posting": posting.pk}, content_type="application/json")

    assert response.status_code == 403
    assert str(FREE_APPLICATION_LIMIT) in response.json()["detail"]
    assert "Free plan" in response.json()["detail"]
    assert counts(owner) == before


CSV = "Company,Job Title,Date Applied\n" + "".join(f"Company {n},Engineer,2024-02-0{n}\n" for n in range(1, 4))


def test_it_refuses_a_whole_import_that_would_pass_the_limit_before_writing_a_row(owner, plans) -> None:
    fill_to_the_limit(owner, missing=2)  # room for 2, the file has 3
    before = counts(owner)
    with schema_context("alpha"):
        preview = tracking_io.import_preview(user=owner, data=CSV.encode(), language="en", currency="USD")
        assert preview.importable_count == 3
        with pytest.raises(ValidationError) as refused:
            import_confirm(user=owner, token=preview.token, stage_choices={})

    message = " ".join(refused.value.messages)
    assert f"tracks up to {FREE_APPLICATION_LIMIT} applications" in message
    assert "this file adds 3" in message
    assert "at most 2 rows" in message
    assert counts(owner) == before


def test_it_shows_the_limit_on_the_import_page_and_imports_nothing(owner, owner_client, plans) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fill_to_the_limit(owner, missing=2)
    before = counts(owner)
    upload = SimpleUploadedFile("jobs.csv", CSV.encode(), "text/csv")
    preview = owner_client.post("/app/import/", {"file": upload, "date_order": "auto"}).context["preview"]

    response = owner_client.post("/app/import/confirm/", {"token": preview.token})

    assert response.status_code == 400
    assert "at most 2 rows" in response.content.decode()
    assert "Nothing was imported." in response.content.decode()
    assert counts(owner) == before


# ---------------------------------------------------------------------------------------------------------------------
# The predictions panel and API
# ---------------------------------------------------------------------------------------------------------------------


def test_it_shows_a_free_user_the_match_and_the_median_salary_and_locks_the_rest(
    owner, owner_client, plans, salary_champion, monkeypatch
) -> None:
    ran: list[str] = []
    monkeypatch.setattr(service, "interview_serve", lambda **kwargs: ran.append("interview") or [{}])
    monkeypatch.setattr(service, "time_to_hire_serve", lambda **kwargs: ran.append("time_to_hire") or [{}])
    application = owner_application(owner)

    response = owner_client.get(f"/app/applications/{application.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert ran == []  # a predictor the user may not see is never run
    for element_id, feature in (
        ("prediction-interview", "interview and offer probability"),
        ("prediction-time-to-hire", "time to hire"),
    ):
        locked = section_html(page, element_id)
        assert f"Unlock {feature}." in locked
        assert 'href="/billing/pricing/"' in locked
    salary = section_html(page, "prediction-salary")
    assert "basic estimate (the median)" in salary
    assert " – " not in salary  # no range
    assert "salary range with reasons" in salary  # what premium adds, with the link
    assert "prediction-reasons" not in salary  # no reasons
    match = section_html(page, "prediction-match")
    assert "/ 100" in match


def test_it_gives_the_panel_only_the_median_for_a_free_user(owner, plans, salary_champion) -> None:
    application = owner_application(owner)
    with schema_context("alpha"):
        salary = application_predictions(user=owner, application=application)["salary"]
    assert salary["basic"] is True
    assert "p10" not in salary
    assert "p90" not in salary
    assert not any(key.startswith(("salary_p10", "salary_p90")) for key in salary["result"])
    assert salary["reasons"] == []


def test_it_answers_premium_api_features_with_403_and_the_reason_for_a_free_user(owner, owner_client, plans) -> None:
    application = owner_application(owner)
    for kind, feature in (("interview", "interview and offer probability"), ("time-to-hire", "time to hire")):
        body = {"application_id": application.pk} if kind == "interview" else {"title": "Data Scientist"}
        response = owner_client.post(f"/api/v1/predictions/{kind}", body, content_type="application/json")
        assert response.status_code == 403, kind
        assert response.json()["detail"] == f"The Free plan does not include {feature}."


def test_it_answers_a_free_users_salary_request_with_the_median_only(owner, owner_client, plans, salary_champion):
    response = owner_client.post("/api/v1/predictions/salary", SALARY, content_type="application/json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["basic"] is True
    assert body["salary_p50_usd"] > 0
    assert not {"salary_p10_usd", "salary_p90_usd", "salary_p10", "salary_p90", "factors"} & body.keys()


def test_it_shows_a_premium_user_everything_and_tracks_past_the_free_limit(
    owner, owner_client, plans, salary_champion
) -> None:
    plan_grant(schema="alpha", email=owner.email)
    fill_to_the_limit(owner)
    application = owner_application(owner)  # the 26th

    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()

    assert "Unlock " not in page
    assert " – " in section_html(page, "prediction-salary")
    assert "chance of an interview" in section_html(page, "prediction-interview")  # the published prior, not a lock
    response = owner_client.post("/app/postings/new/", {"title": "SRE", "company": "Initech", "action": "save"})
    assert response.status_code == 302
    assert counts(owner)[0] == FREE_APPLICATION_LIMIT + 2
    salary = owner_client.post("/api/v1/predictions/salary", SALARY, content_type="application/json").json()
    assert salary["salary_p10_usd"] <= salary["salary_p50_usd"] <= salary["salary_p90_usd"]
    assert owner_client.get("/app/export/applications.csv").status_code == 200


def test_it_keeps_every_application_after_a_downgrade_and_only_refuses_new_ones(owner, owner_client, plans) -> None:
    grant = plan_grant(schema="alpha", email=owner.email)
    fill_to_the_limit(owner)
    with schema_context("alpha"):
        ApplicationFactory.create_batch(5, owner=owner)
    with schema_context("public"):
        Subscription.objects.filter(pk=grant.pk).update(granted_until=timezone.localdate() - timedelta(days=1))

    listed = owner_client.get("/api/v1/applications/?page_size=100").json()
    assert listed["count"] == FREE_APPLICATION_LIMIT + 5  # nothing hidden or deleted
    board = owner_client.get("/app/")
    assert board.status_code == 200
    refused = owner_client.post("/app/postings/new/", {"title": "SRE", "company": "Initech", "action": "save"})
    assert refused.status_code == 400
    assert counts(owner)[0] == FREE_APPLICATION_LIMIT + 5


def test_it_lets_a_free_user_export_everything(owner, owner_client, plans) -> None:
    for url in ("/app/export/applications.csv", "/app/export/everything.json", "/privacy/export/"):
        response = owner_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment;"), url


# ---------------------------------------------------------------------------------------------------------------------
# Enterprise contracts and tenant isolation
# ---------------------------------------------------------------------------------------------------------------------


def test_it_gives_enterprise_members_the_contracts_features_and_no_others(cast, plans) -> None:
    today = timezone.localdate()
    with schema_context("public"):
        Contract.objects.create(
            tenant=Client.objects.get(schema_name="gamma"),
            seats=5,
            price_per_seat_minor=2500,
            currency="EUR",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=30),
            features=[Feature.TRACKING, Feature.MATCH, Feature.INTERVIEW],
        )
    with schema_context("gamma"):
        member = User.objects.get(email=cast.enterprise_email)
        application = ApplicationFactory(owner=member, posting=JobPostingFactory(owner=member, title="Analyst"))
        sections = application_predictions(user=member, application=application)
    assert not sections["interview"].get("locked")
    assert sections["time_to_hire"]["locked"]
    assert sections["salary"]["locked"]  # the contract has no salary feature at all

    from django.test import Client as HttpClient

    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    login(client, cast.enterprise_email)
    interview = client.post(
        "/api/v1/predictions/interview", {"application_id": application.pk}, content_type="application/json"
    )
    assert interview.status_code == 200, interview.content
    assert client.get("/app/export/applications.csv").status_code == 200  # every plan exports


def test_it_never_lets_another_tenants_plan_reach_a_user_with_the_same_id(cast, owner, owner_client, plans) -> None:
    with schema_context("public"):
        Subscription.objects.create(
            tenant=Client.objects.get(schema_name="beta"),
            user_id=owner.pk,  # the same id, in another tenant's schema
            plan=plans["premium-monthly"],
            status=Subscription.Status.ACTIVE,
        )
    application = owner_application(owner)

    response = owner_client.post(
        "/api/v1/predictions/interview", {"application_id": application.pk}, content_type="application/json"
    )

    assert response.status_code == 403
    assert "Free plan" in response.json()["detail"]
    page = owner_client.get("/billing/pricing/").content.decode()
    assert "You are on the Free plan." in page
