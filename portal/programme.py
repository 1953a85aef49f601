"""Programme tools (issue 13, item 4) as a member meets them: what the portal's front page shows a member of their
programme, and what they do there (tick off a task, record an informational interview).

The programme's side lives in portal/templates_service.py (board templates), portal/goals.py (goals) and
portal/announcements.py (announcements); who an action reaches, in portal/audience.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from accounts.models import User
from portal.announcements import announcements_for_member_shown
from portal.coaching import member_tasks
from portal.goals import MemberGoal, member_goals
from portal.models import Announcement, CoachTask

# Done tasks shown below the open ones: the latest few.
MEMBER_DONE_TASKS_SHOWN = 10


@dataclass
class MemberProgramme:
    announcements: list[Announcement] = field(default_factory=list)
    goals: list[MemberGoal] = field(default_factory=list)
    tasks_open: list[CoachTask] = field(default_factory=list)
    tasks_done: list[CoachTask] = field(default_factory=list)

    @property
    def unread_count(self) -> int:
        return sum(1 for announcement in self.announcements if not announcement.was_read)

    @property
    def is_empty(self) -> bool:
        return not (self.announcements or self.goals or self.tasks_open or self.tasks_done)


def member_programme(member: User) -> MemberProgramme:
    """The member's announcements (unread first; those shown are marked read), their goals that have not ended with
    this period's progress, and their tasks (open ones by due date, then the latest done)."""
    tasks = member_tasks(member, done_limit=MEMBER_DONE_TASKS_SHOWN)
    return MemberProgramme(
        announcements=announcements_for_member_shown(member),
        goals=member_goals(member),
        tasks_open=tasks.open,
        tasks_done=tasks.done,
    )


def member_task_done(*, member: User, task_id: int, done: bool = True) -> CoachTask:
    """Marks one of the member's own tasks done (or open again). Another member's task is a 404."""
    task = CoachTask.objects.filter(pk=task_id, member=member).first()
    if task is None:
        raise Http404
    if done and task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
    elif not done and task.done_at is not None:
        task.done_at = None
        task.save(update_fields=["done_at"])
    return task
