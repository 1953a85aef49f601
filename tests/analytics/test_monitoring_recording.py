# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""What was predicted for an application is recorded when it is served (predictions/served.py): on the application
page and through the interview API given an application id, the latest answer before the outcome, then frozen; the
log row of each request carries the bins of the inputs its model answered (predictions/drift.py).

The champions are trained on SIMULATED rows: these tests prove the plumbing, never accuracy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from predictions.application_panel import salary_item, time_to_hire_item
from predictions.models import ApplicationPrediction, PredictionLog
from predictions.salary.serving import salary_predict
from predictions.time_to_hire.serving import time_to_hire_predict
from tests.analytics.monitoring_support import (  # noqa: F401 - fixtures
    monitored_salary,
    monitored_time_to_hire,
    salary_reference,
    salary_run,
    time_to_hire_run,
)
from tests.billing.grants import cast_premium  # noqa: F401 - fixture
from tests.conftest import login
from tests.predictions.serving_support import owner_application
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures
from tracking.models import Application, CandidateProfile, Stage
from tracking.services import application_move

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _premium(cast_premium) -> None:  # every prediction is the cast's to see (gating: tests/billing)
    pass


def page(client, application) -> None:
    assert client.get(f"/app/applications/{application.pk}/").status_code == 200


def kept(application) -> dict[str, ApplicationPrediction]:
    with schema_context("alpha"):
        return {row.kind: row for row in ApplicationPrediction.objects.filter(application_id=application.pk)}


def test_it_records_what_the_application_page_served(
    owner, owner_client, monitored_salary, monitored_time_to_hire
) -> None:
    with schema_context("alpha"):
        CandidateProfile.objects.create(user=owner, years_experience=7, country="US")
    application = owner_application(owner)
    before = timezone.now()

    page(owner_client, application)

    rows = kept(application)
    assert set(rows) == {"salary", "interview", "time_to_hire"}
    with schema_context("alpha"):
        application = Application.objects.select_related("posting", "cv").get(pk=application.pk)
        profile = CandidateProfile.objects.get(user=owner)
        salary = salary_predict(**salary_item(user=owner, application=application, profile=profile)[0])
        days = time_to_hire_predict(**time_to_hire_item(application=application, profile=profile))
    salary_row, interview_row, days_row = rows["salary"], rows["interview"], rows["time_to_hire"]
    assert (salary_row.salary_p10_usd, salary_row.salary_p50_usd, salary_row.salary_p90_usd) == (
        salary["salary_p10_usd"],
        salary["salary_p50_usd"],
        salary["salary_p90_usd"],
    )
    assert (salary_row.salary_currency, salary_row.salary_per_usd) == ("USD", 1.0)
    assert (salary_row.model_version_id, salary_row.model_version) == (monitored_salary.pk, monitored_salary.version)
    assert (days_row.days_p10, days_row.days_p50, days_row.days_p90) == (
        days["days_p10"],
        days["days_p50"],
        days["days_p90"],
    )
    assert days_row.model_version_id == monitored_time_to_hire.pk
    # No interview classifier: the shrunk prior, kept under its label.
    assert (interview_row.model_version_id, interview_row.model_label, interview_row.scope) == (
        None,
        "shrunk-prior-1",
        "prior",
    )
    assert 0 < interview_row.interview_probability < 1
    assert {row.source for row in rows.values()} == {"page"}
    assert all(row.served_at >= before for row in rows.values())


def test_each_page_log_row_counts_its_inputs_into_the_training_bins(
    owner, owner_client, monitored_salary, monitored_time_to_hire
) -> None:
    application = owner_application(owner)

    page(owner_client, application)

    with schema_context("alpha"):
        logs = {row.kind: row for row in PredictionLog.objects.filter(source="page")}
    salary_bins, days_bins = logs["salary"].input_bins, logs["time_to_hire"].input_bins
    assert set(salary_bins) == set(monitored_salary.feature_names)
    assert all(sum(counts) == 1 for counts in salary_bins.values())  # one input, one bin per feature
    bins_per_feature = {f["name"]: len(f["counts"]) for f in monitored_salary.input_bins["features"]}
    assert {name: len(counts) for name, counts in salary_bins.items()} == bins_per_feature
    assert all(sum(counts) == 1 for counts in days_bins.values())
    assert days_bins["application_count"][-1] == 1  # the page never gives the applicant count: "missing"
    assert logs["interview"].input_bins is None  # the prior has no training inputs to compare with
    assert logs["match"].input_bins is None


