"""Reads for the seeker's own data. Every selector takes the user (or an object already scoped to them) and returns a
queryset with what its callers display joined in, so a list costs the same number of queries for 1 row or 50.

Callers that look objects up by id from a request (tracking/api/) apply the owner filter once more in their base
class: a selector that forgot to scope would still not leak. The website's pages look objects up through ``owned``:
another user's object (in this tenant or, by schema, in any other) is a 404 that does not confirm it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, JSONField, Model, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from tracking.models import (
    Application,
    ApplicationEvent,
    CandidateProfile,
    Contact,
    CVDocument,
    Interview,
    JobPosting,
    Note,
    Notification,
    Reminder,
    Stage,
    Task,
)

# Columns a CV list leaves out: the extracted text and parsed sections can be large and are read one CV at a time.
CV_LIST_DEFERRED = ("text", "parsed")


def cv_list(*, user: User) -> QuerySet[CVDocument]:
    return CVDocument.objects.filter(owner=user).defer(*CV_LIST_DEFERRED).order_by("-version")


def cv_get(*, user: User, pk: int) -> CVDocument | None:
    return CVDocument.objects.filter(owner=user, pk=pk).first()


def posting_list(*, user: User) -> QuerySet[JobPosting]:
    return JobPosting.objects.filter(owner=user).order_by("-created_at", "-pk")


def posting_get(*, user: User, pk: int) -> JobPosting | None:
    return JobPosting.objects.filter(owner=user, pk=pk).first()


def application_list(*, user: User, stage: str | None = None) -> QuerySet[Application]:
    applications = Application.objects.filter(owner=user).select_related("posting").order_by("-stage_changed_at", "-pk")
    if stage:
        applications = applications.filter(stage=stage)
    return applications


def application_get(*, user: User, pk: int) -> Application | None:
    return application_list(user=user).filter(pk=pk).first()


def application_event_list(*, user: User, application_id: int | None = None) -> QuerySet[ApplicationEvent]:
    events = ApplicationEvent.objects.filter(application__owner=user, application__deleted_at__isnull=True).order_by(
        "occurred_at", "pk"
    )
    return events if application_id is None else events.filter(application_id=application_id)


def contact_list(*, user: User, application_id: int | None = None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(application__owner=user, application__deleted_at__isnull=True).order_by(
        "name", "pk"
    )
    return contacts if application_id is None else contacts.filter(application_id=application_id)


def note_list(*, user: User, application_id: int | None = None) -> QuerySet[Note]:
    notes = Note.objects.filter(application__owner=user, application__deleted_at__isnull=True).order_by(
        "-created_at", "-pk"
    )
    return notes if application_id is None else notes.filter(application_id=application_id)


def task_list(*, user: User, application_id: int | None = None) -> QuerySet[Task]:
    tasks = Task.objects.filter(application__owner=user, application__deleted_at__isnull=True).order_by(
        "done_at", "due_at", "pk"
    )
    return tasks if application_id is None else tasks.filter(application_id=application_id)


def reminder_list(*, user: User) -> QuerySet[Reminder]:
    return (
        Reminder.objects.filter(owner=user, application__deleted_at__isnull=True)
        .select_related("application__posting", "task")
        .order_by("due_at", "pk")
    )


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


# ---------------------------------------------------------------------------------------------------------------------
# The website's pages
# ---------------------------------------------------------------------------------------------------------------------
OPEN_STAGES = (Stage.SAVED, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)
CLOSED_STAGES = (Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN, Stage.GHOSTED)

# How each model reaches its owner. A model missing here cannot be looked up by id from a page.
OWNER_PATHS: dict[type[Model], str] = {
    Application: "owner",
    JobPosting: "owner",
    CVDocument: "owner",
    Reminder: "owner",
    Notification: "user",
    Task: "application__owner",
    Interview: "application__owner",
    Contact: "application__owner",
    Note: "application__owner",
}


# Models that hang off an application: one of a deleted application is out of sight like the application.
LIVE_APPLICATION_SCOPED = frozenset({Task, Contact, Note, Reminder})


def owned(model: type[Model], *, user: User, pk: int, queryset: QuerySet | None = None) -> Model:
    """The user's object with this id, or Http404. What hangs off a deleted application is a 404 too (the deleted
    application itself is left out by its default manager)."""
    base = queryset if queryset is not None else model._default_manager.all()
    scope = {OWNER_PATHS[model]: user}
    if model in LIVE_APPLICATION_SCOPED:
        scope["application__deleted_at__isnull"] = True
    return get_object_or_404(base.filter(**scope), pk=pk)


# A column shows its most recent cards; the rest are one click away (?show=<stage>). Rendering every card of a
# 1,000-application board took ~700 ms (bench/tracking.py).
CARDS_PER_COLUMN = 50


@dataclass
class Column:
    stage: str
    label: str
    applications: list[Application] = field(default_factory=list)
    count: int = 0

    @property
    def hidden(self) -> int:
        return self.count - len(self.applications)


@dataclass
class Board:
    columns: list[Column]
    closed: list[Column]
    # Applications in stages the board does not show (an organisation's template hid them): never lost, shown apart.
    other: list[Column] = field(default_factory=list)

    @property
    def closed_count(self) -> int:
        return sum(column.count for column in self.closed)

    @property
    def other_count(self) -> int:
        return sum(column.count for column in self.other)

    @property
    def total(self) -> int:
        return self.closed_count + self.other_count + sum(column.count for column in self.columns)


def board_stages_of(*, user: User) -> list[str]:
    """The stages ``user``'s board shows, in Stage order: their profile's choice, else every stage."""
    chosen = CandidateProfile.objects.filter(user=user).values_list("board_stages", flat=True).first()
    return _board_stages_clean(chosen)


def _board_stages_clean(chosen: object) -> list[str]:
    known = set(chosen) if isinstance(chosen, list) else set()
    stages = [stage for stage in Stage.values if stage in known]
    return stages or list(Stage.values)


def board_for(*, user: User, show_all: str = "", stages: list[str] | None = None) -> Board:
    """The user's applications in stage columns, at most CARDS_PER_COLUMN each (all of ``show_all``'s stage), with
    each column's full count and each card's next scheduled interview (``next_interview_at``, its kind's label and
    time zone): one query (posting joined, counts and ranks from window functions, the interview from subqueries).

    ``stages`` are the columns shown (None: the profile's ``board_stages``, read in the same query; a second query
    only when the board is empty). Applications in any other stage go to ``Board.other``, so none is ever hidden."""
    columns = {stage: Column(stage=stage, label=Stage(stage).label) for stage in OPEN_STAGES + CLOSED_STAGES}
    newest_first = ("-stage_changed_at", "-id")
    applications = (
        Application.objects.filter(owner=user)
        .annotate(
            rank_in_stage=Window(
                RowNumber(), partition_by=[F("stage")], order_by=[F(f[1:]).desc() for f in newest_first]
            ),
            stage_total=Window(Count("id"), partition_by=[F("stage")]),
        )
        .filter(Q(rank_in_stage__lte=CARDS_PER_COLUMN) | Q(stage=show_all))
        .select_related("posting")
        .only(
            "id",
            "stage",
            "interview_round",
            "stage_changed_at",
            "likely_ghosted_since",
            "offer_amount",
            "offer_currency",
            "posting__id",
            "posting__title",
            "posting__company",
            "posting__location",
            "posting__remote",
        )
        .order_by(*newest_first)
    )
    if stages is None:
        chosen = CandidateProfile.objects.filter(user=user).values("board_stages")[:1]
        applications = applications.annotate(profile_board_stages=Subquery(chosen, output_field=JSONField()))
    now = timezone.now()
    next_interview = Interview.objects.filter(
        application=OuterRef("pk"), status=Interview.Status.SCHEDULED, starts_at__gte=now
    ).order_by("starts_at", "id")
    applications = applications.annotate(
        next_interview_at=Subquery(next_interview.values("starts_at")[:1]),
        next_interview_kind=Subquery(next_interview.values("kind")[:1]),
        next_interview_time_zone=Subquery(next_interview.values("time_zone")[:1]),
    )
    applications = list(applications)
    for application in applications:
        application.days_in_stage = max((now - application.stage_changed_at).days, 0)
        kind = application.next_interview_kind
        application.next_interview_label = Interview.Kind(kind).label if kind in Interview.Kind.values else ""
        column = columns[application.stage]
        column.applications.append(application)
        column.count = application.stage_total
    if stages is None:
        stages = (
            _board_stages_clean(applications[0].profile_board_stages) if applications else board_stages_of(user=user)
        )
    shown = set(stages)
    return Board(
        columns=[columns[stage] for stage in OPEN_STAGES if stage in shown],
        closed=[columns[stage] for stage in CLOSED_STAGES if stage in shown],
        other=[columns[stage] for stage in OPEN_STAGES + CLOSED_STAGES if stage not in shown and columns[stage].count],
    )


def application_for_page(*, user: User, pk: int) -> Application:
    queryset = Application.objects.select_related("posting", "cv", "cv__correction")
    application = owned(Application, user=user, pk=pk, queryset=queryset)
    application.days_in_stage = max((timezone.now() - application.stage_changed_at).days, 0)
    return application


def application_timeline(*, application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("occurred_at", "id")


def application_reminders(*, application: Application) -> QuerySet[Reminder]:
    return application.reminders.select_related("task").order_by("due_at")


def reminders_open(*, user: User) -> tuple[list[Reminder], list[Reminder]]:
    """Scheduled reminders split into (due now, upcoming), each with its application's posting."""
    now = timezone.now()
    scheduled = (
        Reminder.objects.filter(owner=user, status=Reminder.Status.SCHEDULED, application__deleted_at__isnull=True)
        .select_related("application__posting", "task")
        .order_by("due_at", "id")
    )
    due, upcoming = [], []
    for reminder in scheduled:
        (due if reminder.due_at <= now else upcoming).append(reminder)
    return due, upcoming


def notifications_recent(*, user: User, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def cv_versions(*, user: User) -> QuerySet[CVDocument]:
    return CVDocument.objects.filter(owner=user).defer("text", "parsed").order_by("-version")


def postings_without_application(*, user: User) -> QuerySet[JobPosting]:
    return JobPosting.objects.filter(owner=user, applications__isnull=True).order_by("-created_at")
