"""Invitations (issue 13, item 2): an administrator invites one person or a CSV file of them, checked row by row
first; the email speaks the invitee's language; the link is single-use, expires, works on its own organisation's
host only, and creates the member inside that organisation's schema; seats are counted exactly, also when two
people accept at the same moment."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.test import Client as HttpClient
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from billing.seats import seats_for_current_tenant
from portal.invitations import token_hash
from portal.models import Cohort, Invitation, Membership
from privacy.models import ConsentRecord
from tests.conftest import ENTERPRISE_HOST, PASSWORD
from tests.portal.members_helpers import OTHER_HOST, OTHER_SCHEMA, contract, gamma_seats, german, signed_in
from tracking.models import DomainEvent

LINK = re.compile(r"http://gamma\.localhost(/portal/join/([A-Za-z0-9_-]+)/)")
NEW_PASSWORD = "Fjordblick-Hafenkran-42"


@pytest.fixture
def org(cast, db):
    """Gamma's administrator, a coach and a cohort."""
    with schema_context("gamma"):
        administrator = user_create(
            email="ines.albrecht@gamma.example",
            password=PASSWORD,
            full_name="Ines Albrecht",
            role=User.Role.ADMINISTRATOR,
        )
        coach = user_create(
            email="carl.brandt@gamma.example", password=PASSWORD, full_name="Carl Brandt", role=User.Role.COACH
        )
        cohort = Cohort.objects.create(name="Frühjahr 2026")
    return {"administrator": administrator, "coach": coach, "cohort": cohort}


@pytest.fixture
def admin_client(org) -> HttpClient:
    return signed_in("ines.albrecht@gamma.example")


def members_used() -> int:
    return gamma_seats().used


def invite(client: HttpClient, email: str, **fields):
    data = {"email": email, "full_name": "", "role": "member", "cohort": "", "coach": "", "language": "", **fields}
    return client.post("/portal/invitations/new/", data)


