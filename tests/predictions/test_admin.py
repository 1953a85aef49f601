"""Staff admin for the model registry on the public host: the list with each version's key metric, a truncated
artifact preview, and the promote and roll back actions, which go through the registry's rules and say why."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django_tenants.utils import schema_context

from predictions.admin import ARTIFACT_PREVIEW_CHARS
from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import model_promote, model_save
from tests.accounts.factories import StaffUserFactory
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/predictions/modelversion/"


def version(*, mae: float, kind: str = "salary", artifact: str = "tree\n", fingerprint: str = "f" * 64) -> ModelVersion:
    """A candidate with a held-out score (the artifact is never loaded by these actions)."""
    metric = {"salary": "mae_usd", "time_to_hire": "mae_days", "interview": "brier"}[kind]
    return model_save(
        kind=kind,
        artifact=artifact,
        metrics={"test": {metric: mae}, "test_fingerprint": fingerprint},
        params={},
        feature_names=["x"],
        data_fingerprint="d" * 64,
        training_seconds=1.0,
    )


@pytest.fixture
def staff_client(cast, public_client):
    with schema_context("public"):
        StaffUserFactory(email="staff@cvplus.example")
    response = public_client.post(
        "/admin/login/?next=/admin/", {"username": "staff@cvplus.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    return public_client


def act(client, action: str, versions: list[ModelVersion]):
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [v.pk for v in versions]}, follow=True)
    assert response.status_code == 200
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def statuses(*versions: ModelVersion) -> list[str]:
    with schema_context("public"):
        return [ModelVersion.objects.get(pk=v.pk).status for v in versions]


def test_it_lists_versions_with_their_key_metric_and_previews_the_artifact_truncated(staff_client) -> None:
    champion = version(mae=12_345.678, artifact="x" * (ARTIFACT_PREVIEW_CHARS + 500))
    model_promote(candidate=champion, metric=KINDS[champion.kind].metric)

    listing = staff_client.get(CHANGELIST).content.decode()
    detail = staff_client.get(f"{CHANGELIST}{champion.pk}/change/").content.decode()

    assert "mae_usd 12,346" in listing
    assert "champion" in listing
    assert "x" * ARTIFACT_PREVIEW_CHARS in detail
    assert "x" * (ARTIFACT_PREVIEW_CHARS + 1) not in detail
    assert "500 more characters" in detail


def test_it_promotes_a_candidate_that_beats_the_champion_and_says_so(staff_client) -> None:
    old = version(mae=10_000)
    model_promote(candidate=old, metric=KINDS[old.kind].metric)
    better = version(mae=9_000)

    messages = act(staff_client, "promote", [better])

    assert statuses(old, better) == ["archived", "champion"]
    [(level, message)] = messages
    assert level == "success"
    assert message == f"salary v{better.version} (global) is now the champion: beats v{old.version}."


def test_it_refuses_a_candidate_that_does_not_beat_the_champion_and_gives_the_reason(staff_client) -> None:
    champion = version(mae=9_000)
    model_promote(candidate=champion, metric=KINDS[champion.kind].metric)
    worse = version(mae=9_500)

    [(level, message)] = act(staff_client, "promote", [worse])

    assert level == "warning"
    assert "was not promoted" in message
    assert f"does not beat champion v{champion.version}" in message
    assert statuses(champion, worse) == ["champion", "candidate"]


def test_it_rolls_back_to_the_previous_champion(staff_client) -> None:
    first = version(mae=10_000)
    model_promote(candidate=first, metric=KINDS[first.kind].metric)
    second = version(mae=9_000)
    model_promote(candidate=second, metric=KINDS[second.kind].metric)

    [(level, message)] = act(staff_client, "rollback", [second])

    assert level == "success"
    assert message == f"salary (global) rolled back: salary v{first.version} (global) is the champion again."
    assert statuses(first, second) == ["champion", "archived"]


def test_it_changes_nothing_when_there_is_no_earlier_champion_to_roll_back_to(staff_client) -> None:
    only = version(mae=10_000)
    model_promote(candidate=only, metric=KINDS[only.kind].metric)

    [(level, message)] = act(staff_client, "rollback", [only])

    assert level == "warning"
    assert "nothing changed" in message
    assert statuses(only) == ["champion"]


def test_it_is_served_on_the_public_host_only(cast, client_a) -> None:
    assert client_a.get(CHANGELIST).status_code == 404


TENANT_MODELS = "/admin/predictions/modelversion/tenant-models/"


def tenant_version(schema: str, *, brier: float) -> ModelVersion:
    with schema_context(schema):
        return model_save(
            kind="interview",
            scope="tenant",
            artifact="{}",
            metrics={"test": {"brier": brier}, "test_fingerprint": "t" * 64},
            params={},
            feature_names=["x"],
            data_fingerprint="d" * 64,
            training_seconds=1.0,
        )


def tenant_status(schema: str, version: ModelVersion) -> str:
    with schema_context(schema):
        return ModelVersion.objects.get(pk=version.pk).status


def test_it_lists_each_tenants_own_models_and_promotes_one_inside_its_schema(staff_client) -> None:
    first = tenant_version("alpha", brier=0.20)
    better = tenant_version("alpha", brier=0.15)

    page = staff_client.get(TENANT_MODELS).content.decode()
    assert "<h2>alpha</h2>" in page
    assert "brier 0.15" in page
    assert "<h2>beta</h2>" not in page  # beta has trained nothing of its own

    for candidate in (first, better):
        response = staff_client.post(TENANT_MODELS, {"schema": "alpha", "version": candidate.pk, "do": "promote"})
        assert response.status_code == 302
    assert (tenant_status("alpha", first), tenant_status("alpha", better)) == ("archived", "champion")

    staff_client.post(TENANT_MODELS, {"schema": "alpha", "version": better.pk, "do": "rollback"})
    assert (tenant_status("alpha", first), tenant_status("alpha", better)) == ("champion", "archived")


def test_it_refuses_a_schema_that_is_not_a_ready_tenant_or_a_version_of_another(staff_client) -> None:
    version = tenant_version("alpha", brier=0.2)
    for schema in ("public", "tenant_template", "nope"):
        response = staff_client.post(TENANT_MODELS, {"schema": schema, "version": version.pk, "do": "promote"})
        assert response.status_code == 404
    # The id exists in alpha, not in beta: acting on it through beta finds nothing.
    response = staff_client.post(TENANT_MODELS, {"schema": "beta", "version": version.pk, "do": "promote"})
    assert response.status_code == 404
    assert tenant_status("alpha", version) == "candidate"


@pytest.mark.parametrize("version", ["²", "\x00", "9" * 40, "-1", ""])
def test_it_answers_404_not_500_to_a_version_that_is_no_id(staff_client, version) -> None:
    response = staff_client.post(TENANT_MODELS, {"schema": "alpha", "version": version, "do": "promote"})

    assert response.status_code == 404


def test_it_keeps_the_tenant_models_page_from_members_and_anonymous_visitors(cast, public_client) -> None:
    response = public_client.get(TENANT_MODELS)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
