"""CSV import (preview, then confirm) and the exports: what is read, what is written, and whose data it is."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import login
from tests.tracking.inline_tasks import tasks_inline
from tracking import exports as tracking_exports
from tracking import io as tracking_io
from tracking.models import (
    Application,
    CandidateProfile,
    CVDocument,
    JobPosting,
    Notification,
    Reminder,
    Stage,
)
from tracking.services import (
    application_create,
    application_move,
    contact_add,
    note_add,
    posting_create,
    task_add,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = "/app/import/"
CONFIRM_URL = "/app/import/confirm/"

HUNTR_CSV = """Company,Job Title,List,URL,Location,Salary,Date Added,Date Applied,Notes
Acme,Data Engineer,Wishlist,https://acme.example/jobs/1,Berlin,,2024-03-01,,
Globex,Backend Developer,Applied,globex.example/c/2,Remote,"$120,000 - $140,000",2024-02-20,2024-02-21,Referred by Sam
Initech,Analyst,Interview,,,85k,2024-02-01,2024-02-03,
Umbrella,ML Engineer,Rejected,,,,,2024-01-15,
"""

TEAL_CSV = """Company,Job Position,Status,Date Saved,Date Applied,Job URL,Location,Salary,Excitement,Notes
Hooli,Product Manager,Bookmarked,03/04/2024,,https://hooli.example/pm,Palo Alto,,4,
Pied Piper,CTO,Interviewing,01/02/2024,01/15/2024,,,€90.000 - €110.000,5,Second round next week
Stark,Engineer,No Response 🔕,,02/10/2024,,,,2,
Wayne,Analyst,Archived,02/01/2024,,,,,1,
"""


def _upload(client, content: str | bytes, *, name: str = "jobs.csv", date_order: str = "auto"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, "text/csv"), "date_order": date_order})


def _preview(client, content: str | bytes, **kwargs) -> tracking_io.ImportPreview:
    response = _upload(client, content, **kwargs)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["preview"]


def _confirm(client, data: dict):
    """Confirms a preview, runs the import job inline (as without Redis) and returns the job's page."""
    with tasks_inline():
        response = client.post(CONFIRM_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def _stage_index(preview: tracking_io.ImportPreview, raw: str) -> int:
    return next(index for index, entry in enumerate(preview.stages) if entry["raw"] == raw)


def _applications(user: User) -> dict[str, Application]:
    with schema_context("alpha"):
        applications = Application.objects.filter(owner=user).select_related("posting").prefetch_related("events")
        return {application.posting.company: application for application in applications}


def _history(application: Application) -> list[tuple[str, str, date]]:
    return [(event.from_stage, event.to_stage, event.occurred_at.date()) for event in application.events.all()]


def _row_count(user: User) -> tuple[int, int]:
    with schema_context("alpha"):
        return JobPosting.objects.filter(owner=user).count(), Application.objects.filter(owner=user).count()


# ---------------------------------------------------------------------------------------------------------------------
# Import, end to end through the pages
# ---------------------------------------------------------------------------------------------------------------------
def test_it_imports_a_huntr_export_through_preview_and_confirm(owner_client, owner) -> None:
    preview = _preview(owner_client, HUNTR_CSV)

    assert _row_count(owner) == (0, 0)
    assert preview.errors == []
    assert [(entry["raw"], entry["stage"], entry["inferred"]) for entry in preview.stages] == [
        ("Wishlist", "saved", True),
        ("Applied", "applied", False),
        ("Interview", "interviewing", True),
        ("Rejected", "rejected", False),
    ]
    assert "Salaries without a currency were read as USD." in preview.notes

    response = _confirm(owner_client, {"token": preview.token})

    assert response.status_code == 200
    assert response.context["job"].imported == 4
    applications = _applications(owner)
    assert {company: app.stage for company, app in applications.items()} == {
        "Acme": "saved",
        "Globex": "applied",
        "Initech": "interviewing",
        "Umbrella": "rejected",
    }
    assert _history(applications["Acme"]) == [("", "saved", date(2024, 3, 1))]
    assert _history(applications["Initech"]) == [
        ("", "applied", date(2024, 2, 3)),
        ("applied", "interviewing", date(2024, 2, 3)),
    ]
    assert _history(applications["Umbrella"]) == [
        ("", "applied", date(2024, 1, 15)),
        ("applied", "rejected", date(2024, 1, 15)),
    ]
    with schema_context("alpha"):
        globex = applications["Globex"].posting
        assert (globex.url, globex.location) == ("https://globex.example/c/2", "Remote")
        assert (globex.salary_min, globex.salary_max, globex.salary_currency) == (
            Decimal("120000.00"),
            Decimal("140000.00"),
            "USD",
        )
        assert list(applications["Globex"].notes.values_list("body", flat=True)) == ["Referred by Sam"]
        initech = applications["Initech"].posting
        assert (initech.salary_max, initech.salary_currency) == (Decimal("85000.00"), "USD")
        # Old history schedules no follow-up that is already overdue.
        assert not Reminder.objects.filter(
            owner=owner, status=Reminder.Status.SCHEDULED, due_at__lt=timezone.now()
        ).exists()


def test_it_imports_a_teal_export_with_the_users_choice_for_an_inferred_status(owner_client, owner) -> None:
    preview = _preview(owner_client, ("\ufeff" + TEAL_CSV).encode())

    assert preview.errors == []
    assert any("month/day/year" in note for note in preview.notes)  # 01/15/2024 only fits month first
    inferred = {entry["raw"]: entry["stage"] for entry in preview.stages if entry["inferred"]}
    assert inferred == {"Bookmarked": "saved", "No Response 🔕": "ghosted", "Archived": "withdrawn"}

    choices = {f"stage_{_stage_index(preview, 'No Response 🔕')}": "rejected"}
    response = _confirm(owner_client, {"token": preview.token, **choices})

    assert response.status_code == 200
    applications = _applications(owner)
    assert {company: app.stage for company, app in applications.items()} == {
        "Hooli": "saved",
        "Pied Piper": "interviewing",
        "Stark": "rejected",
        "Wayne": "withdrawn",
    }
    assert _history(applications["Hooli"]) == [("", "saved", date(2024, 3, 4))]
    assert _history(applications["Wayne"]) == [
        ("", "saved", date(2024, 2, 1)),
        ("saved", "withdrawn", date(2024, 2, 1)),
    ]
    assert applications["Pied Piper"].applied_at.date() == date(2024, 1, 15)
    with schema_context("alpha"):
        pied_piper = applications["Pied Piper"].posting
        assert (pied_piper.salary_min, pied_piper.salary_max, pied_piper.salary_currency) == (
            Decimal("90000.00"),
            Decimal("110000.00"),
            "EUR",
        )


def test_it_names_row_and_column_of_bad_rows_writes_nothing_at_preview_and_imports_the_rest(
    owner_client, owner
) -> None:
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    content = (
        "Company,Title,Status,Date Applied,Salary\n"
        "Acme,Engineer,Applied,2024-01-10,90000 EUR\n"
        f"Globex,Engineer,Applied,{future},\n"
        "Initech,Engineer,Sleeping,2024-01-10,\n"
        ",Engineer,Applied,2024-01-10,\n"
        "Umbrella,Engineer,Applied,2024-01-10,lots\n"
        "Hooli,Engineer,Offer,2024-01-10,\n"
    )
    preview = _preview(owner_client, content)

    assert _row_count(owner) == (0, 0)
    assert [(error["row"], error["column"]) for error in preview.errors] == [
        (3, "Date Applied"),
        (4, "Status"),
        (5, "Company"),
        (6, "Salary"),
        (7, "Status"),
    ]
    reasons = {error["row"]: error["reason"] for error in preview.errors}
    assert reasons[3] == f"The date {future} is in the future."
    assert reasons[4] == "The status “Sleeping” is not one we know. Choose a stage for it, or the row is skipped."
    assert reasons[5] == "The company is missing."
    assert reasons[6].startswith("Could not read the salary “lots”.")
    assert reasons[7].startswith("An offer needs its amount")

    response = _confirm(owner_client, {"token": preview.token})

    result = response.context["job"]
    assert result.imported == 1
    assert [skipped["row"] for skipped in result.skipped] == [3, 4, 5, 6, 7]
    assert list(_applications(owner)) == ["Acme"]
    assert "Sleeping" in response.content.decode()


def test_it_imports_rows_with_an_unknown_status_when_the_user_chooses_a_stage(owner_client, owner) -> None:
    preview = _preview(owner_client, "Company,Title,Status,Date Applied\nInitech,Engineer,Sleeping,2024-01-10\n")

    choices = {f"stage_{_stage_index(preview, 'Sleeping')}": "ghosted"}
    _confirm(owner_client, {"token": preview.token, **choices})

    assert _applications(owner)["Initech"].stage == "ghosted"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not UTF-8 or UTF-16", id="binary"),
        pytest.param("Company,Title\nSociété Générale,Analyste\n".encode("latin-1"), "CSV UTF-8", id="latin-1"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 100, "Excel workbook", id="xlsx"),
        pytest.param(b"Company,Title\nAcme\x01,Engineer\n", "binary data", id="control-characters"),
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"Company,Title\n", "no applications", id="header-only"),
        pytest.param(b"Employer name,Foo\nAcme,1\n", "No “Company” column", id="no-company-column"),
        pytest.param(("Company,Title\n" + "Acme,Engineer\n" * 2_001).encode(), "more than 2000 rows", id="rows"),
        pytest.param(b"Company,Title\n" + b"Acme,Engineer\n" * 160_000, "larger than 2 MB", id="too-large"),
    ],
)
def test_it_refuses_an_unreadable_file_with_its_reason_and_writes_nothing(
    owner_client, owner, content: bytes, message: str
) -> None:
    response = _upload(owner_client, content)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert _row_count(owner) == (0, 0)


