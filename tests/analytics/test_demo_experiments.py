"""The demo's experiments: both created running, their SIMULATED exposures derived from the demo's histories (the
first follow-up a seeker would have been sent; the first application saved after the start), marked simulated in the
row and the domain event, labelled simulated on the results page, and written once however often the demo is set up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.demo import FOLLOW_UP_DAYS, demo_experiments_ensure
from analytics.experiments.catalogue import REMINDER_WORDING, SALARY_CHALLENGER
from analytics.experiments.exposure import EXPOSED_KIND
from analytics.models import Experiment, Exposure
from tests.analytics.experiment_support import fresh_caches, person, staff_client_make  # noqa: F401
from tests.tracking.factories import ApplicationFactory
from tracking.models import Application, ApplicationEvent, DomainEvent, Stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


def test_it_seeds_both_experiments_with_simulated_exposures_once_and_labels_them(cast) -> None:
    now = timezone.now()
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        applied_at = now - timedelta(days=40)
        application = ApplicationFactory(owner=owner, stage=Stage.APPLIED, stage_changed_at=applied_at)
        ApplicationEvent.objects.filter(application=application).update(recorded_at=applied_at)
        Application.objects.filter(pk=application.pk).update(created_at=applied_at)  # as the demo dates its rows
        moved = ApplicationEvent.objects.create(
            application=application,
            from_stage=Stage.APPLIED,
            to_stage=Stage.SCREENING,
            occurred_at=applied_at + timedelta(days=FOLLOW_UP_DAYS + 2),
            actor=owner,
        )
        ApplicationEvent.objects.filter(pk=moved.pk).update(recorded_at=moved.occurred_at)

    written = demo_experiments_ensure(schemas=["alpha"], now=now)

    assert written == {SALARY_CHALLENGER: 1, REMINDER_WORDING: 1}
    assert set(Experiment.objects.values_list("key", "status")) == {
        (SALARY_CHALLENGER, Experiment.Status.RUNNING),
        (REMINDER_WORDING, Experiment.Status.RUNNING),
    }
    reminder = Exposure.objects.get(experiment__key=REMINDER_WORDING)
    assert reminder.simulated
    assert reminder.exposed_at == applied_at + timedelta(days=FOLLOW_UP_DAYS)  # when the reminder would have gone
    with schema_context("alpha"):
        events = list(DomainEvent.objects.filter(kind=EXPOSED_KIND).values_list("payload__simulated", flat=True))
    assert events == [True, True]

    assert demo_experiments_ensure(schemas=["alpha"], now=now) == {SALARY_CHALLENGER: 0, REMINDER_WORDING: 0}
    assert Exposure.objects.count() == 2

    experiment = Experiment.objects.get(key=REMINDER_WORDING)
    page = staff_client_make().get(f"/admin/analytics/experiment/{experiment.pk}/results/").content.decode()
    assert 'id="simulated-label"' in page
    assert "Simulated data: 1 of these 1 exposures was written by the demo set-up" in page
