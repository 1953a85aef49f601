"""Reads for the seeker's pages, each scoped to one user. To be merged into tracking/selectors.py.

Every lookup of an object by id goes through ``owned``: another user's object (in this tenant or, by schema, in any
other) is a 404 that does not confirm it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Model, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from tracking.models import (
    Application,
    ApplicationEvent,
    CVDocument,
    JobPosting,
    Notification,
    Reminder,
    Stage,
    Task,
)

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
}


def owned(model: type[Model], *, user: User, pk: int, queryset: QuerySet | None = None) -> Model:
    """The user's object with this id, or Http404."""
    base = queryset if queryset is not None else model._default_manager.all()
    return get_object_or_404(base.filter(**{OWNER_PATHS[model]: user}), pk=pk)


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

    @property
    def closed_count(self) -> int:
        return sum(column.count for column in self.closed)

    @property
    def total(self) -> int:
        return self.closed_count + sum(column.count for column in self.columns)


def board_for(*, user: User, show_all: str = "") -> Board:
    """The user's applications in stage columns, at most CARDS_PER_COLUMN each (all of ``show_all``'s stage), with
    each column's full count: one query (posting joined, counts and ranks from window functions)."""
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
    now = timezone.now()
    for application in applications:
        application.days_in_stage = max((now - application.stage_changed_at).days, 0)
        column = columns[application.stage]
        column.applications.append(application)
        column.count = application.stage_total
    return Board(
        columns=[columns[stage] for stage in OPEN_STAGES],
        closed=[columns[stage] for stage in CLOSED_STAGES],
    )


def application_for_page(*, user: User, pk: int) -> Application:
    queryset = Application.objects.select_related("posting", "cv")
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
        Reminder.objects.filter(owner=user, status=Reminder.Status.SCHEDULED)
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
