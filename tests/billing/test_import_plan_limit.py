# ruff: noqa: F811 - fixtures imported by name are redefined as test arguments
"""The Free plan's application limit at the preview of a CSV import: the preview says how many rows fit and offers to
import the first ones that do; confirming that imports exactly those (in the file's order) and reports the others as
skipped for the limit, while a plain confirm still refuses the whole file and writes nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from accounts.models import User
from billing.catalogue import FREE_APPLICATION_LIMIT, plans_ensure
from tests.billing.grants import plan_grant
from tests.tracking.conftest import owner, owner_client  # noqa: F401 - fixtures
from tests.tracking.factories import ApplicationFactory
from tests.tracking.inline_tasks import tasks_inline
from tracking.models import Application, ImportJob

pytestmark = pytest.mark.django_db

CSV = "Company,Job Title,Date Applied\n" + "".join(f"Importco {n},Engineer,2024-02-0{n}\n" for n in range(1, 6))


@pytest.fixture
def plans(cast) -> None:
    with schema_context("public"):
        plans_ensure()


def fill(user: User, *, room: int) -> None:
    with schema_context("alpha"):
        ApplicationFactory.create_batch(FREE_APPLICATION_LIMIT - room, owner=user)


def companies(user: User) -> set[str]:
    with schema_context("alpha"):
        return set(
            Application.objects.filter(owner=user, posting__company__startswith="Importco ").values_list(
                "posting__company", flat=True
            )
        )


def preview_page(client) -> tuple[str, object]:
    upload = SimpleUploadedFile("jobs.csv", CSV.encode(), "text/csv")
    response = client.post("/app/import/", {"file": upload, "date_order": "auto"})
    return re.sub(r"\s+", " ", response.content.decode()), response.context["preview"]


def test_it_says_at_the_preview_how_many_rows_fit_the_free_plan(owner, owner_client, plans) -> None:
    fill(owner, room=2)

    page, preview = preview_page(owner_client)

    assert preview.importable_count == 5
    assert (preview.plan_room.limit, preview.plan_room.used, preview.plan_room.remaining) == (
        FREE_APPLICATION_LIMIT,
        FREE_APPLICATION_LIMIT - 2,
        2,
    )
    assert f"The Free plan tracks up to {FREE_APPLICATION_LIMIT} applications." in page
    assert "so 2 more fit." in page
    assert 'name="fit" value="1"' in page
    assert "Import the first 2 rows that fit" in page
    assert 'href="/billing/pricing/"' in page[page.index('id="import-plan-limit"') :]
    assert "Import the rows without problems" not in page
    assert page.count("beyond your plan's limit") == 3  # rows 4 to 6 of the file


def test_it_imports_the_first_rows_that_fit_and_reports_the_others(owner, owner_client, plans) -> None:
    fill(owner, room=2)
    _page, preview = preview_page(owner_client)

    with tasks_inline():
        response = owner_client.post("/app/import/confirm/", {"token": preview.token, "fit": "1"})

    assert response.status_code == 302
    assert companies(owner) == {"Importco 1", "Importco 2"}
    with schema_context("alpha"):
        job = ImportJob.objects.get(owner=owner, token=preview.token)
        assert job.planned == 2
        assert [entry["row"] for entry in job.skipped] == [4, 5, 6]
        assert {entry["errors"][0]["reason"] for entry in job.skipped} == {
            f"Not imported: the Free plan tracks up to {FREE_APPLICATION_LIMIT} applications."
        }
        assert Application.objects.filter(owner=owner).count() == FREE_APPLICATION_LIMIT


def test_it_still_refuses_the_whole_file_without_the_choice_and_writes_nothing(owner, owner_client, plans) -> None:
    fill(owner, room=2)
    _page, preview = preview_page(owner_client)

    response = owner_client.post("/app/import/confirm/", {"token": preview.token})

    assert response.status_code == 400
    assert "Nothing was imported." in response.content.decode()
    assert companies(owner) == set()


def test_it_offers_nothing_to_import_when_no_room_is_left(owner, owner_client, plans) -> None:
    fill(owner, room=0)

    page, preview = preview_page(owner_client)

    assert preview.plan_room.remaining == 0
    assert "No more applications fit, so nothing from this file can be imported." in page
    assert 'name="fit"' not in page


def test_it_says_nothing_of_limits_to_a_premium_user(owner, owner_client, plans) -> None:
    plan_grant(schema="alpha", email=owner.email)
    fill(owner, room=2)

    page, preview = preview_page(owner_client)

    assert preview.plan_room is None
    assert 'id="import-plan-limit"' not in page
    assert "Import the rows without problems" in page


def test_it_links_a_refused_new_posting_to_the_plans_and_says_payments_are_unavailable(
    owner, owner_client, plans, settings
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    fill(owner, room=0)

    response = owner_client.post(
        "/app/postings/new/", {"title": "Data Engineer", "company": "Limitless", "action": "save"}
    )
    page = re.sub(r"\s+", " ", response.content.decode())

    assert response.status_code == 400
    assert f"The Free plan tracks up to {FREE_APPLICATION_LIMIT} applications" in page
    assert 'class="button small" href="/billing/pricing/"' in page
    assert "Payments are not available on this server yet: on the plans page you can join the waiting list." in page
    assert companies(owner) == set()
