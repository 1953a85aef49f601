"""Everyone can take their data, whatever their plan: a ZIP with JSON, CSV and the CV files, only their own rows.
Before, exports were Premium-only and a Free user's export link saved the pricing page as ``download.html``."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import User
from billing.entitlements import plan_for
from privacy.export import export_zip_write
from privacy.models import AuditEntry
from tests.conftest import login
from tests.privacy.people import person_with_everything
from tests.tracking.factories import ApplicationFactory, NoteFactory
from tracking.models import CVDocument

pytestmark = pytest.mark.django_db


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_it_gives_a_free_user_a_zip_of_all_their_data_with_their_cv_files(person, person_client) -> None:
    assert plan_for(person.user).code == "free"

    response = person_client.get("/privacy/export/")

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="cvplus-my-data-')
    assert response["Content-Disposition"].endswith('.zip"')
    archive = _archive(response)
    names = set(archive.namelist())
    assert {"README.txt", "data.json", "csv/applications.csv", "csv/consents.csv", "csv/prediction_log.csv"} <= names
    tables = json.loads(archive.read("data.json"))["tables"]
    assert tables["account"][0]["email"] == "quentin.quokka@example.com"
    assert tables["profile"][0]["headline"] == "Quokkamarker headline"
    assert [cv["version"] for cv in tables["cv_versions"]] == [1, 2]
    assert tables["cv_versions"][0]["parsed"]["sections"]  # the parse, not only the text
    assert len(tables["applications"]) == 2
    assert {event["note"] for event in tables["application_events"]} >= {"Quokkamarker went well"}
    assert [contact["name"] for contact in tables["contacts"]] == ["Quokkamarker Recruiter"]
    assert [note["body"] for note in tables["notes"]] == ["Quokkamarker note"]
    assert [task["title"] for task in tables["tasks"]] == ["Quokkamarker task"]
    assert tables["reminders"]
    assert [n["title"] for n in tables["notifications"]] == ["Quokkamarker notification"]
    assert [c["notice_version"] for c in tables["consents"]] == ["1"]
    assert len(tables["prediction_log"]) == 1
    assert tables["activity_events"]
    uploaded = CVDocument.objects.get(owner=person.user, version=1)
    file_name = tables["cv_versions"][0]["file_in_archive"]
    assert file_name == "cv/v1-Quokkamarker-cv.txt"
    with default_storage.open(uploaded.file.name, "rb") as stored:
        assert archive.read(file_name) == stored.read()
    notes = list(csv.DictReader(io.StringIO(archive.read("csv/notes.csv").decode("utf-8-sig"))))
    assert [row["body"] for row in notes] == ["Quokkamarker note"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DATA_EXPORTED)
    assert entry.actor_role == AuditEntry.ActorRole.SELF
    assert entry.detail["applications"] == 2


def test_it_exports_nothing_of_another_user(cast, person, person_client) -> None:
    member = User.objects.get(email=cast.member_email)
    NoteFactory(application=ApplicationFactory(owner=member), body="Membersecret note")
    with schema_context("beta"):
        person_with_everything(email="quentin.quokka@example.com", full_name="Beta Twin", marker="Betasecret")

    archive = _archive(person_client.get("/privacy/export/"))

    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Membersecret" not in everything
    assert b"Betasecret" not in everything
    assert b"Beta Twin" not in everything


def test_it_defuses_spreadsheet_formulas_in_csv_cells(person, person_client) -> None:
    NoteFactory(application=person.application, body='=HYPERLINK("http://evil.example")')

    archive = _archive(person_client.get("/privacy/export/"))

    rows = list(csv.DictReader(io.StringIO(archive.read("csv/notes.csv").decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://evil.example")' in [row["body"] for row in rows]


def test_it_exports_in_the_same_number_of_queries_for_1_and_20_applications(cast) -> None:
    counts = []
    with schema_context("alpha"):
        for size in (1, 20):
            user = User.objects.create_user(f"size{size}@example.com", "x" * 12)
            ApplicationFactory.create_batch(size, owner=user)
            with CaptureQueriesContext(connection) as queries:
                export_zip_write(user=user, out=io.BytesIO())
            counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_lets_a_free_user_download_the_csv_and_json_exports_with_their_extension(cast, client_a) -> None:
    login(client_a, cast.owner_email)
    with schema_context("alpha"):
        assert plan_for(User.objects.get(email=cast.owner_email)).code == "free"

    for url, extension in (("/app/export/applications.csv", "csv"), ("/app/export/everything.json", "json")):
        response = client_a.get(url)
        assert response.status_code == 200, url
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="cvplus-')
        assert disposition.endswith(f'.{extension}"')
    page = client_a.get("/app/import/").content.decode()
    assert " download>" not in page  # a link that is redirected must never be saved as a file
    assert 'href="/privacy/export/"' in page


def test_it_exports_the_users_corrections_to_what_was_read_from_their_cv(person, person_client) -> None:
    from tracking.cv_corrections import cv_correction_save

    cv = CVDocument.objects.get(owner=person.user, version=1)
    cv_correction_save(user=person.user, cv=cv, skills_added="Quokkamarker skill", years_experience=9)

    tables = json.loads(_archive(person_client.get("/privacy/export/")).read("data.json"))["tables"]

    assert [
        (row["cv_id"], row["skills_added"], row["skills_removed"], row["years_experience"])
        for row in tables["cv_corrections"]
    ] == [(cv.pk, ["Quokkamarker skill"], [], 9)]
