"""Experiments in staff admin: a malformed definition (weights not summing to 100, a malformed line, an unknown
metric, listed tenants without any) is refused with the error in its field's row and nothing saved; the variants of a
running experiment, or the metric once people were exposed, cannot change; the key cannot change once saved; the
results page is linked from the change page and is staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import Experiment, Exposure
from tests.analytics.experiment_support import (  # noqa: F401
    experiment_make,
    field_error,
    fresh_caches,
    staff_client_make,
)
from tests.conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

ADD = "/admin/analytics/experiment/add/"


@pytest.fixture
def staff_client(cast):
    return staff_client_make()


def form(**overrides) -> dict:
    now = timezone.now()
    return {
        "key": "onboarding-copy",
        "name": "Onboarding copy",
        "description": "",
        "variants": "control 50\nshort 50",
        "metric": "acted-7d",
        "population": Experiment.Population.SEEKERS,
        "starts_at_0": now.date().isoformat(),
        "starts_at_1": "09:00:00",
        "stops_at_0": (now + timedelta(days=30)).date().isoformat(),
        "stops_at_1": "09:00:00",
        "status": Experiment.Status.DRAFT,
        "_save": "Save",
    } | overrides


def test_it_saves_a_well_formed_experiment_with_its_variants_as_pairs(staff_client) -> None:
    response = staff_client.post(ADD, form())

    assert response.status_code == 302, response.content.decode()
    saved = Experiment.objects.get(key="onboarding-copy")
    assert saved.variants == [["control", 50], ["short", 50]]
    assert saved.control == "control"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"variants": "control 60\nshort 50"}, "variants", "The weights add up to 110 %; they must add up to 100 %."),
        ({"variants": "control 50.5\nshort 49.5"}, "variants", "Line 1: the weight must be a whole number of per cent"),
        ({"variants": "control fifty\nshort 50"}, "variants", "Line 1: the weight must be a whole number"),
        ({"variants": "Control Group 50"}, "variants", "Line 1: write a name"),
        ({"variants": "control 100"}, "variants", "An experiment needs at least two variants"),
        ({"variants": "a 50\na 50"}, "variants", "Each variant needs its own name."),
        ({"metric": "revenue-per-visit"}, "metric", "Select a valid choice. revenue-per-visit is not one of"),
        ({"population": Experiment.Population.TENANTS}, "tenants", "List at least one tenant"),
        ({"stops_at_0": "2000-01-01"}, "stops_at", "An experiment must stop after it starts."),
    ],
)
def test_it_refuses_a_malformed_definition_in_the_field_and_saves_nothing(
    staff_client, overrides, field, message
) -> None:
    response = staff_client.post(ADD, form(**overrides))

    assert response.status_code == 200
    assert message in field_error(response.content.decode(), field)
    assert not Experiment.objects.exists()


def test_it_refuses_to_change_the_variants_of_a_running_experiment_and_keeps_them(staff_client) -> None:
    experiment = experiment_make("onboarding-copy", variants=[["control", 50], ["short", 50]])
    url = f"/admin/analytics/experiment/{experiment.pk}/change/"

    response = staff_client.post(url, form(variants="control 20\nshort 80", status=Experiment.Status.RUNNING))

    assert response.status_code == 200
    assert "people would move between variants" in response.content.decode()
    experiment.refresh_from_db()
    assert experiment.variants == [["control", 50], ["short", 50]]


def test_it_refuses_to_change_the_metric_once_people_were_exposed(staff_client, cast) -> None:
    experiment = experiment_make("onboarding-copy", variants=[["control", 50], ["short", 50]])
    Exposure.objects.create(experiment=experiment, tenant=cast.tenant_a, user_id=1, variant="control")
    url = f"/admin/analytics/experiment/{experiment.pk}/change/"

    response = staff_client.post(url, form(metric="offer-60d", status=Experiment.Status.STOPPED))

    assert response.status_code == 200
    assert "The metric cannot change once people have been exposed" in response.content.decode()
    experiment.refresh_from_db()
    assert (experiment.metric, experiment.status) == ("acted-7d", Experiment.Status.RUNNING)


def test_it_lets_a_draft_change_its_weights_and_keeps_the_key_read_only(staff_client) -> None:
    experiment = experiment_make("onboarding-copy", status=Experiment.Status.DRAFT)
    url = f"/admin/analytics/experiment/{experiment.pk}/change/"
    page = staff_client.get(url).content.decode()
    assert 'name="key"' not in page  # shown, not editable: the key is part of the hash

    response = staff_client.post(url, form(key="renamed", variants="control 20\nshort 80"))

    assert response.status_code == 302, response.content.decode()
    experiment.refresh_from_db()
    assert (experiment.key, experiment.variants) == ("onboarding-copy", [["control", 20], ["short", 80]])


def test_the_change_page_links_to_the_results_page_which_shows_the_variants(staff_client) -> None:
    experiment = experiment_make("onboarding-copy", variants=[["control", 50], ["short", 50]])
    results_url = f"/admin/analytics/experiment/{experiment.pk}/results/"

    change = staff_client.get(f"/admin/analytics/experiment/{experiment.pk}/change/").content.decode()
    results = staff_client.get(results_url)

    assert f'href="{results_url}"' in change
    assert results.status_code == 200
    page = results.content.decode()
    assert 'id="variant-control"' in page
    assert 'id="variant-short"' in page
    assert "Keep running" in page
    assert "Simulated data" not in page  # nothing simulated here


def test_the_results_page_is_for_staff_only(cast, client_a) -> None:
    experiment = experiment_make("onboarding-copy")
    login(client_a, cast.owner_email)
    # On a tenant's host there is no admin at all; on the public host a non-staff visitor is sent to sign in.
    assert client_a.get(f"/admin/analytics/experiment/{experiment.pk}/results/").status_code == 404
    from django.test import Client as HttpClient

    anonymous = HttpClient(HTTP_HOST="localhost")
    response = anonymous.get(f"/admin/analytics/experiment/{experiment.pk}/results/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
