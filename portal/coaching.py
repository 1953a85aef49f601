"""What the coach's workspace reads about one member (issue 13, item 3): what they share, what of their own data a
coach may read, the notes coaches keep about them and the tasks set for them. The member list and each member's
figures (stage counts, last activity, flags) are in portal/member_figures.py.

Callers have checked ``access.member_get`` / ``access.shared_with`` first: these functions read what they are given.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from portal import access
from portal.models import CoachNote, CoachTask
from tracking.models import CVDocument
from tracking.selectors import contact_list, note_list, task_list

DONE_TASKS_SHOWN = 20


def sharing_sentence(member: User, shared: access.Shared) -> str:
    """ "Morgan shares applications and CV, not notes." — one whole sentence per combination, for translators."""
    sentences = {
        (True, True, True): _("%(name)s shares applications, CV and notes."),
        (True, True, False): _("%(name)s shares applications and CV, not notes."),
        (True, False, True): _("%(name)s shares applications and notes, not the CV."),
        (True, False, False): _("%(name)s shares applications, not the CV or notes."),
        (False, True, True): _("%(name)s shares the CV and notes, not applications."),
        (False, True, False): _("%(name)s shares the CV, not applications or notes."),
        (False, False, True): _("%(name)s shares notes, not applications or the CV."),
        (False, False, False): _("%(name)s shares nothing: applications, CV and notes are private."),
    }
    return sentences[(shared.applications, shared.cv, shared.notes)] % {"name": member.get_short_name()}


# ---------------------------------------------------------------------------------------------------------------------
# What of a member's own data a coach reads. Callers have checked access.shared_with first.
# ---------------------------------------------------------------------------------------------------------------------
def latest_cv(member: User) -> CVDocument | None:
    """The member's latest CV version with what was read from it (not its extracted text); an unreadable upload is
    never the latest (tracking.cv.services.cv_latest)."""
    return (
        CVDocument.objects.filter(owner=member)
        .exclude(status=CVDocument.Status.UNREADABLE)
        .defer("text")
        .order_by("-version")
        .first()
    )


@dataclass
class MemberOwnNotes:
    notes: list
    contacts: list
    tasks: list


def member_own_notes(member: User, *, limit: int | None = None) -> MemberOwnNotes:
    """The member's application notes, contacts and tasks (newest notes first), each with its application's posting
    joined: three queries. ``limit`` caps each list."""

    def rows(queryset: QuerySet) -> list:
        queryset = queryset.select_related("application__posting")
        return list(queryset[:limit] if limit else queryset)

    return MemberOwnNotes(
        notes=rows(note_list(user=member)),
        contacts=rows(contact_list(user=member)),
        tasks=rows(task_list(user=member)),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Coach notes and tasks
# ---------------------------------------------------------------------------------------------------------------------
def coach_notes_for(member: User) -> QuerySet[CoachNote]:
    """Every coach note about `member`, newest first. Only for viewers who reach the member (never the member)."""
    return CoachNote.objects.filter(member=member).select_related("author").order_by("-created_at", "-pk")


@dataclass
class MemberTasks:
    open: list[CoachTask]
    done: list[CoachTask]


def member_tasks(member: User, *, done_limit: int = DONE_TASKS_SHOWN) -> MemberTasks:
    """The tasks set for `member` (by a coach, a template or themselves): open ones by due date (undated last), then
    the most recently done ones. Two queries. For the member's programme page and the coach's member page."""
    tasks = CoachTask.objects.filter(member=member).select_related("author")
    return MemberTasks(
        open=list(tasks.filter(done_at__isnull=True).order_by(F("due_on").asc(nulls_last=True), "created_at", "pk")),
        done=list(tasks.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:done_limit]),
    )
