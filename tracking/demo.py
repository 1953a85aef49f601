"""Demo content for the consumer site's job seekers (make run): a CV, a profile and a search over months for each
seeker of tracking/demo_seekers.py, written through the services. Created once, never overwritten: a seeker who has
any application is left as they are (the demo keeps whatever the user did)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tracking.cv.services import cv_paste
from tracking.demo_seekers import DEMO_LABEL, DEMO_SEEKERS, OFFER, DemoApplication, DemoSeeker
from tracking.models import Application, CVDocument, Reminder
from tracking.services import (
    application_create,
    application_move,
    contact_add,
    note_add,
    posting_create,
    profile_update,
    task_add,
)


def _at(now: datetime, days_ago: int, rng: random.Random, utc_offset_hours: int) -> datetime:
    """A time during the seeker's local working day (08:00–19:59) ``days_ago`` days before ``now``, never later
    than an hour ago."""
    day = (now - timedelta(days=days_ago)).replace(hour=0, minute=0, second=0, microsecond=0)
    at = day + timedelta(hours=rng.randint(8, 19) - utc_offset_hours, minutes=rng.randint(0, 59))
    return min(at, now - timedelta(hours=1))


def demo_seeker_ensure(*, user: User) -> bool:
    """Gives a demo seeker (tracking/demo_seekers.py, found by e-mail) their CV, profile and applications. False when
    the user is not a demo seeker or already has applications."""
    seeker = DEMO_SEEKERS.get(user.email)
    if seeker is None or Application.objects.filter(owner=user).exists():
        return False
    now = timezone.now()
    rng = random.Random(f"demo-seeker:{seeker.email}")  # noqa: S311 - reproducible demo data, not a secret
    with transaction.atomic():
        joined = _at(now, seeker.joined_days_ago, rng, seeker.utc_offset_hours)
        User.objects.filter(pk=user.pk).update(date_joined=joined)
        profile_update(
            user=user,
            headline=seeker.headline,
            country=seeker.country,
            preferred_currency=seeker.currency,
            years_experience=seeker.years_experience,
        )
        cv = cv_paste(owner=user, text=seeker.cv)
        CVDocument.objects.filter(pk=cv.pk).update(created_at=joined + timedelta(hours=1))
        for planned in seeker.applications:
            _application_write(user=user, seeker=seeker, planned=planned, cv=cv, now=now, rng=rng)
        # Follow-ups that fell due weeks before the demo existed would all be sent at once: only the last week's stay.
        Reminder.objects.filter(
            owner=user, status=Reminder.Status.SCHEDULED, due_at__lt=now - timedelta(days=7)
        ).update(status=Reminder.Status.CANCELLED)
    return True


def _application_write(
    *, user: User, seeker: DemoSeeker, planned: DemoApplication, cv: CVDocument, now: datetime, rng: random.Random
) -> Application:
    low, high, currency, period = planned.salary or (None, None, "", "")
    posting = posting_create(
        owner=user,
        title=planned.title,
        company=planned.company,
        location=planned.location,
        country=planned.country,
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        remote=planned.remote,
        industry=planned.industry,
        description=DEMO_LABEL + seeker.description.format(title=planned.title, company=planned.company),
    )
    times = [_at(now, days_ago, rng, seeker.utc_offset_hours) for _stage, days_ago in planned.moves]
    (first_stage, _days), *later = planned.moves
    application = application_create(
        owner=user,
        posting=posting,
        cv=cv,
        channel=planned.channel,
        stage=first_stage,
        at=times[0],
    )
    for (stage, _days_ago), at in zip(later, times[1:], strict=True):
        offer = {"offer_amount": planned.offer, "offer_currency": currency} if stage == OFFER else {}
        application_move(application=application, to_stage=stage, by=user, at=at, **offer)
    if planned.contact is not None:
        name, role, email = planned.contact
        contact_add(application=application, name=name, role=role, email=email)
    if planned.note:
        note_add(application=application, body=planned.note)
    if planned.task is not None:
        title, due_in_days = planned.task
        task_add(application=application, title=title, due_at=now + timedelta(days=due_in_days))
    return application