def test_a_later_view_replaces_the_prediction_until_the_outcome_then_it_stays(
    owner, owner_client, monitored_salary
) -> None:
    application = owner_application(owner)
    page(owner_client, application)
    first = kept(application)
    with schema_context("alpha"):
        ApplicationPrediction.objects.update(served_at=timezone.now() - timedelta(days=2))

    page(owner_client, application)  # still waiting: the latest answer replaces the earlier one
    second = kept(application)
    with schema_context("alpha"):
        application_move(application=application, to_stage=Stage.SCREENING, by=owner)
    page(owner_client, application)  # screening reached: the interview prediction is frozen, the salary is not
    third = kept(application)
    with schema_context("alpha"):
        application_move(application=application, to_stage=Stage.INTERVIEWING, by=owner)
        application_move(
            application=application, to_stage=Stage.OFFER, by=owner, offer_amount=90000, offer_currency="USD"
        )
    page(owner_client, application)  # an offer: nothing changes any more
    fourth = kept(application)

    assert second["salary"].served_at > first["salary"].served_at
    assert second["interview"].served_at > first["interview"].served_at
    assert third["interview"].served_at == second["interview"].served_at
    assert third["salary"].served_at > second["salary"].served_at
    assert fourth["salary"].served_at == third["salary"].served_at
    assert fourth["interview"].served_at == third["interview"].served_at
    with schema_context("alpha"):
        assert ApplicationPrediction.objects.filter(application_id=application.pk).count() == 2


def test_the_interview_api_records_a_named_application_only(owner, owner_client) -> None:
    application = owner_application(owner)

    response = owner_client.post(
        "/api/v1/predictions/interview", {"application_id": application.pk}, content_type="application/json"
    )
    raw = owner_client.post(
        "/api/v1/predictions/interview", {"match_score": 70, "channel": "referral"}, content_type="application/json"
    )

    assert response.status_code == raw.status_code == 200
    [row] = kept(application).values()
    assert (row.kind, row.source) == ("interview", "api")
    assert row.interview_probability == response.json()["interview_probability"]
    with schema_context("alpha"):
        assert ApplicationPrediction.objects.count() == 1  # the raw input names no application: nothing kept


def test_another_tenants_application_is_a_404_and_records_nothing(cast, owner_client, client_b) -> None:
    from tests.tracking.factories import ApplicationFactory

    with schema_context("beta"):
        from accounts.models import User

        stranger = User.objects.get(email=cast.stranger_email)
        theirs = ApplicationFactory(owner=stranger, posting__owner=stranger)
    login(client_b, cast.stranger_email)

    response = owner_client.post(
        "/api/v1/predictions/interview", {"application_id": theirs.pk}, content_type="application/json"
    )
    page_response = owner_client.get(f"/app/applications/{theirs.pk}/")

    assert response.status_code == page_response.status_code == 404
    for schema in ("alpha", "beta"):
        with schema_context(schema):
            assert ApplicationPrediction.objects.count() == 0


def test_the_log_buffer_carries_the_bins_and_the_kept_predictions(
    owner, owner_client, monitored_salary, settings
) -> None:
    from billing import redis_client as billing_redis
    from cvplus import batched_writes
    from predictions import logbuffer

    def forget() -> None:
        client = billing_redis.redis_client()
        keys = list(client.scan_iter(match=f"{batched_writes.database_namespace(logbuffer.PREFIX)}*"))
        if keys:
            client.delete(*keys)

    settings.PREDICTION_LOG_BUFFERED = True
    forget()
    try:
        application = owner_application(owner)
        page(owner_client, application)
        with schema_context("alpha"):
            assert not PredictionLog.objects.filter(kind="salary").exists()  # waiting in Redis
            assert not ApplicationPrediction.objects.exists()  # the page committed nothing of them
        assert logbuffer.prediction_log_flush() >= 1
        assert logbuffer.prediction_log_flush() == 0  # once only
    finally:
        forget()

    with schema_context("alpha"):
        [row] = PredictionLog.objects.filter(kind="salary")
        kept_kinds = set(ApplicationPrediction.objects.filter(application=application).values_list("kind", flat=True))
    assert set(row.input_bins) == set(monitored_salary.feature_names)
    assert all(sum(counts) == 1 for counts in row.input_bins.values())
    assert kept_kinds == {"salary", "interview"}  # no time-to-hire model here


def test_the_kept_predictions_are_in_the_owners_export_and_go_with_the_application(
    owner, owner_client, monitored_salary
) -> None:
    from privacy.erasure import application_erase
    from privacy.export import export_tables

    application = owner_application(owner)
    page(owner_client, application)

    with schema_context("alpha"):
        exported = {table.name: table.rows for table in export_tables(user=owner)}["application_predictions"]
        assert {(row["application_id"], row["kind"]) for row in exported} == {
            (application.pk, "salary"),
            (application.pk, "interview"),
        }
        application_erase(application=application, by=owner)
        assert not ApplicationPrediction.objects.filter(application_id=application.pk).exists()
