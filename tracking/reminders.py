"""Follow-up reminders: scheduled by application moves and tasks, sent exactly once.

Sending: ``reminders_due_dispatch`` (one per tenant, from beat) queues ``reminder_send`` for each due reminder. A
send first claims the reminder with a conditional UPDATE (scheduled → sending, or a stale sending claim older than
``CLAIM_LEASE``, which is how a reminder whose worker died mid-send is picked up again). Only the claimant goes on. The
in-app notification is unique per reminder, and the reminder is marked sent in the transaction that creates it, so a
second run finds nothing to do. The email carries a Message-ID derived from the reminder, so if a worker dies after
the mail server accepted it but before the commit, the one resend is recognisable as the same message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.experiments.catalogue import DIRECT, REMINDER_WORDING
from analytics.experiments.exposure import experiment_variant
from tenants.context import current_tenant
from tenants.links import tenant_absolute_url
from tenants.locale import member_language
from tracking.models import (
    Application,
    ApplicationEvent,
    DomainEvent,
    Interview,
    Notification,
    Reminder,
    Stage,
    Task,
)

# How old a sending claim must be before another worker takes the reminder (its worker is presumed dead). A setting
# (10 minutes by default, read at start-up) so the worker-killed fault test can shorten it.
CLAIM_LEASE = timedelta(seconds=settings.REMINDER_CLAIM_LEASE_S)
TERMINAL_STAGES = frozenset({Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN, Stage.GHOSTED})


def _profile(user_id: int):
    from tracking.models import CandidateProfile

    profile, _created = CandidateProfile.objects.get_or_create(user_id=user_id)
    return profile


def _schedule(*, application: Application, kind: str, key: str, due_at: datetime, task: Task | None = None) -> None:
    profile = _profile(application.owner_id)
    if not profile.reminders_enabled:
        return
    Reminder.objects.get_or_create(
        dedupe_key=key,
        defaults={
            "owner_id": application.owner_id,
            "application": application,
            "kind": kind,
            "due_at": due_at,
            "task": task,
        },
    )


def reminder_schedule_after_applying(*, application: Application, applied_at: datetime) -> None:
    days = _profile(application.owner_id).follow_up_after_applied_days
    _schedule(
        application=application,
        kind=Reminder.Kind.AFTER_APPLYING,
        key=f"application:{application.pk}:applied",
        due_at=applied_at + timedelta(days=days),
    )


def reminder_schedule_for_task(*, task: Task) -> None:
    if task.due_at is None:
        return
    hours = _profile(task.application.owner_id).task_reminder_hours_before
    _schedule(
        application=task.application,
        kind=Reminder.Kind.TASK_DUE,
        key=f"task:{task.pk}:due",
        due_at=task.due_at - timedelta(hours=hours),
        task=task,
    )


def reminders_cancel(*, application: Application | None = None, task: Task | None = None) -> int:
    reminders = Reminder.objects.filter(status=Reminder.Status.SCHEDULED)
    reminders = reminders.filter(task=task) if task is not None else reminders.filter(application=application)
    return reminders.update(status=Reminder.Status.CANCELLED)


def reminders_after_move(*, application: Application, event: ApplicationEvent) -> None:
    """Keeps reminders in step with the stage: a reply cancels the follow-up; an interview schedules a thank-you."""
    if event.to_stage in TERMINAL_STAGES:
        reminders_cancel(application=application)
        return
    Reminder.objects.filter(
        application=application, kind=Reminder.Kind.AFTER_APPLYING, status=Reminder.Status.SCHEDULED
    ).exclude(Q(application__stage=Stage.APPLIED)).update(status=Reminder.Status.CANCELLED)
    if event.to_stage == Stage.APPLIED:
        reminder_schedule_after_applying(application=application, applied_at=event.occurred_at)
    if event.to_stage == Stage.INTERVIEWING and not _interview_follow_up_pending(application):
        days = _profile(application.owner_id).follow_up_after_interview_days
        _schedule(
            application=application,
            kind=Reminder.Kind.AFTER_INTERVIEW,
            key=f"application:{application.pk}:interview:{event.interview_round}",
            due_at=event.occurred_at + timedelta(days=days),
        )


# An interview's follow-up is keyed by the interview, so it is found again when the interview moves or is cancelled.
# When the seeker gives an interview's date and time, its follow-up is timed from the interview's end and replaces
# the one timed from the move to "interviewing" (the move's date is only a stand-in for a date not given).
INTERVIEW_KEY_PREFIX = "interview:"
STAGE_INTERVIEW_KEY = "application:{pk}:interview:"


def interview_follow_up_key(interview: Interview) -> str:
    return f"{INTERVIEW_KEY_PREFIX}{interview.pk}:follow_up"


def _interview_follow_up_pending(application: Application) -> bool:
    return Reminder.objects.filter(
        application=application, status=Reminder.Status.SCHEDULED, dedupe_key__startswith=INTERVIEW_KEY_PREFIX
    ).exists()


def reminder_schedule_after_interview(*, interview: Interview, now: datetime | None = None) -> None:
    """The interview's follow-up, due the owner's ``follow_up_after_interview_days`` after the interview ends:
    created, or moved with the interview. A follow-up that would already be due (a past interview recorded late) is
    not created, and a scheduled one moved into the past is cancelled; so is one of a closed application or of an
    owner who turned reminders off. One already sent or turned off stays as it is.
    """
    now = now or timezone.now()
    application = interview.application
    key = interview_follow_up_key(interview)
    Reminder.objects.filter(
        application=application,
        kind=Reminder.Kind.AFTER_INTERVIEW,
        status=Reminder.Status.SCHEDULED,
        dedupe_key__startswith=STAGE_INTERVIEW_KEY.format(pk=application.pk),
    ).update(status=Reminder.Status.CANCELLED)
    profile = _profile(application.owner_id)
    due_at = interview.ends_at + timedelta(days=profile.follow_up_after_interview_days)
    if due_at <= now or application.stage in TERMINAL_STAGES or not profile.reminders_enabled:
        reminder_cancel_after_interview(interview=interview)
        return
    moved = Reminder.objects.filter(
        dedupe_key=key, status__in=[Reminder.Status.SCHEDULED, Reminder.Status.CANCELLED]
    ).update(due_at=due_at, status=Reminder.Status.SCHEDULED)
    if not moved:
        _schedule(application=application, kind=Reminder.Kind.AFTER_INTERVIEW, key=key, due_at=due_at)


def reminder_cancel_after_interview(*, interview: Interview) -> int:
    return Reminder.objects.filter(
        dedupe_key=interview_follow_up_key(interview), status=Reminder.Status.SCHEDULED
    ).update(status=Reminder.Status.CANCELLED)


def reminder_snooze(*, reminder: Reminder, days: int) -> Reminder:
    if not 1 <= days <= 60:
        from django.core.exceptions import ValidationError

        raise ValidationError({"days": _("Snooze for 1 to 60 days.")})
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SCHEDULED).update(
        due_at=max(reminder.due_at, timezone.now()) + timedelta(days=days)
    )
    reminder.refresh_from_db()
    return reminder


def reminder_turn_off(*, reminder: Reminder) -> Reminder:
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SCHEDULED).update(status=Reminder.Status.OFF)
    reminder.refresh_from_db()
    return reminder


# ---------------------------------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------------------------------
def reminders_due_ids(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    stale = now - CLAIM_LEASE
    return list(
        Reminder.objects.filter(
            Q(status=Reminder.Status.SCHEDULED, due_at__lte=now)
            | Q(status=Reminder.Status.SENDING, claimed_at__lt=stale)
        )
        # A deleted application's reminders wait: sent if it is restored, purged with it otherwise.
        .filter(application__deleted_at__isnull=True)
        .values_list("pk", flat=True)[:1000]
    )


def reminder_claim(*, reminder_id: int, now: datetime | None = None) -> bool:
    """Atomically takes the reminder for sending. True for exactly one caller."""
    now = now or timezone.now()
    claimed = Reminder.objects.filter(
        Q(status=Reminder.Status.SCHEDULED, due_at__lte=now)
        | Q(status=Reminder.Status.SENDING, claimed_at__lt=now - CLAIM_LEASE),
        pk=reminder_id,
    ).update(status=Reminder.Status.SENDING, claimed_at=now)
    return claimed == 1


def _message_for(reminder: Reminder, *, wording: str | None = None) -> tuple[str, str]:
    """The reminder's title and text in the active language. `wording`: the follow-up reminder's variant in the
    reminder-wording experiment ("direct"; anything else is the usual text)."""
    posting = reminder.application.posting
    job = _("%(title)s at %(company)s") % {"title": posting.title, "company": posting.company}
    if reminder.kind == Reminder.Kind.AFTER_APPLYING and wording == DIRECT:
        return _("Follow up today: %(job)s") % {"job": job}, _(
            "No reply yet. Send a two-line email today: say you are still interested and ask where they are in the "
            "process."
        )
    if reminder.kind == Reminder.Kind.AFTER_APPLYING:
        return _("Time to follow up: %(job)s") % {"job": job}, _(
            "You applied a while ago and have not heard back. A short, polite follow-up often gets a reply."
        )
    if reminder.kind == Reminder.Kind.AFTER_INTERVIEW:
        return _("Follow up on your interview: %(job)s") % {"job": job}, _(
            "Send a thank-you note and ask about the next steps."
        )
    return _("Task due soon: %(task)s") % {"task": reminder.task.title if reminder.task else ""}, job


def reminder_deliver(*, reminder_id: int) -> bool:
    """Sends one claimed reminder (email and in-app notification) and marks it sent. False if already done."""
    reminder = Reminder.objects.select_related("application__posting", "owner", "task").get(pk=reminder_id)
    if reminder.status != Reminder.Status.SENDING:
        return False
    user = reminder.owner
    with transaction.atomic():
        locked = Reminder.objects.select_for_update().get(pk=reminder_id)
        if locked.status != Reminder.Status.SENDING:
            return False
        # Asked inside the transaction: only a reminder that is sent records its exposure.
        wording = (
            experiment_variant(REMINDER_WORDING, tenant=current_tenant(), user=user)
            if reminder.kind == Reminder.Kind.AFTER_APPLYING
            else None
        )
        with translation.override(member_language(user)):  # the recipient's language, whatever the worker's
            title, body = _message_for(reminder, wording=wording)
            url = reverse("tracking:application", args=[reminder.application_id])
        notification, created = Notification.objects.get_or_create(
            reminder=locked, defaults={"user": user, "title": title, "body": body, "url": url}
        )
        if created:
            EmailMessage(
                subject=title,
                body=f"{body}\n\n{tenant_absolute_url(current_tenant(), url)}",  # never a relative link in mail
                to=[user.email],
                headers={"Message-ID": f"<reminder-{connection.schema_name}-{reminder_id}@cvplus>"},
            ).send()
        locked.status = Reminder.Status.SENT
        locked.sent_at = timezone.now()
        locked.save(update_fields=["status", "sent_at"])
        from tracking.events import domain_event_record

        domain_event_record(
            kind=DomainEvent.Kind.REMINDER_SENT,
            actor_id=None,
            subject_id=reminder_id,
            payload={"kind": reminder.kind, "application_id": reminder.application_id},
        )
    return created


def applications_flag_likely_ghosted(*, now: datetime | None = None) -> int:
    """Flags active applications silent past the owner's window, for the owner to confirm. Returns how many."""
    now = now or timezone.now()
    flagged = 0
    from tracking.models import CandidateProfile

    windows = dict(CandidateProfile.objects.values_list("user_id", "ghosted_after_days"))
    default_days = CandidateProfile._meta.get_field("ghosted_after_days").default
    candidates = Application.objects.filter(
        stage__in=[Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING], likely_ghosted_since__isnull=True
    ).values_list("pk", "owner_id", "stage_changed_at")
    for pk, owner_id, changed_at in candidates.iterator():
        if changed_at <= now - timedelta(days=windows.get(owner_id, default_days)):
            flagged += Application.objects.filter(pk=pk, likely_ghosted_since__isnull=True).update(
                likely_ghosted_since=now
            )
    return flagged