def link_in(message) -> tuple[str, str]:
    """The join path and token of an invitation email."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1), found.group(2)


def accept_data(**fields) -> dict:
    return {
        "full_name": "Lena Hoffmann",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "share_applications": "on",
        "share_cv": "on",
        "consent": "on",
        "notice_version": "1",
        **fields,
    }


def in_gamma(email: str) -> User | None:
    with schema_context("gamma"):
        return User.objects.filter(email=email).first()


def localised_date(when, language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localtime(when), "DATE_FORMAT")


# ---------------------------------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "role_word", "other_role_words"),
    [("de", "Mitglied", ("メンバー", " as member")), ("ja", "メンバー", ("Mitglied", " as member"))],
)
def test_it_writes_the_invitation_in_the_invitees_language(org, admin_client, language, role_word, other_role_words):
    response = invite(admin_client, "lena.hoffmann@example.de", full_name="Lena Hoffmann", language=language)

    assert response.status_code == 302
    (message,) = mail.outbox
    with schema_context("gamma"):
        invitation = Invitation.objects.get(email="lena.hoffmann@example.de")
    with translation.override(language):
        subject = gettext("Your invitation to %(organisation)s on CVPlus") % {"organisation": "Tenant gamma"}
    assert message.subject == subject
    assert message.to == ["lena.hoffmann@example.de"]
    assert role_word in message.body
    assert localised_date(invitation.expires_at, language) in message.body
    assert localised_date(invitation.expires_at, "en") not in message.body
    for word in other_role_words:
        assert word not in message.body
    path, token = link_in(message)
    assert path == f"/portal/join/{token}/"
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.language == language


def test_it_writes_in_the_organisations_language_when_none_is_given(org, admin_client):
    invite(admin_client, "jonas.weber@example.de")

    (message,) = mail.outbox
    assert "Mitglied" in message.body  # gamma speaks German


def test_it_refuses_to_invite_someone_who_has_an_account_or_an_invitation_waiting(cast, org, admin_client):
    invite(admin_client, "lena.hoffmann@example.de")
    again = invite(admin_client, "Lena.Hoffmann@example.de")
    member = invite(admin_client, cast.enterprise_email)

    assert again.status_code == 400
    assert member.status_code == 400
    assert german("This person already has an invitation waiting: resend or withdraw it instead.") in (
        again.content.decode()
    )
    assert german("This person already has an account here.") in member.content.decode()
    assert len(mail.outbox) == 1
    with schema_context("gamma"):
        assert Invitation.objects.count() == 1


# ---------------------------------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------------------------------
CSV_ROWS = [
    "email;name;role;cohort;coach;language",
    "lena.hoffmann@example.de;Lena Hoffmann;member;Frühjahr 2026;carl.brandt@gamma.example;de",
    "haruto.sato@example.jp;佐藤 陽翔;Mitglied;;;ja",
    "not-an-address;Kein Name;member;;;",
    "LENA.HOFFMANN@example.de;Lena zweimal;member;;;",
    "member@gamma.example;Greta Gamma;member;;;",
    "waiting@example.de;Wanda Wartend;member;;;",
    "olaf.ohm@example.de;Olaf Ohm;manager;;;",
    "petra.pohl@example.de;Petra Pohl;member;Herbst 2031;;",
    "quentin.quast@example.de;Quentin Quast;member;;nobody@example.de;",
    "ruth.roth@example.de;Ruth Roth;coach;Frühjahr 2026;;",
    "sven.sauer@example.de;Sven Sauer;analyst;;;klingonisch",
]


def upload(client: HttpClient, rows: list[str]):
    data = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/portal/invitations/csv/", {"file": SimpleUploadedFile("people.csv", data, "text/csv")})


def row_results(page: str) -> dict[int, str]:
    return {
        int(number): body
        for number, body in re.findall(r'<tr class="is-(?:ok|error)" id="row-(\d+)">(.*?)</tr>', page, re.S)
    }


def test_it_previews_a_csv_file_row_by_row_and_sends_only_the_valid_rows(org, admin_client):
    with schema_context("gamma"):
        Invitation.objects.create(
            email="waiting@example.de", token_hash="0" * 64, expires_at=timezone.now() + timedelta(days=3)
        )

    preview = upload(admin_client, CSV_ROWS)

    assert preview.status_code == 200
    rows = row_results(preview.content.decode())
    assert sorted(rows) == list(range(2, 13))
    ok = {number for number, body in rows.items() if 'class="badge ok"' in body}
    assert ok == {2, 3}
    reasons = {
        4: german("“%(email)s” is not a valid email address.", email="not-an-address"),
        5: german("This address is already on an earlier row of the file."),
        6: german("This person already has an account here."),
        7: german("This person already has an invitation waiting: resend or withdraw it instead."),
        8: german("Unknown role “%(role)s”: use member, coach or analyst.", role="manager"),
        9: german("Unknown cohort “%(cohort)s”: create it first.", cohort="Herbst 2031"),
        10: german("Unknown coach “%(coach)s”: give the email address of an active coach.", coach="nobody@example.de"),
        11: german("Only members are given a cohort and a coach."),
        12: german(
            "Unknown language “%(language)s”: use en, fr, de, es or ja, or leave it empty.", language="klingonisch"
        ),
    }
    for number, reason in reasons.items():
        assert reason in rows[number], (number, rows[number])
    assert "佐藤 陽翔" in rows[3]
    assert mail.outbox == []
    with schema_context("gamma"):
        assert Invitation.objects.count() == 1  # the one made above

    csv_text = re.search(r'<textarea name="csv_text"[^>]*>(.*?)</textarea>', preview.content.decode(), re.S).group(1)
    import html

    sent = admin_client.post("/portal/invitations/csv/send/", {"csv_text": html.unescape(csv_text)})

    assert sent.status_code == 200
    assert {tuple(message.to) for message in mail.outbox} == {
        ("lena.hoffmann@example.de",),
        ("haruto.sato@example.jp",),
    }
    japanese = next(message for message in mail.outbox if message.to == ["haruto.sato@example.jp"])
    assert "メンバー" in japanese.body
    with schema_context("gamma"):
        lena = Invitation.objects.get(email="lena.hoffmann@example.de")
        assert (lena.cohort, lena.coach, lena.language) == (org["cohort"], org["coach"], "de")
        assert Invitation.objects.get(email="haruto.sato@example.jp").full_name == "佐藤 陽翔"
        assert Invitation.objects.count() == 3


def test_it_reads_a_comma_separated_file_without_a_byte_order_mark(org, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "Email,Name\nyuki.tanaka@example.jp,田中 由紀\n".encode()
    preview = admin_client.post("/portal/invitations/csv/", {"file": SimpleUploadedFile("p.csv", data, "text/csv")})

    rows = row_results(preview.content.decode())
    assert list(rows) == [2]
    assert 'class="badge ok"' in rows[2]
    assert "田中 由紀" in rows[2]


def test_it_says_why_a_file_cannot_be_read(org, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    no_header = admin_client.post(
        "/portal/invitations/csv/", {"file": SimpleUploadedFile("p.csv", b"a;b\nc;d\n", "text/csv")}
    )
    latin1 = admin_client.post(
        "/portal/invitations/csv/", {"file": SimpleUploadedFile("p.csv", "email\nj\xfcrgen@x.de\n".encode("latin-1"))}
    )

    binary = admin_client.post("/portal/invitations/csv/send/", {"csv_text": "email;name\nnul@example.de;N\x00ll\n"})

    assert no_header.status_code == 400
    assert latin1.status_code == 400
    assert binary.status_code == 400
    assert mail.outbox == []
    assert (
        german("The first row must name the columns: email, name, role, cohort, coach, language.")
        in no_header.content.decode()
    )


# ---------------------------------------------------------------------------------------------------------------------
# Accepting
# ---------------------------------------------------------------------------------------------------------------------
def test_it_creates_the_member_in_the_organisations_schema_when_the_link_is_accepted(
    org, admin_client, other_enterprise
):
    invite(
        admin_client,
        "lena.hoffmann@example.de",
        full_name="Lena Hoffmann",
        cohort=org["cohort"].pk,
        coach=org["coach"].pk,
        language="ja",
    )
    path, _token = link_in(mail.outbox[0])
    visitor = HttpClient(HTTP_HOST=ENTERPRISE_HOST)

    page = visitor.get(path)

    assert page.status_code == 200
    body = page.content.decode()
    assert page["Content-Language"] == "ja"  # the language of the email
    assert "Tenant gamma" in body
    assert "メンバー" in body
    assert "Carl Brandt" in body
    assert "Frühjahr 2026" in body
    assert re.search(r'<input type="checkbox" name="share_applications"[^>]*checked', body)
    assert re.search(r'<input type="checkbox" name="share_cv"[^>]*checked', body)
    assert not re.search(r'<input type="checkbox" name="share_notes"[^>]*checked', body)
    assert in_gamma("lena.hoffmann@example.de") is None  # opening the link creates nothing

    accepted = visitor.post(path, accept_data(share_cv="", share_notes="on"))

    assert accepted.status_code == 302
    assert visitor.get("/portal/").status_code == 200  # signed in
    with schema_context("gamma"):
        user = User.objects.get(email="lena.hoffmann@example.de")
        membership = Membership.objects.get(user=user)
        invitation = Invitation.objects.get(email=user.email)
        event = DomainEvent.objects.get(kind=DomainEvent.Kind.MEMBER_JOINED, subject_id=user.pk)
        consent = ConsentRecord.objects.get(user=user)
    assert (user.role, user.full_name, user.language, user.is_active) == ("member", "Lena Hoffmann", "ja", True)
    assert (membership.cohort_id, membership.coach_id) == (org["cohort"].pk, org["coach"].pk)
    assert (membership.share_applications, membership.share_cv, membership.share_notes) == (True, False, True)
    assert event.payload == {"membership_id": membership.pk, "role": "member", "cohort_id": org["cohort"].pk}
    assert (consent.purpose, consent.notice_version) == (ConsentRecord.Purpose.INVITATION, "1")
    assert invitation.accepted_user_id == user.pk
    assert invitation.accepted_at is not None
    for schema in ("public", "alpha", OTHER_SCHEMA):
        with schema_context(schema):
            assert not User.objects.filter(email="lena.hoffmann@example.de").exists()


def test_it_creates_a_coach_with_the_invited_role_and_no_sharing_choices(org, admin_client):
    invite(admin_client, "dora.diel@example.de", full_name="Dora Diel", role="coach")
    path, _token = link_in(mail.outbox[0])
    visitor = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    assert "share_applications" not in visitor.get(path).content.decode()

    visitor.post(path, accept_data(full_name="Dora Diel"))

    user = in_gamma("dora.diel@example.de")
    assert user.role == User.Role.COACH
    assert visitor.get("/portal/people/").status_code == 404  # a coach manages nobody


def test_it_refuses_a_weak_password_and_a_missing_consent_and_creates_nothing(org, admin_client):
    invite(admin_client, "lena.hoffmann@example.de")
    path, _token = link_in(mail.outbox[0])
    visitor = HttpClient(HTTP_HOST=ENTERPRISE_HOST)

    weak = visitor.post(path, accept_data(password1="12345678", password2="12345678"))
    no_consent = visitor.post(path, accept_data(consent=""))

    assert weak.status_code == 400
    assert no_consent.status_code == 400
    assert in_gamma("lena.hoffmann@example.de") is None
    with schema_context("gamma"):
        assert Invitation.objects.get(email="lena.hoffmann@example.de").accepted_at is None


def test_it_refuses_an_expired_link_with_410_and_creates_nothing(org, admin_client):
    invite(admin_client, "lena.hoffmann@example.de")
    path, _token = link_in(mail.outbox[0])
    with schema_context("gamma"):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    visitor = HttpClient(HTTP_HOST=ENTERPRISE_HOST)

    opened = visitor.get(path)
    posted = visitor.post(path, accept_data())

    assert (opened.status_code, posted.status_code) == (410, 410)
    assert german("The invitation has expired.") in opened.content.decode()
    assert in_gamma("lena.hoffmann@example.de") is None


def test_it_refuses_a_used_link_with_410(org, admin_client):
    invite(admin_client, "lena.hoffmann@example.de")
    path, _token = link_in(mail.outbox[0])
    assert HttpClient(HTTP_HOST=ENTERPRISE_HOST).post(path, accept_data()).status_code == 302

    again = HttpClient(HTTP_HOST=ENTERPRISE_HOST).post(path, accept_data(full_name="Someone Else"))

    assert again.status_code == 410
    assert german("This link was already used to open an account; each link works once.") in again.content.decode()
    with schema_context("gamma"):
        assert User.objects.get(email="lena.hoffmann@example.de").full_name == "Lena Hoffmann"
        assert DomainEvent.objects.filter(kind=DomainEvent.Kind.MEMBER_JOINED).count() == 1


def test_it_refuses_a_withdrawn_link_and_a_resent_invitations_old_link(org, admin_client):
    invite(admin_client, "lena.hoffmann@example.de")
    invite(admin_client, "jonas.weber@example.de")
    withdrawn_path, _token = link_in(mail.outbox[0])
    old_path, _token = link_in(mail.outbox[1])
    with schema_context("gamma"):
        lena = Invitation.objects.get(email="lena.hoffmann@example.de")
        jonas = Invitation.objects.get(email="jonas.weber@example.de")

    assert admin_client.post(f"/portal/invitations/{lena.pk}/withdraw/").status_code == 302
    assert admin_client.post(f"/portal/invitations/{jonas.pk}/resend/").status_code == 302
    new_path, _token = link_in(mail.outbox[2])
    visitor = HttpClient(HTTP_HOST=ENTERPRISE_HOST)

    assert visitor.get(withdrawn_path).status_code == 410
    assert visitor.post(withdrawn_path, accept_data()).status_code == 410
    assert visitor.get(old_path).status_code == 404  # its hash is gone: an unknown link
    assert new_path != old_path
    assert visitor.post(new_path, accept_data(full_name="Jonas Weber")).status_code == 302
    assert in_gamma("lena.hoffmann@example.de") is None
    assert in_gamma("jonas.weber@example.de").full_name == "Jonas Weber"


def test_it_refuses_a_link_on_another_organisations_host_and_creates_nothing_anywhere(
    org, admin_client, other_enterprise
):
    invite(admin_client, "lena.hoffmann@example.de")
    path, _token = link_in(mail.outbox[0])
    elsewhere = HttpClient(HTTP_HOST=OTHER_HOST)

    opened = elsewhere.get(path)
    posted = elsewhere.post(path, accept_data())

    assert (opened.status_code, posted.status_code) == (404, 404)
    explanation = german(
        "This link is not an invitation to %(organisation)s. Invitations work only on the portal of the "
        "organisation that sent them: check that you opened the whole link from the email.",
        organisation="Nordhafen Outplacement",
    )
    assert explanation in opened.content.decode()
    for schema in ("gamma", OTHER_SCHEMA):
        with schema_context(schema):
            assert not User.objects.filter(email="lena.hoffmann@example.de").exists()
    with schema_context("gamma"):
        assert Invitation.objects.get(email="lena.hoffmann@example.de").accepted_at is None
    assert HttpClient(HTTP_HOST="alpha.localhost").get(path).status_code == 404  # nor on a consumer site


def test_it_answers_404_for_an_unknown_link(enterprise_client):
    response = enterprise_client.get("/portal/join/not-a-real-token-at-all/")
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------------------------------
# Seats
# ---------------------------------------------------------------------------------------------------------------------
def test_it_refuses_an_invitation_when_the_seats_are_full_and_says_why(org, admin_client):
    used = members_used()
    contract(seats=used)

    refused = invite(admin_client, "lena.hoffmann@example.de")
    coach = invite(admin_client, "dora.diel@example.de", role="coach")  # staff take no seat

    assert refused.status_code == 400
    reason = german(
        "No seat left: your contract has %(total)s seats, %(used)s are taken by members and %(pending)s are held "
        "by invitations still waiting. Withdraw an invitation or ask CVPlus for more seats.",
        total=used,
        used=used,
        pending=0,
    )
    assert reason in refused.content.decode()
    assert coach.status_code == 302
    assert [message.to for message in mail.outbox] == [["dora.diel@example.de"]]


def test_it_lets_a_coach_join_when_every_seat_is_taken(org, admin_client):
    contract(seats=members_used())
    invite(admin_client, "dora.diel@example.de", full_name="Dora Diel", role="coach")
    path, _token = link_in(mail.outbox[0])

    joined = HttpClient(HTTP_HOST=ENTERPRISE_HOST).post(path, accept_data(full_name="Dora Diel"))

    assert joined.status_code == 302
    assert in_gamma("dora.diel@example.de").role == User.Role.COACH


def test_it_marks_the_csv_rows_past_the_free_seats(org, admin_client):
    contract(seats=members_used() + 1)

    preview = upload(
        admin_client,
        [
            "email,name,role",
            "lena.hoffmann@example.de,Lena Hoffmann,member",
            "jonas.weber@example.de,Jonas Weber,member",
            "dora.diel@example.de,Dora Diel,coach",
        ],
    )

    rows = row_results(preview.content.decode())
    assert 'class="badge ok"' in rows[2]
    assert german("No seat left for this row: the rows above take the %(free)s seats still free.", free=1) in rows[3]
    assert 'class="badge ok"' in rows[4]  # staff take no seat


def test_it_counts_invitations_waiting_as_taken_seats(org, admin_client):
    contract(seats=members_used() + 1)

    first = invite(admin_client, "lena.hoffmann@example.de")
    second = invite(admin_client, "jonas.weber@example.de")

    assert (first.status_code, second.status_code) == (302, 400)
    with schema_context("gamma"):
        lena = Invitation.objects.get(email="lena.hoffmann@example.de")
    admin_client.post(f"/portal/invitations/{lena.pk}/withdraw/")
    assert invite(admin_client, "jonas.weber@example.de").status_code == 302


def test_it_refuses_an_accept_past_the_seats_and_keeps_the_link_valid(org, admin_client):
    invite(admin_client, "lena.hoffmann@example.de")
    path, _token = link_in(mail.outbox[0])
    contract(seats=members_used())  # the contract shrank after the invitation was sent

    refused = HttpClient(HTTP_HOST=ENTERPRISE_HOST).post(path, accept_data())

    assert refused.status_code == 409
    assert in_gamma("lena.hoffmann@example.de") is None
    with schema_context("gamma"):
        assert Invitation.objects.get(email="lena.hoffmann@example.de").accepted_at is None
        assert not DomainEvent.objects.filter(kind=DomainEvent.Kind.MEMBER_JOINED).exists()


CONCURRENT = ("kaito.mori@example.jp", "mira.lang@example.de")


@pytest.fixture
def two_invitations(committed):
    """Two member invitations in gamma and a contract with one seat left, committed so that two threads with their
    own connections see them; everything is removed afterwards."""
    tokens = {}
    with schema_context("gamma"):
        for email in CONCURRENT:
            tokens[email] = f"concurrent-{email.split('@')[0]}-token"
            Invitation.objects.create(
                email=email, token_hash=token_hash(tokens[email]), expires_at=timezone.now() + timedelta(days=2)
            )
    signed = contract(seats=members_used() + 1)
    yield tokens
    with schema_context("gamma"):
        users = list(User.objects.filter(email__in=CONCURRENT).values_list("pk", flat=True))
        DomainEvent.objects.filter(kind=DomainEvent.Kind.MEMBER_JOINED, subject_id__in=users).delete()
        Invitation.objects.filter(email__in=CONCURRENT).delete()
        User.objects.filter(pk__in=users).delete()
    with schema_context("public"):
        signed.delete()


def test_it_lets_exactly_one_of_two_simultaneous_accepts_take_the_last_seat(cast, two_invitations):
    barrier = threading.Barrier(len(CONCURRENT))
    statuses: dict[str, int] = {}

    def accept(email: str) -> None:
        try:
            client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
            barrier.wait()
            statuses[email] = client.post(f"/portal/join/{two_invitations[email]}/", accept_data()).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(email,)) for email in CONCURRENT]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses.values()) == [302, 409]
    with schema_context("gamma"):
        created = User.objects.filter(email__in=CONCURRENT)
        assert created.count() == 1
        assert Membership.objects.filter(user__in=created).count() == 1
        seats = seats_for_current_tenant()
        assert seats.used == seats.total
        winner = next(email for email, status in statuses.items() if status == 302)
        assert created.get().email == winner
        assert Invitation.objects.get(email=winner).accepted_at is not None
        assert Invitation.objects.exclude(email=winner).get(email__in=CONCURRENT).accepted_at is None


# ---------------------------------------------------------------------------------------------------------------------
# The closed sign-up page
# ---------------------------------------------------------------------------------------------------------------------
def test_the_closed_sign_up_page_tells_people_to_ask_for_an_invitation(cast, enterprise_client):
    response = enterprise_client.get("/accounts/signup/")

    assert response.status_code == 403
    text = german(
        "Accounts on the %(org)s portal are created by invitation. Ask your coach or programme administrator for "
        "an invitation.",
        org="Tenant gamma",
    )
    assert text in response.content.decode()
