"""The beta programme's staff page (analytics/admin_beta.py) and the one thing staff write there besides status and
tags: a reply to a person's feedback, e-mailed to them through Django's mail and recorded on the feedback.

Figures read public tables only: the feedback and NPS answers, the cohort, and the people rollups (UserActivity) for
the cohort's activity. The seed's targets (100 beta users, an average rating above 4.5/5) are shown beside the
measured values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from analytics.models import BetaMember, Feedback, NpsResponse, UserActivity
from analytics.models_beta import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN
from analytics.staff import utc_today, week_start

TARGET_RATING = 4.5  # the seed's target: an average feature rating above 4.5 out of 5
TARGET_BETA_USERS = 100  # the seed's planned beta cohort
WEEKS_SHOWN = 8
NPS_WINDOW_DAYS = 90


@dataclass(frozen=True)
class FeatureWeeks:
    feature: str
    label: str
    average: float | None
    count: int
    weekly: list[tuple[float | None, int]]  # (average, count) per week shown, oldest first


@dataclass(frozen=True)
class Nps:
    answers: int
    promoters: int
    passives: int
    detractors: int
    dismissed: int

    @property
    def score(self) -> int | None:
        """Promoters' share minus detractors' share, in points (-100 to 100); None with no answer."""
        if not self.answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.answers)


@dataclass(frozen=True)
class Cohort:
    size: int
    active_7_days: int
    active_30_days: int


def ratings_by_feature_and_week(*, today: date | None = None, weeks: int = WEEKS_SHOWN) -> tuple[list, list]:
    """The Mondays of the last `weeks` ISO weeks (oldest first) and, per feature rated in them, its average rating
    and count over the whole period and in each week. Features nobody rated are left out."""
    today = today or utc_today()
    mondays = [week_start(today) - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    start = datetime.combine(mondays[0], time.min, tzinfo=UTC)
    rows = (
        Feedback.objects.filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("feature", "day")
        .annotate(total=Count("id"), average=Avg("rating"))
    )
    cells: dict[tuple[str, date], list[float]] = {}
    for row in rows:
        key = (row["feature"], week_start(row["day"]))
        sums = cells.setdefault(key, [0.0, 0])
        sums[0] += row["average"] * row["total"]
        sums[1] += row["total"]
    labels = dict(Feedback.Feature.choices)
    features = []
    for feature in Feedback.Feature.values:
        weekly = [cells.get((feature, monday), [0.0, 0]) for monday in mondays]
        count = sum(int(n) for _, n in weekly)
        if not count:
            continue
        total = sum(s for s, _ in weekly)
        features.append(
            FeatureWeeks(
                feature=feature,
                label=str(labels[feature]),
                average=total / count,
                count=count,
                weekly=[(s / n if n else None, int(n)) for s, n in weekly],
            )
        )
    return mondays, features


def rating_overall(*, since: datetime | None = None) -> tuple[float | None, int]:
    """The average rating of every feature and how many ratings it is over (all time, or since `since`)."""
    rows = Feedback.objects.all() if since is None else Feedback.objects.filter(created_at__gte=since)
    result = rows.aggregate(average=Avg("rating"), count=Count("id"))
    return result["average"], result["count"]


def nps_figures(*, now: datetime | None = None, days: int = NPS_WINDOW_DAYS) -> Nps:
    now = now or timezone.now()
    result = NpsResponse.objects.filter(asked_at__gt=now - timedelta(days=days)).aggregate(
        answers=Count("id", filter=Q(score__isnull=False)),
        promoters=Count("id", filter=Q(score__gte=NPS_PROMOTER_MIN)),
        detractors=Count("id", filter=Q(score__lte=NPS_DETRACTOR_MAX)),
        dismissed=Count("id", filter=Q(score__isnull=True)),
    )
    return Nps(passives=result["answers"] - result["promoters"] - result["detractors"], **result)


def cohort_figures(*, today: date | None = None) -> Cohort:
    """The cohort's size and how many of it were active (any event they are the actor of, from the people rollups)
    in the last 7 and 30 days, today included."""
    today = today or utc_today()
    in_cohort = Exists(BetaMember.objects.filter(tenant_id=OuterRef("tenant_id"), user_id=OuterRef("user_id")))
    active = UserActivity.objects.filter(in_cohort).aggregate(
        week=Count("id", filter=Q(last_day__gt=today - timedelta(days=7))),
        month=Count("id", filter=Q(last_day__gt=today - timedelta(days=30))),
    )
    return Cohort(size=BetaMember.objects.count(), active_7_days=active["week"], active_30_days=active["month"])


def feedback_to_triage(*, limit: int = 20) -> list[Feedback]:
    """The newest feedback with a comment that nobody has triaged yet."""
    return list(
        Feedback.objects.filter(status=Feedback.Status.NEW)
        .exclude(comment="")
        .select_related("tenant")
        .order_by("-created_at")[:limit]
    )


def feedback_reply(*, feedback: Feedback, message: str, by: str, now: datetime | None = None) -> Feedback:
    """E-mails `message` to the person who gave `feedback`, in their language, quoting their comment, and records it
    (the reply, when, by whom; a new item becomes triaged). Raises ValidationError (field "reply_message") and sends
    nothing when the message is empty or the person's account is gone."""
    from accounts.models import User
    from tenants.locale import member_language

    message = (message or "").strip()
    if not message:
        raise ValidationError({"reply_message": _("Write the reply before sending it.")})
    with schema_context(feedback.tenant.schema_name):
        user = User.objects.filter(pk=feedback.user_id, is_active=True).first()
        if user is None:
            raise ValidationError({"reply_message": _("This person's account no longer exists: nothing was sent.")})
        address, language = user.email, member_language(user, feedback.tenant)
    with translation.override(language):
        context = {"feedback": feedback, "message": message, "feature": feedback.get_feature_display()}
        subject = render_to_string("analytics/email/feedback_reply_subject.txt", context).strip()
        body = render_to_string("analytics/email/feedback_reply.txt", context)
    EmailMessage(subject=subject, body=body, to=[address]).send()
    feedback.reply = message
    feedback.replied_at = now or timezone.now()
    feedback.replied_by = by
    if feedback.status == Feedback.Status.NEW:
        feedback.status = Feedback.Status.TRIAGED
    feedback.save(update_fields=["reply", "replied_at", "replied_by", "status"])
    return feedback