def test_it_reads_utf16_tab_separated_and_semicolon_separated_files(owner_client) -> None:
    utf16 = "Company\tJob Title\tStatus\nAcme\tEngineer\tApplied\n".encode("utf-16")
    semicolons = b"Firma;Company;Position;Stage\nx;Globex;Analyst;Saved\n"

    assert [row["company"] for row in _preview(owner_client, utf16).rows] == ["Acme"]
    assert [(row["company"], row["title"]) for row in _preview(owner_client, semicolons).rows] == [
        ("Globex", "Analyst")
    ]


def test_it_imports_once_when_the_same_preview_is_confirmed_twice(owner_client, owner) -> None:
    preview = _preview(owner_client, HUNTR_CSV)

    first = _confirm(owner_client, {"token": preview.token})
    with tasks_inline():
        second = owner_client.post(CONFIRM_URL, {"token": preview.token})

    assert first.status_code == 200
    assert second.status_code == 302
    assert second["Location"] == first.request["PATH_INFO"]  # the same import's page
    assert _row_count(owner) == (4, 4)
    # Uploading the same file again is caught too: every row is already tracked.
    again = _preview(owner_client, HUNTR_CSV)
    assert again.importable_count == 0
    assert {error["reason"] for error in again.errors} == {"Already in your tracker (same company, title and date)."}


