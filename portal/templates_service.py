"""Board templates (issue 13, item 4): the stages a member's board shows, the tasks every member starts with and the
reminder cadence, written once by the programme and applied to many members at a time.

Applying is bulk: one template to 2,000 members is a handful of statements in one transaction (the members' ids,
an upsert of assignments, the tasks already there, inserts of the new tasks and an upsert of the profiles), never a
save per member. The board itself stays in tracking, which never imports portal: applying writes the member's
``tracking.CandidateProfile.board_stages`` and the board reads it (tracking/selectors.py::board_for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from portal.audience import active_members_visible, require_programme_staff
from portal.models import BoardTemplate, CoachTask, TemplateAssignment
from tracking.models import CandidateProfile, Stage

# Every application starts in one of these: a board without them could not show a new card.
STAGES_ALWAYS_SHOWN = (Stage.SAVED, Stage.APPLIED)
MAX_DEFAULT_TASKS = 30
MAX_DUE_IN_DAYS = 365
TASK_TITLE_MAX_LENGTH = CoachTask._meta.get_field("title").max_length
# Rows per INSERT when applying: 2,000 members x 5 tasks is 10 statements, each small enough to plan quickly.
APPLY_BATCH_SIZE = 1000
# The reminder cadence a template may set: the same bounds as a seeker's own profile (tracking/api/profile.py).
FOLLOW_UP_AFTER_APPLIED_DAYS = (1, 90)
FOLLOW_UP_AFTER_INTERVIEW_DAYS = (1, 30)

# After the "|": the number of days, with any words around it ("due in 3 days", "in 3 Tagen", "3").
_DUE_IN_DAYS_RE = re.compile(r"^[^\d-]*?(\d+)[^\d]*$")


@dataclass(frozen=True)
class TemplateFields:
    """A template as the programme wrote it, already checked (see :func:`template_fields_check`)."""

    name: str
    description: str
    stages: list[str]
    default_tasks: list[dict]
    follow_up_after_applied_days: int
    follow_up_after_interview_days: int


@dataclass(frozen=True)
class ApplySummary:
    members: int
    tasks_created: int
    tasks_already_there: int

    def message(self, template: BoardTemplate) -> str:
        applied = ngettext(
            "Applied “%(template)s” to %(count)d member.",
            "Applied “%(template)s” to %(count)d members.",
            self.members,
        ) % {"template": template.name, "count": self.members}
        created = ngettext(
            "%(count)d task created.",
            "%(count)d tasks created.",
            self.tasks_created,
        ) % {"count": self.tasks_created}
        if not self.tasks_already_there:
            return f"{applied} {created}"
        kept = ngettext(
            "%(count)d task was already there and was not repeated.",
            "%(count)d tasks were already there and were not repeated.",
            self.tasks_already_there,
        ) % {"count": self.tasks_already_there}
        return f"{applied} {created} {kept}"


# ---------------------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------------------
def default_tasks_parse(text: str) -> list[dict]:
    """One task a line, "title | due in N days" (any words around the number; no "|": no due date). Raises
    ValidationError with one message per bad line, each naming its line number, so nothing is half-read."""
    tasks: list[dict] = []
    errors: list[str] = []
    titles_seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        title, separator, due = line.rpartition("|") if "|" in line else (line, "", "")
        title = " ".join(title.split())
        due_in_days = None
        if not title:
            errors.append(_("Line %(line)d: the task has no title before the “|”.") % {"line": number})
            continue
        if len(title) > TASK_TITLE_MAX_LENGTH:
            errors.append(
                _("Line %(line)d: a task's title is at most %(max)d characters.")
                % {"line": number, "max": TASK_TITLE_MAX_LENGTH}
            )
            continue
        if separator:
            match = _DUE_IN_DAYS_RE.match(due.strip())
            if match is None:
                errors.append(
                    _(
                        "Line %(line)d (“%(text)s”): after the “|”, write in how many days the task is due, "
                        "e.g. “Update your CV | due in 3 days”."
                    )
                    % {"line": number, "text": line}
                )
                continue
            due_in_days = int(match.group(1))
            if due_in_days > MAX_DUE_IN_DAYS:
                errors.append(
                    _("Line %(line)d: a task can be due in at most %(max)d days.")
                    % {"line": number, "max": MAX_DUE_IN_DAYS}
                )
                continue
        if title.casefold() in titles_seen:
            errors.append(
                _("Line %(line)d: “%(title)s” is already a task of this template.") % {"line": number, "title": title}
            )
            continue
        titles_seen.add(title.casefold())
        tasks.append({"title": title, "due_in_days": due_in_days})
    if len(tasks) > MAX_DEFAULT_TASKS:
        errors.append(_("A template has at most %(max)d tasks.") % {"max": MAX_DEFAULT_TASKS})
    if errors:
        raise ValidationError(errors)
    return tasks


def default_tasks_text(tasks: list[dict]) -> str:
    """The tasks as the form's text, one a line, which :func:`default_tasks_parse` reads back."""
    lines = []
    for task in tasks:
        days = task.get("due_in_days")
        if days is None:
            lines.append(task["title"])
        else:
            due = ngettext("due in %(days)d day", "due in %(days)d days", days) % {"days": days}
            lines.append(f"{task['title']} | {due}")
    return "\n".join(lines)


