"""The beta programme's services: invitation codes (single-use, use limits, expiry, a wrong code refused by name and
nothing spent), the cohort in the feature flags, feedback stored as sanitised plain text within its length limit, the
NPS question asked at most once in 30 days (answered or dismissed), the staff page's figures and a person's rows
forgotten with their account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from analytics.beta import beta_cohort_cache_clear, beta_people_forget, invitation_check, invitation_redeem
from analytics.beta_staff import (
    cohort_figures,
    feedback_reply,
    nps_figures,
    rating_overall,
    ratings_by_feature_and_week,
)
from analytics.feedback import comment_sanitise, feedback_submit, nps_due, nps_record
from analytics.flags import flag_active, flags_cache_clear
from analytics.models import BetaInvitation, BetaMember, FeatureFlag, Feedback, NpsResponse, UserActivity
from analytics.staff import utc_today
from tests.analytics.experiment_support import fresh_caches, person  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]

COMMENT = (
    "The board is great, but when I drag a card to Interviewing on my phone it sometimes lands in Screening.\n"
    "Could the columns snap?"
)


@pytest.fixture(autouse=True)
def _cohort_forgotten():
    beta_cohort_cache_clear()
    yield
    beta_cohort_cache_clear()


def code_make(code: str = "BETA-SPRING-2026", **fields) -> BetaInvitation:
    return BetaInvitation.objects.create(code=code, note="Career fair, Lyon", **fields)


def invitation_error(call) -> str:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict["invitation_code"][0]


# Invitation codes


def test_it_enrols_with_a_single_use_code_and_refuses_the_second_person(cast) -> None:
    code_make(max_uses=1)
    owner, member = person("alpha", cast.owner_email), person("alpha", cast.member_email)
    enrolled = invitation_redeem(code=" beta-spring-2026 ", tenant=cast.tenant_a, user_id=owner.pk)
    assert (enrolled.tenant_id, enrolled.user_id, enrolled.invitation.code) == (
        cast.tenant_a.pk,
        owner.pk,
        "BETA-SPRING-2026",
    )
    assert (
        invitation_error(lambda: invitation_redeem(code="BETA-SPRING-2026", tenant=cast.tenant_a, user_id=member.pk))
        == "This invitation code has been used up."
    )
    assert BetaInvitation.objects.get().uses == 1
    assert list(BetaMember.objects.values_list("user_id", flat=True)) == [owner.pk]


def test_it_honours_a_use_limit_across_tenants(cast) -> None:
    code_make("BOOTCAMP-42", max_uses=2)
    invitation_redeem(code="BOOTCAMP-42", tenant=cast.tenant_a, user_id=person("alpha", cast.owner_email).pk)
    invitation_redeem(code="BOOTCAMP-42", tenant=cast.tenant_b, user_id=person("beta", cast.stranger_email).pk)
    member = person("alpha", cast.member_email)
    assert (
        invitation_error(lambda: invitation_redeem(code="BOOTCAMP-42", tenant=cast.tenant_a, user_id=member.pk))
        == "This invitation code has been used up."
    )
    assert BetaInvitation.objects.get().uses == 2
    assert BetaMember.objects.count() == 2


def test_it_refuses_an_unknown_or_expired_code_and_spends_nothing(cast) -> None:
    owner = person("alpha", cast.owner_email)
    code_make("LAST-WEEK", max_uses=10, expires_at=timezone.now() - timedelta(minutes=1))
    assert invitation_error(lambda: invitation_redeem(code="NO-SUCH-CODE", tenant=cast.tenant_a, user_id=owner.pk)) == (
        "No invitation has this code: check it and try again."
    )
    assert invitation_error(lambda: invitation_redeem(code="last-week", tenant=cast.tenant_a, user_id=owner.pk)) == (
        "This invitation code has expired."
    )
    assert BetaInvitation.objects.get().uses == 0
    assert not BetaMember.objects.exists()


def test_it_refuses_a_second_enrolment_without_spending_a_use(cast) -> None:
    code_make("TEAM-A", max_uses=5)
    owner = person("alpha", cast.owner_email)
    invitation_redeem(code="TEAM-A", tenant=cast.tenant_a, user_id=owner.pk)
    assert invitation_error(lambda: invitation_redeem(code="TEAM-A", tenant=cast.tenant_a, user_id=owner.pk)) == (
        "You are already in the beta programme."
    )
    assert BetaInvitation.objects.get().uses == 1


def test_a_code_still_valid_tomorrow_passes_the_check() -> None:
    code_make("TOMORROW", expires_at=timezone.now() + timedelta(days=1))
    assert invitation_check("tomorrow").code == "TOMORROW"


def test_the_database_refuses_more_uses_than_the_limit() -> None:
    from django.db import IntegrityError, transaction

    invitation = code_make(max_uses=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BetaInvitation.objects.filter(pk=invitation.pk).update(uses=2)


# The cohort in the feature flags


def test_a_beta_cohort_flag_is_on_for_members_only_and_never_for_the_same_id_elsewhere(cast) -> None:
    FeatureFlag.objects.create(name="interview-prep", beta_cohort=True)
    flags_cache_clear()
    owner, member = person("alpha", cast.owner_email), person("alpha", cast.member_email)
    assert flag_active("interview-prep", tenant=cast.tenant_a, user=owner) is False
    code_make("EARLY", max_uses=3)
    invitation_redeem(code="EARLY", tenant=cast.tenant_a, user_id=owner.pk)
    beta_cohort_cache_clear()  # the commit that clears it never comes inside the test's transaction
    assert flag_active("interview-prep", tenant=cast.tenant_a, user=owner) is True
    assert flag_active("interview-prep", tenant=cast.tenant_a, user=member) is False
    assert flag_active("interview-prep", tenant=cast.tenant_b, user=owner) is False  # same id, another tenant
    FeatureFlag.objects.update(beta_cohort=False)
    flags_cache_clear()
    assert flag_active("interview-prep", tenant=cast.tenant_a, user=owner) is False


# Feedback


def test_it_stores_a_rating_with_its_comment_as_plain_text(cast) -> None:
    owner = person("alpha", cast.owner_email)
    raw = '<script>alert("x")</script><b>Match</b> missed my Kubernetes\x00 skills.\r\nOtherwise spot on. '
    feedback = feedback_submit(
        tenant=cast.tenant_a, user_id=owner.pk, page="application", feature="match", rating=4, comment=raw
    )
    feedback.refresh_from_db()
    assert feedback.comment == 'alert("x")Match missed my Kubernetes skills.\nOtherwise spot on.'
    assert (feedback.page, feedback.feature, feedback.rating, feedback.status) == ("application", "match", 4, "new")


def test_comment_sanitise_keeps_line_feeds_and_tabs() -> None:
    assert comment_sanitise("  a\tb\r\nc\rd\x07  ") == "a\tb\nc\nd"


def test_it_refuses_a_comment_over_2000_characters_and_stores_nothing(cast) -> None:
    owner = person("alpha", cast.owner_email)
    with pytest.raises(ValidationError) as raised:
        feedback_submit(
            tenant=cast.tenant_a, user_id=owner.pk, page="board", feature="board", rating=5, comment="a" * 2001
        )
    assert raised.value.message_dict == {"comment": ["Keep the comment to 2000 characters or fewer (it has 2001)."]}
    assert not Feedback.objects.exists()
    feedback_submit(tenant=cast.tenant_a, user_id=owner.pk, page="board", feature="board", rating=5, comment="a" * 2000)
    assert Feedback.objects.get().comment == "a" * 2000


def test_tags_do_not_count_towards_the_length_limit(cast) -> None:
    owner = person("alpha", cast.owner_email)
    comment = "<p>" + "b" * 2000 + "</p>"
    feedback_submit(tenant=cast.tenant_a, user_id=owner.pk, page="cv", feature="cv_reading", rating=3, comment=comment)
    assert len(Feedback.objects.get().comment) == 2000


def test_it_names_every_invalid_field(cast) -> None:
    owner = person("alpha", cast.owner_email)
    with pytest.raises(ValidationError) as raised:
        feedback_submit(tenant=cast.tenant_a, user_id=owner.pk, page="admin", feature="stock", rating=6, comment="")
    assert raised.value.message_dict == {
        "page": ["Choose the page the feedback is about."],
        "feature": ["Choose the feature the feedback is about."],
        "rating": ["Choose a rating from 1 to 5 stars."],
    }
    assert not Feedback.objects.exists()


# NPS


def test_nps_is_asked_once_a_week_old_account_was_not_asked_for_30_days(cast) -> None:
    owner = person("alpha", cast.owner_email)
    now = owner.date_joined + timedelta(days=6)
    assert nps_due(tenant=cast.tenant_a, user=owner, now=now) is False  # too new
    now = owner.date_joined + timedelta(days=8)
    assert nps_due(tenant=cast.tenant_a, user=owner, now=now) is True
    assert nps_record(tenant=cast.tenant_a, user=owner, score=9, now=now).score == 9
    assert nps_due(tenant=cast.tenant_a, user=owner, now=now + timedelta(days=29, hours=23)) is False
    assert nps_record(tenant=cast.tenant_a, user=owner, score=2, now=now + timedelta(days=10)) is None
    assert list(NpsResponse.objects.values_list("score", flat=True)) == [9]
    assert nps_due(tenant=cast.tenant_a, user=owner, now=now + timedelta(days=30, minutes=1)) is True


def test_a_dismissal_counts_as_asked(cast) -> None:
    owner = person("alpha", cast.owner_email)
    now = owner.date_joined + timedelta(days=40)
    assert nps_record(tenant=cast.tenant_a, user=owner, score=None, now=now).score is None
    assert nps_due(tenant=cast.tenant_a, user=owner, now=now + timedelta(days=15)) is False
    assert nps_due(tenant=cast.tenant_b, user=owner, now=now + timedelta(days=15)) is True  # another tenant's person


def test_it_refuses_a_score_outside_0_to_10(cast) -> None:
    owner = person("alpha", cast.owner_email)
    with pytest.raises(ValidationError) as raised:
        nps_record(tenant=cast.tenant_a, user=owner, score=11)
    assert raised.value.message_dict == {"score": ["Choose a score from 0 to 10."]}
    assert not NpsResponse.objects.exists()


# The staff page's figures


def test_the_staff_figures_average_per_feature_and_week_and_count_nps(cast) -> None:
    owner, member = person("alpha", cast.owner_email), person("alpha", cast.member_email)
    stranger = person("beta", cast.stranger_email)
    today = utc_today()
    now = timezone.now()
    last_week = now - timedelta(days=7)
    for user, tenant, feature, rating, at in (
        (owner, cast.tenant_a, "board", 5, now),
        (member, cast.tenant_a, "board", 4, now),
        (stranger, cast.tenant_b, "board", 3, last_week),
        (owner, cast.tenant_a, "match", 2, now),
    ):
        feedback_submit(tenant=tenant, user_id=user.pk, page="board", feature=feature, rating=rating, now=at)
    mondays, features = ratings_by_feature_and_week(today=today)
    assert len(mondays) == 8
    board = next(row for row in features if row.feature == "board")
    assert (board.average, board.count) == (4.0, 3)
    assert board.weekly[-1] == (4.5, 2)
    assert board.weekly[-2] == (3.0, 1)
    assert [row.feature for row in features] == ["board", "match"]
    assert rating_overall() == (3.5, 4)

    for user, tenant, score in ((owner, cast.tenant_a, 10), (member, cast.tenant_a, 6), (stranger, cast.tenant_b, 8)):
        nps_record(tenant=tenant, user=user, score=score, now=user.date_joined + timedelta(days=8))
    nps = nps_figures(now=max(p.date_joined for p in (owner, member, stranger)) + timedelta(days=9))
    assert (nps.promoters, nps.passives, nps.detractors, nps.answers, nps.score) == (1, 1, 1, 3, 0)


def test_the_cohort_counts_members_active_in_the_last_7_and_30_days(cast) -> None:
    owner, member = person("alpha", cast.owner_email), person("alpha", cast.member_email)
    stranger = person("beta", cast.stranger_email)
    code_make("COHORT", max_uses=10)
    for user, tenant in ((owner, cast.tenant_a), (member, cast.tenant_a), (stranger, cast.tenant_b)):
        invitation_redeem(code="COHORT", tenant=tenant, user_id=user.pk)
    today = utc_today()
    UserActivity.objects.create(tenant=cast.tenant_a, user_id=owner.pk, first_day=today, last_day=today)
    UserActivity.objects.create(
        tenant=cast.tenant_a,
        user_id=member.pk,
        first_day=today - timedelta(days=20),
        last_day=today - timedelta(days=20),
    )
    UserActivity.objects.create(  # not in the cohort: the same id as the owner in another tenant
        tenant=cast.tenant_b, user_id=owner.pk + 1000, first_day=today, last_day=today
    )
    figures = cohort_figures(today=today)
    assert (figures.size, figures.active_7_days, figures.active_30_days) == (3, 1, 2)


def test_a_reply_is_mailed_to_the_person_and_recorded(cast) -> None:
    owner = person("alpha", cast.owner_email)
    feedback = feedback_submit(
        tenant=cast.tenant_a, user_id=owner.pk, page="board", feature="board", rating=3, comment=COMMENT
    )
    connection.set_schema_to_public()
    feedback_reply(
        feedback=feedback, message="Thanks Olive: snapping columns ship next week.", by="ines@cvplus.example"
    )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [cast.owner_email]
    assert sent.subject == "A reply to your feedback on The board"
    assert "snapping columns ship next week" in sent.body
    assert "Could the columns snap?" in sent.body
    feedback.refresh_from_db()
    assert (feedback.reply, feedback.replied_by, feedback.status) == (
        "Thanks Olive: snapping columns ship next week.",
        "ines@cvplus.example",
        "triaged",
    )
    assert feedback.replied_at is not None


def test_an_empty_reply_sends_nothing(cast) -> None:
    owner = person("alpha", cast.owner_email)
    feedback = feedback_submit(tenant=cast.tenant_a, user_id=owner.pk, page="board", feature="board", rating=3)
    with pytest.raises(ValidationError):
        feedback_reply(feedback=feedback, message="  ", by="ines@cvplus.example")
    assert mail.outbox == []
    feedback.refresh_from_db()
    assert (feedback.reply, feedback.status) == ("", "new")


def test_a_persons_rows_are_forgotten_with_their_account_and_nobody_elses(cast) -> None:
    owner, member = person("alpha", cast.owner_email), person("alpha", cast.member_email)
    code_make("FORGET", max_uses=5)
    for user in (owner, member):
        invitation_redeem(code="FORGET", tenant=cast.tenant_a, user_id=user.pk)
        feedback_submit(tenant=cast.tenant_a, user_id=user.pk, page="cv", feature="cv_reading", rating=4)
        nps_record(tenant=cast.tenant_a, user=user, score=7)
    assert beta_people_forget(tenant=cast.tenant_a, user_id=owner.pk) == 3
    for model in (BetaMember, Feedback, NpsResponse):
        assert list(model.objects.values_list("user_id", flat=True)) == [member.pk]


def test_the_demo_code_is_written_once_and_enrols_people_until_its_limit(cast) -> None:
    from analytics.demo import DEMO_BETA_CODE, DEMO_BETA_CODE_USES, demo_beta_code_ensure

    assert demo_beta_code_ensure() == demo_beta_code_ensure() == DEMO_BETA_CODE
    code = BetaInvitation.objects.get(code=DEMO_BETA_CODE)
    assert (code.max_uses, code.uses) == (DEMO_BETA_CODE_USES, 0)
    assert not BetaMember.objects.exists()  # no member is invented