def test_it_returns_404_for_another_users_preview_token_and_writes_nothing(
    owner_client, owner, member, cast, client_b
) -> None:
    from django.test import Client

    from tests.conftest import HOST_A

    preview = _preview(owner_client, HUNTR_CSV)
    member_client = Client(HTTP_HOST=HOST_A)
    login(member_client, cast.member_email)
    login(client_b, cast.stranger_email)

    assert member_client.post(CONFIRM_URL, {"token": preview.token}).status_code == 404
    assert client_b.post(CONFIRM_URL, {"token": preview.token}).status_code == 404
    assert owner_client.post(CONFIRM_URL, {"token": "made-up"}).status_code == 404
    assert _row_count(owner) == (0, 0)
    assert _row_count(member) == (0, 0)
    # The owner's preview is still there, untouched by the attempts.
    assert _confirm(owner_client, {"token": preview.token}).context["job"].imported == 4


@pytest.mark.parametrize(
    "url", [IMPORT_URL, CONFIRM_URL, "/app/export/applications.csv", "/app/export/everything.json"]
)
def test_it_sends_anonymous_visitors_to_the_login_page(client_a, url: str) -> None:
    response = client_a.post(url) if url == CONFIRM_URL else client_a.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_shows_the_upload_form_and_the_export_links(owner_client) -> None:
    response = owner_client.get(IMPORT_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "/app/export/applications.csv" in page
    assert "/app/export/everything.json" in page


# ---------------------------------------------------------------------------------------------------------------------
# Reading dates and amounts
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("2024-03-05", "mdy", date(2024, 3, 5)),
        ("2024-03-05T10:30:00Z", "dmy", date(2024, 3, 5)),
        ("03/05/2024", "mdy", date(2024, 3, 5)),
        ("03/05/2024", "dmy", date(2024, 5, 3)),
        ("05.03.2024", "mdy", date(2024, 3, 5)),
        ("5/3/24", "dmy", date(2024, 3, 5)),
        ("Mar 5, 2024", "dmy", date(2024, 3, 5)),
        ("5th March 2024", "mdy", date(2024, 3, 5)),
    ],
)
def test_it_reads_common_date_formats(raw: str, order: str, expected: date) -> None:
    assert tracking_io.date_parse(raw, order=order) == expected