def stages_check(stages: list[str]) -> list[str]:
    """The chosen stages in Stage order; Saved and Applied are required."""
    chosen = set(stages)
    unknown = chosen - set(Stage.values)
    if unknown:
        raise ValidationError(_("Unknown stage: %(stage)s.") % {"stage": ", ".join(sorted(unknown))})
    missing = [Stage(stage).label for stage in STAGES_ALWAYS_SHOWN if stage not in chosen]
    if missing:
        raise ValidationError(
            _("%(stages)s always stay on the board: every application starts there.")
            % {"stages": " · ".join(str(label) for label in missing)}
        )
    return [stage for stage in Stage.values if stage in chosen]


def template_fields_check(fields: TemplateFields) -> None:
    errors: dict[str, list[str]] = {}
    if not fields.name.strip():
        errors["name"] = [_("Give the template a name.")]
    try:
        stages_check(fields.stages)
    except ValidationError as error:
        errors["stages"] = error.messages
    for field_name, (low, high) in (
        ("follow_up_after_applied_days", FOLLOW_UP_AFTER_APPLIED_DAYS),
        ("follow_up_after_interview_days", FOLLOW_UP_AFTER_INTERVIEW_DAYS),
    ):
        if not low <= getattr(fields, field_name) <= high:
            errors[field_name] = [_("Between %(low)d and %(high)d days.") % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------------------------------
def template_save(*, actor: User, fields: TemplateFields, template: BoardTemplate | None = None) -> BoardTemplate:
    """Creates a template, or changes ``template``. Members it was applied to keep what they got until it is
    applied again (their tasks are theirs; a changed cadence would surprise them mid-search)."""
    require_programme_staff(actor)
    template_fields_check(fields)
    template = template or BoardTemplate(created_by=actor)
    template.name = fields.name.strip()
    template.description = fields.description.strip()
    template.stages = stages_check(fields.stages)
    template.default_tasks = fields.default_tasks
    template.follow_up_after_applied_days = fields.follow_up_after_applied_days
    template.follow_up_after_interview_days = fields.follow_up_after_interview_days
    template.save()
    return template


@transaction.atomic
def template_delete(*, actor: User, template: BoardTemplate) -> None:
    """Deletes the template; the boards of the members who had it show every stage again. Their tasks and reminder
    cadence stay as they are (the tasks keep their titles; only the link to the template goes)."""
    require_programme_staff(actor)
    assigned = TemplateAssignment.objects.filter(template=template).values("member_id")
    CandidateProfile.objects.filter(user_id__in=assigned).update(board_stages=[])
    template.delete()


def template_apply(
    *, actor: User, template: BoardTemplate, members: QuerySet[User], today: date | None = None
) -> ApplySummary:
    """Applies ``template`` to the active ``members`` that ``actor`` reaches, in one transaction: the template becomes
    their board's (the latest applied wins), each gets the template's tasks (due ``today`` + N days) except those
    they already have from this template (so applying twice repeats nothing), and their reminder cadence and board
    stages become the template's (profiles are created where missing, as ``tracking.services.profile_for`` would).

    Set-based: one UPDATE each for the assignments and profiles members already have, and inserts (one statement per
    APPLY_BATCH_SIZE rows) only for what is new, whatever the number of members."""
    require_programme_staff(actor)
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        # Serialises two applications of the same template, so neither misses the other's tasks.
        template = BoardTemplate.objects.select_for_update().get(pk=template.pk)
        reached = active_members_visible(actor).filter(pk__in=members.values("pk")).order_by("pk")
        rows = list(reached.values_list("pk", "board_template__id", "candidate_profile__id"))
        member_ids = [member_id for member_id, _assignment, _profile in rows]
        if not member_ids:
            return ApplySummary(members=0, tasks_created=0, tasks_already_there=0)

        followed = [member_id for member_id, assignment, _profile in rows if assignment is not None]
        if followed:
            TemplateAssignment.objects.filter(member_id__in=followed).update(template=template, applied_at=now)
        TemplateAssignment.objects.bulk_create(
            [
                TemplateAssignment(member_id=member_id, template=template, applied_at=now)
                for member_id, assignment, _profile in rows
                if assignment is None
            ],
            update_conflicts=True,  # a concurrent application to the same member: this one, the latest, wins
            unique_fields=["member"],
            update_fields=["template", "applied_at"],
            batch_size=APPLY_BATCH_SIZE,
        )
        tasks_created, tasks_already_there = _default_tasks_create(
            actor=actor, template=template, member_ids=member_ids, today=today
        )
        cadence = {
            "follow_up_after_applied_days": template.follow_up_after_applied_days,
            "follow_up_after_interview_days": template.follow_up_after_interview_days,
            "board_stages": template.stages,
        }
        with_profile = [member_id for member_id, _assignment, profile in rows if profile is not None]
        if with_profile:
            CandidateProfile.objects.filter(user_id__in=with_profile).update(**cadence)
        CandidateProfile.objects.bulk_create(
            [
                CandidateProfile(user_id=member_id, **cadence)
                for member_id, _assignment, profile in rows
                if profile is None
            ],
            update_conflicts=True,  # a profile made meanwhile (the member's first visit) gets the cadence too
            unique_fields=["user"],
            update_fields=list(cadence),
            batch_size=APPLY_BATCH_SIZE,
        )
    return ApplySummary(members=len(member_ids), tasks_created=tasks_created, tasks_already_there=tasks_already_there)


# Every (member, task) pair of the template that the member does not already have from it, in one statement: the
# ORM has no INSERT ... SELECT, and building 10,000 CoachTask objects for bulk_create took two thirds of applying a
# template to 2,000 members.
_DEFAULT_TASKS_INSERT = """
    INSERT INTO {table} (member_id, author_id, title, due_on, done_at, template_id, created_at)
    SELECT member.id, %s, task.title, task.due_on, NULL, %s, %s
    FROM unnest(%s::bigint[]) AS member (id)
    CROSS JOIN unnest(%s::text[], %s::date[]) AS task (title, due_on)
    WHERE NOT EXISTS (
        SELECT 1 FROM {table} AS given
        WHERE given.member_id = member.id AND given.template_id = %s AND given.title = task.title
    )
"""


def _default_tasks_create(
    *, actor: User, template: BoardTemplate, member_ids: list[int], today: date
) -> tuple[int, int]:
    """Creates the template's tasks the members lack; returns (created, already there)."""
    tasks = template.default_tasks
    if not tasks:
        return 0, 0
    titles = [task["title"] for task in tasks]
    due_dates = [
        None if task.get("due_in_days") is None else today + timedelta(days=task["due_in_days"]) for task in tasks
    ]
    statement = _DEFAULT_TASKS_INSERT.format(table=connection.ops.quote_name(CoachTask._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(statement, [actor.pk, template.pk, timezone.now(), member_ids, titles, due_dates, template.pk])
        created = cursor.rowcount
    return created, len(member_ids) * len(tasks) - created


# ---------------------------------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------------------------------
def template_list() -> QuerySet[BoardTemplate]:
    """Every template with how many members follow it."""
    return BoardTemplate.objects.annotate(members_count=Count("assignments")).order_by("name", "pk")
