"""Reads for interviews. The caller has already scoped the application to its owner (tracking.selectors.owned)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from accounts.models import User
from tracking.models import Application, ApplicationEvent, Interview


def interviews_for_application(*, application: Application) -> list[Interview]:
    """Every interview of the application, cancelled ones too, soonest first, with the contacts taking part."""
    return list(application.interviews.prefetch_related("contacts").order_by("starts_at", "id"))


def interview_for_calendar(*, user: User, pk: int) -> Interview:
    """The user's interview with its posting and contacts, or Http404 for anyone else's."""
    from tracking.selectors import owned

    queryset = Interview.objects.select_related("application__posting").prefetch_related("contacts")
    return owned(Interview, user=user, pk=pk, queryset=queryset)


def last_time_zone(*, user: User) -> str:
    """The zone of the user's most recently scheduled interview, or "" when they have none: the form's default,
    since CVPlus stores no time zone for a user or a workspace."""
    return (
        Interview.objects.filter(application__owner=user)
        .order_by("-created_at", "-id")
        .values_list("time_zone", flat=True)
        .first()
        or ""
    )


def _moment(entry: ApplicationEvent | Interview) -> datetime:
    return entry.starts_at if isinstance(entry, Interview) else entry.occurred_at


def timeline_with_interviews(
    events: Iterable[ApplicationEvent], interviews: Iterable[Interview]
) -> list[ApplicationEvent | Interview]:
    """The application's stage moves and its interviews in one history, in the order they happened (an interview at
    its start); an interview and a move at the same moment keep the move first."""
    entries: list[ApplicationEvent | Interview] = [*events, *interviews]
    return sorted(entries, key=lambda entry: (_moment(entry), isinstance(entry, Interview)))
