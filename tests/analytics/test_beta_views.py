"""The beta programme's pages: the feedback control on the main seeker pages, the person's own feedback (another
person's, in this tenant or another, is a 404 with no trace of it), the NPS question and its dismissal, joining with
a code on the account page or at sign-up (a wrong code refused, translated, with nothing stored), and the staff page
and reply in admin on the public host."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.beta import beta_cohort_cache_clear
from analytics.feedback import feedback_submit, nps_record
from analytics.models import BetaInvitation, BetaMember, Feedback, NpsResponse
from tests.analytics.experiment_support import fresh_caches, person, staff_client_make  # noqa: F401
from tests.conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

COMMENT = "The salary range for the Lyon data-engineer posting looks right; the interview odds felt low."
NEW_PASSWORD = "a-much-longer-passphrase-2026"


@pytest.fixture(autouse=True)
def _cohort_forgotten():
    beta_cohort_cache_clear()
    yield
    beta_cohort_cache_clear()


@pytest.fixture
def owner_client(cast, client_a):
    login(client_a, cast.owner_email)
    return client_a


def send(client, **fields):
    data = {"page": "board", "feature": "board", "rating": "5", "comment": "", "next": "/app/"} | fields
    return client.post("/app/insights/feedback/", data)


def test_the_main_pages_carry_the_feedback_control(owner_client) -> None:
    for path in ("/app/", "/app/cv/", "/app/insights/"):
        body = owner_client.get(path).content.decode()
        assert "Rate this page" in body, path
        assert 'action="/app/insights/feedback/"' in body


def test_it_records_a_rating_and_goes_back_to_the_page(cast, owner_client) -> None:
    response = send(
        owner_client,
        page="application",
        feature="predictions",
        rating="4",
        comment=COMMENT,
        next="/app/applications/7/",
    )
    assert response.status_code == 302
    assert response["Location"] == "/app/applications/7/"
    feedback = Feedback.objects.get()
    owner = person("alpha", cast.owner_email)
    assert (
        feedback.tenant_id,
        feedback.user_id,
        feedback.page,
        feedback.feature,
        feedback.rating,
        feedback.comment,
    ) == (cast.tenant_a.pk, owner.pk, "application", "predictions", 4, COMMENT)


def test_it_never_sends_the_person_to_another_site(owner_client) -> None:
    response = send(owner_client, next="https://evil.example/phish")
    assert response["Location"] == "/app/insights/feedback/mine/"


def test_it_refuses_a_missing_rating_or_a_long_comment_naming_the_field_and_stores_nothing(owner_client) -> None:
    response = send(owner_client, rating="")
    assert response.status_code == 400
    assert response.context["form"].errors["rating"] == ["Choose a rating from 1 to 5 stars."]
    response = send(owner_client, rating="9")
    assert response.context["form"].errors["rating"] == ["Choose a rating from 1 to 5 stars."]
    response = send(owner_client, comment="x" * 2001)
    assert response.status_code == 400
    assert response.context["form"].errors["comment"] == ["Keep the comment to 2000 characters or fewer (it has 2001)."]
    assert "x" * 2001 in response.content.decode()  # what they typed is kept for them to shorten
    assert not Feedback.objects.exists()


def test_a_visitor_must_sign_in_to_send_feedback(client_a) -> None:
    response = send(client_a)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Feedback.objects.exists()


def test_the_person_sees_their_own_feedback_and_nobody_elses(cast, owner_client) -> None:
    owner, member = person("alpha", cast.owner_email), person("alpha", cast.member_email)
    mine = feedback_submit(
        tenant=cast.tenant_a, user_id=owner.pk, page="cv", feature="cv_reading", rating=4, comment="Clear reading."
    )
    colleague = feedback_submit(
        tenant=cast.tenant_a, user_id=member.pk, page="board", feature="board", rating=2, comment="MEMBER-SECRET"
    )
    # Another tenant's person with the owner's own id: only the tenant tells them apart.
    elsewhere = feedback_submit(
        tenant=cast.tenant_b, user_id=owner.pk, page="board", feature="board", rating=1, comment="BETA-SECRET"
    )
    listing = owner_client.get("/app/insights/feedback/mine/").content.decode()
    assert "Clear reading." in listing
    assert "MEMBER-SECRET" not in listing
    assert "BETA-SECRET" not in listing
    assert owner_client.get(f"/app/insights/feedback/{mine.pk}/").status_code == 200
    for other in (colleague, elsewhere):
        response = owner_client.get(f"/app/insights/feedback/{other.pk}/")
        assert response.status_code == 404
        assert b"SECRET" not in response.content


def test_the_nps_question_shows_when_due_and_a_dismissal_hides_it(cast, owner_client) -> None:
    with schema_context("alpha"):
        User.objects.filter(email=cast.owner_email).update(date_joined=timezone.now() - timedelta(days=10))
    question = "How likely are you to recommend CVPlus to a friend or colleague?"
    assert question in owner_client.get("/app/").content.decode()
    response = owner_client.post("/app/insights/nps/", {"action": "dismiss", "next": "/app/cv/"})
    assert response["Location"] == "/app/cv/"
    assert NpsResponse.objects.get().score is None
    assert question not in owner_client.get("/app/").content.decode()


def test_an_nps_answer_is_recorded_once(cast, owner_client) -> None:
    with schema_context("alpha"):
        User.objects.filter(email=cast.owner_email).update(date_joined=timezone.now() - timedelta(days=10))
    assert (
        owner_client.post("/app/insights/nps/", {"action": "answer", "score": "9", "next": "/app/"}).status_code == 302
    )
    owner_client.post("/app/insights/nps/", {"action": "answer", "score": "0", "next": "/app/"})  # a second tab
    assert list(NpsResponse.objects.values_list("score", flat=True)) == [9]


def test_an_nps_answer_without_a_score_is_refused(owner_client) -> None:
    response = owner_client.post("/app/insights/nps/", {"action": "answer", "next": "/app/"})
    assert response.status_code == 400
    assert response.context["nps_form"].errors["score"] == ["Choose a score from 0 to 10, or choose “Not now”."]
    assert not NpsResponse.objects.exists()


def test_a_new_account_is_not_asked(cast, owner_client) -> None:
    with schema_context("alpha"):
        User.objects.filter(email=cast.owner_email).update(date_joined=timezone.now() - timedelta(days=2))
    assert "How likely are you to recommend" not in owner_client.get("/app/").content.decode()


def test_a_person_asked_in_another_tenant_is_still_asked_here(cast, owner_client) -> None:
    owner = person("alpha", cast.owner_email)
    with schema_context("alpha"):
        User.objects.filter(pk=owner.pk).update(date_joined=timezone.now() - timedelta(days=10))
    nps_record(tenant=cast.tenant_b, user=owner, score=3)  # the same id in beta
    assert "How likely are you to recommend" in owner_client.get("/app/").content.decode()


# Joining the beta


def test_a_person_joins_on_the_account_page(cast, owner_client) -> None:
    BetaInvitation.objects.create(code="CAREER-FAIR-LYON", max_uses=50)
    assert "Join the beta" in owner_client.get("/accounts/").content.decode()
    response = owner_client.post("/app/insights/beta/join/", {"invitation_code": "career-fair-lyon"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert BetaMember.objects.get().user_id == person("alpha", cast.owner_email).pk
    assert "You are in the beta programme since" in owner_client.get("/accounts/").content.decode()


def test_a_wrong_code_says_so_and_changes_nothing(owner_client) -> None:
    BetaInvitation.objects.create(code="USED-ONCE", max_uses=1, uses=1)
    for code, error in (
        ("NOPE-1234", "No invitation has this code: check it and try again."),
        ("USED-ONCE", "This invitation code has been used up."),
        ("", "This field is required."),
    ):
        response = owner_client.post("/app/insights/beta/join/", {"invitation_code": code})
        assert response.status_code == 400
        assert response.context["beta_form"].errors["invitation_code"] == [error]
    assert not BetaMember.objects.exists()
    assert BetaInvitation.objects.get().uses == 1


def _signup(client, email: str, **extra):
    data = {
        "email": email,
        "full_name": "Amara Okafor",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "consent": "on",
        "notice_version": "1",
    }
    return client.post("/accounts/signup/", data | extra)


def test_a_code_at_sign_up_enrols_the_person_when_they_confirm(cast, client_a) -> None:
    BetaInvitation.objects.create(code="BOOTCAMP-WAVE-3", max_uses=30)
    assert _signup(client_a, "amara.okafor@example.com", invitation_code="bootcamp-wave-3").status_code == 302
    assert BetaInvitation.objects.get().uses == 0  # spent at confirmation, not before
    link = re.search(r"http://alpha\.localhost(/accounts/signup/confirm/\S+/)", mail.outbox[0].body).group(1)
    response = client_a.post(link, follow=True)
    assert "Welcome to the CVPlus beta programme." in response.content.decode()
    with schema_context("alpha"):
        user = User.objects.get(email="amara.okafor@example.com")
    assert BetaMember.objects.get().user_id == user.pk
    assert BetaInvitation.objects.get().uses == 1


def test_a_wrong_code_at_sign_up_is_named_and_nothing_is_sent(client_a) -> None:
    BetaInvitation.objects.create(code="OLD-WAVE", expires_at=timezone.now() - timedelta(days=1))
    response = _signup(client_a, "late.comer@example.com", invitation_code="old-wave")
    assert response.status_code == 200
    assert response.context["form"].errors["invitation_code"] == ["This invitation code has expired."]
    assert mail.outbox == []


def test_a_sign_up_without_a_code_still_works(client_a) -> None:
    assert _signup(client_a, "no.code@example.com").status_code == 302
    link = re.search(r"http://alpha\.localhost(/accounts/signup/confirm/\S+/)", mail.outbox[0].body).group(1)
    response = client_a.post(link, follow=True)
    assert "beta programme" not in response.content.decode()
    assert not BetaMember.objects.exists()


# Staff


def test_staff_see_the_programme_and_reply(cast) -> None:
    owner = person("alpha", cast.owner_email)
    feedback = feedback_submit(
        tenant=cast.tenant_a, user_id=owner.pk, page="insights", feature="insights", rating=3, comment=COMMENT
    )
    staff = staff_client_make()
    page = staff.get("/admin/analytics/feedback/programme/")
    assert page.status_code == 200
    body = page.content.decode()
    assert COMMENT in body
    assert "Below the target." in body
    assert page.context["average"] == 3.0
    (insights,) = page.context["features"]
    assert (insights.label, insights.average, insights.count, insights.weekly[-1]) == (
        "Insights dashboard",
        3.0,
        1,
        (3.0, 1),
    )
    assert "Beta programme" in staff.get("/admin/").content.decode()

    response = staff.post(
        f"/admin/analytics/feedback/{feedback.pk}/change/",
        {"status": "planned", "tags": "odds,ux", "reply_message": "Thank you: we are re-checking the interview odds."},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.tags, feedback.reply) == (
        "planned",
        ["odds", "ux"],
        "Thank you: we are re-checking the interview odds.",
    )
    (sent,) = mail.outbox
    assert sent.to == [cast.owner_email]


def test_a_seeker_cannot_open_the_staff_page(cast, public_client) -> None:
    response = public_client.get("/admin/analytics/feedback/programme/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_triage_a_page_of_feedback_from_the_list(cast) -> None:
    owner = person("alpha", cast.owner_email)
    items = [
        feedback_submit(tenant=cast.tenant_a, user_id=owner.pk, page="cv", feature="cv_reading", rating=rating)
        for rating in (2, 5)
    ]
    staff = staff_client_make()
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(items[1].pk),
        "form-0-status": "done",
        "form-1-id": str(items[0].pk),
        "form-1-status": "wont",
        "_save": "Save",
    }
    assert staff.post("/admin/analytics/feedback/", data).status_code == 302
    assert sorted(Feedback.objects.values_list("rating", "status")) == [(2, "wont"), (5, "done")]
