"""Seekers' feedback on a feature of a page, and the periodic NPS question (analytics.Feedback, analytics.NpsResponse).

A comment is kept as plain text: tags are stripped, control characters dropped and line ends normalised before the
length is checked, so what is stored is what staff read, and the pages escape it again when they show it. Reads for a
seeker go through `feedback_of_person`, which takes the request's tenant and user: another person's feedback is not
found, whatever its id.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from analytics.models import Feedback, NpsResponse
from analytics.models_beta import COMMENT_MAX_CHARS

NPS_INTERVAL_DAYS = 30  # nobody is asked twice within this many days, answered or dismissed
NPS_FIRST_AFTER_DAYS = 7  # a new account is asked once it has had a week to try CVPlus

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def comment_sanitise(raw: str) -> str:
    """Plain text: no HTML tags, no control characters but line feeds and tabs, Unix line ends, no blank edges."""
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", strip_tags(text)).strip()


def feedback_submit(
    *, tenant, user_id: int, page: str, feature: str, rating: int, comment: str = "", now: datetime | None = None
) -> Feedback:
    """Records a rating (1–5) of `feature` on `page`, with its sanitised comment. Raises ValidationError naming the
    field (page, feature, rating, comment) and stores nothing when a value is invalid."""
    errors: dict[str, str] = {}
    if page not in Feedback.Page.values:
        errors["page"] = _("Choose the page the feedback is about.")
    if feature not in Feedback.Feature.values:
        errors["feature"] = _("Choose the feature the feedback is about.")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        errors["rating"] = _("Choose a rating from 1 to 5 stars.")
    text = comment_sanitise(comment)
    if len(text) > COMMENT_MAX_CHARS:
        errors["comment"] = _("Keep the comment to %(limit)d characters or fewer (it has %(count)d).") % {
            "limit": COMMENT_MAX_CHARS,
            "count": len(text),
        }
    if errors:
        raise ValidationError(errors)
    return Feedback.objects.create(
        tenant=tenant,
        user_id=user_id,
        page=page,
        feature=feature,
        rating=rating,
        comment=text,
        created_at=now or timezone.now(),
    )


def feedback_of_person(*, tenant, user_id: int) -> QuerySet[Feedback]:
    """The person's own feedback, newest first: the only way a seeker's page reads feedback."""
    return Feedback.objects.filter(tenant=tenant, user_id=user_id).order_by("-created_at", "-pk")


def nps_due(*, tenant, user, now: datetime | None = None) -> bool:
    """Whether to ask the NPS question now: a signed-in person whose account is at least NPS_FIRST_AFTER_DAYS old
    and who was not asked (answered or dismissed) in the last NPS_INTERVAL_DAYS days."""
    if tenant is None or not getattr(user, "is_authenticated", False):
        return False
    now = now or timezone.now()
    if user.date_joined > now - timedelta(days=NPS_FIRST_AFTER_DAYS):
        return False
    recent = now - timedelta(days=NPS_INTERVAL_DAYS)
    return not NpsResponse.objects.filter(tenant=tenant, user_id=user.pk, asked_at__gt=recent).exists()


def nps_record(*, tenant, user, score: int | None, now: datetime | None = None) -> NpsResponse | None:
    """Records an answer (0–10) or a dismissal (None). Returns None and records nothing when the person was asked
    within NPS_INTERVAL_DAYS already (a second tab, a replayed form): the first answer stands. Raises ValidationError
    (field "score") for a score outside 0–10."""
    if score is not None and (isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10):
        raise ValidationError({"score": _("Choose a score from 0 to 10.")})
    now = now or timezone.now()
    recent = now - timedelta(days=NPS_INTERVAL_DAYS)
    with transaction.atomic():
        with connection.cursor() as cursor:  # one answer at a time per person: two tabs cannot both record one
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"cvplus-nps:{tenant.pk}:{user.pk}"])
        if NpsResponse.objects.filter(tenant=tenant, user_id=user.pk, asked_at__gt=recent).exists():
            return None
        return NpsResponse.objects.create(tenant=tenant, user_id=user.pk, asked_at=now, score=score)