@pytest.mark.parametrize(("raw", "order"), [("13/13/2024", "dmy"), ("yesterday", "dmy"), ("31/02/2024", "dmy")])
def test_it_refuses_dates_it_cannot_read(raw: str, order: str) -> None:
    with pytest.raises(ValueError, match=r".*"):
        tracking_io.date_parse(raw, order=order)


def test_it_takes_the_date_order_from_the_file_else_from_the_language() -> None:
    assert tracking_io.date_order_detect(["03/05/2024", "25/05/2024"], language="en", chosen="auto")[0] == "dmy"
    assert tracking_io.date_order_detect(["03/05/2024", "05/25/2024"], language="fr", chosen="auto")[0] == "mdy"
    assert tracking_io.date_order_detect(["03/05/2024"], language="en", chosen="auto")[0] == "mdy"
    assert tracking_io.date_order_detect(["03/05/2024"], language="de", chosen="auto")[0] == "dmy"
    assert tracking_io.date_order_detect(["03/05/2024"], language="en", chosen="dmy") == ("dmy", "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85000", ("85000.00", "85000.00", "", "")),
        ("$85k", ("85000.00", "85000.00", "USD", "")),
        ("80,000 - 95,000 EUR", ("80000.00", "95000.00", "EUR", "")),
        ("€4.500/month", ("4500.00", "4500.00", "EUR", "month")),
        ("£45.50 per hour", ("45.50", "45.50", "GBP", "hour")),
        ("$1,400 per week", ("1400.00", "1400.00", "USD", "week")),
        ("€350/day", ("350.00", "350.00", "EUR", "day")),
        ("1.250.000,00 JPY", ("1250000.00", "1250000.00", "JPY", "")),
        ("80000-95000 EUR/year", ("80000.00", "95000.00", "EUR", "year")),
        ("n/a", (None, None, "", "")),
    ],
)
def test_it_reads_salaries_as_people_write_them(raw: str, expected: tuple) -> None:
    money = tracking_io.money_parse(raw)
    assert (
        tracking_io.amount_text(money.low),
        tracking_io.amount_text(money.high),
        money.currency,
        money.period,
    ) == expected


@pytest.mark.parametrize("raw", ["lots", "1 2 3", "competitive"])
def test_it_refuses_salaries_it_cannot_read(raw: str) -> None:
    with pytest.raises(ValueError, match=r".*"):
        tracking_io.money_parse(raw)


# ---------------------------------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------------------------------
def _seed(user: User, *, company: str, marker: str) -> Application:
    """One application with every kind of related row, each carrying ``marker`` where it holds text."""
    CandidateProfile.objects.update_or_create(user=user, defaults={"headline": f"{marker} headline"})
    CVDocument.objects.create(
        owner=user,
        version=CVDocument.objects.filter(owner=user).count() + 1,
        source=CVDocument.Source.PASTE,
        sha256="0" * 64,
        status=CVDocument.Status.PARSED,
        text=f"{marker} cv text",
        parsed={"skills": [marker]},
    )
    posting = posting_create(
        owner=user, title=f"{marker} Engineer", company=company, salary_min=90000, salary_currency="EUR"
    )
    at = timezone.now() - timedelta(days=10)
    application = application_create(owner=user, posting=posting, stage=Stage.APPLIED, at=at)
    application_move(application=application, to_stage=Stage.INTERVIEWING, by=user, at=at + timedelta(days=2))
    contact_add(application=application, name=f"{marker} recruiter", email="r@example.com")
    note_add(application=application, body=f"{marker} note")
    task_add(application=application, title=f"{marker} task", due_at=timezone.now() + timedelta(days=3))
    Notification.objects.create(user=user, title=f"{marker} notification")
    return application


def test_it_exports_only_the_users_applications_as_csv(owner_client, owner, member) -> None:
    with schema_context("alpha"):
        _seed(owner, company="Acme", marker="OWNER")
        _seed(owner, company='=HYPERLINK("http://evil.example")', marker="OWNER")
        _seed(member, company="Secret Corp", marker="MEMBER")

    response = owner_client.get("/app/export/applications.csv")

    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="cvplus-applications-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Company"] for row in rows] == ["Acme", '\'=HYPERLINK("http://evil.example")']
    assert rows[0]["Stage"] == "Interviewing"
    assert rows[0]["Salary as posted"] == "90000 EUR/year"
    assert rows[0]["Last event"].startswith("Interviewing on ")
    assert "MEMBER" not in response.content.decode("utf-8-sig")


def test_it_imports_its_own_csv_export_back(owner_client, owner, member, cast, client_a) -> None:
    with schema_context("alpha"):
        _seed(owner, company="Acme", marker="OWNER")
    exported = owner_client.get("/app/export/applications.csv").content

    from django.test import Client

    from tests.conftest import HOST_A

    member_client = Client(HTTP_HOST=HOST_A)
    login(member_client, cast.member_email)
    preview = _preview(member_client, exported)
    assert [entry["inferred"] for entry in preview.stages] == [False]
    _confirm(member_client, {"token": preview.token})

    imported = _applications(member)["Acme"]
    assert imported.stage == "interviewing"
    with schema_context("alpha"):
        assert (imported.posting.salary_min, imported.posting.salary_currency) == (Decimal("90000.00"), "EUR")


def test_it_exports_everything_of_the_user_and_nothing_of_anyone_else(owner_client, owner, member) -> None:
    with schema_context("alpha"):
        _seed(owner, company="Acme", marker="OWNER")
        _seed(member, company="Secret Corp", marker="MEMBER")

    response = owner_client.get("/app/export/everything.json")

    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="cvplus-everything-\d{4}-\d{2}-\d{2}\.json"', response["Content-Disposition"]
    )
    assert "MEMBER" not in response.content.decode()
    assert "Secret Corp" not in response.content.decode()
    data = json.loads(response.content)
    assert data["account"]["email"] == owner.email
    assert data["profile"]["headline"] == "OWNER headline"
    assert [(cv["version"], cv["text"], cv["parsed"]) for cv in data["cv_versions"]] == [
        (1, "OWNER cv text", {"skills": ["OWNER"]})
    ]
    assert [posting["company"] for posting in data["job_postings"]] == ["Acme"]
    [application] = data["applications"]
    assert [event["to_stage"] for event in application["events"]] == ["applied", "interviewing"]
    assert [contact["name"] for contact in application["contacts"]] == ["OWNER recruiter"]
    assert [note["body"] for note in application["notes"]] == ["OWNER note"]
    assert [task["title"] for task in application["tasks"]] == ["OWNER task"]
    assert {reminder["kind"] for reminder in data["reminders"]} == {"after_applying", "after_interview", "task_due"}
    assert [notification["title"] for notification in data["notifications"]] == ["OWNER notification"]


def test_it_exports_everything_in_the_same_number_of_queries_for_1_and_20_applications(owner, member) -> None:
    with schema_context("alpha"):
        _seed(owner, company="Acme", marker="ONE")
        for number in range(20):
            _seed(member, company=f"Company {number}", marker="MANY")
        counts = []
        for user in (owner, member):
            with CaptureQueriesContext(connection) as queries:
                data = tracking_exports.export_everything(user=user)
            # django-tenants sets the search path before each statement; count the statements that read data.
            counts.append(sum(1 for query in queries if not query["sql"].startswith("SET search_path")))
        assert len(data["applications"]) == 20

    assert counts == [10, 10]
