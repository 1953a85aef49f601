"""Announcements (issue 13, item 4): the programme writes to every member or to one cohort; members read them on
the portal's front page, where the ones shown are marked read."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from portal.audience import require_programme_staff
from portal.models import Announcement, AnnouncementRead, Cohort, Membership

# A member's front page shows their unread announcements first, then the latest read ones, this many in all.
MEMBER_ANNOUNCEMENTS_SHOWN = 20


def announcement_publish(*, actor: User, title: str, body: str, cohort: Cohort | None = None) -> Announcement:
    """Publishes now to every member (no cohort) or to the members of ``cohort``."""
    require_programme_staff(actor)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the announcement a title.")]
    if not body.strip():
        errors["body"] = [_("Write the message.")]
    if errors:
        raise ValidationError(errors)
    return Announcement.objects.create(title=title.strip(), body=body.strip(), cohort=cohort, author=actor)


def announcement_delete(*, actor: User, announcement: Announcement) -> None:
    require_programme_staff(actor)
    announcement.delete()


def announcement_list() -> QuerySet[Announcement]:
    """Every announcement, newest first, with its author, cohort and how many members have read it."""
    return Announcement.objects.select_related("author", "cohort").annotate(read_count=Count("reads"))


def announcements_for_member(member: User) -> QuerySet[Announcement]:
    """The announcements ``member`` receives (to every member, or to their cohort), each with ``was_read``."""
    their_cohort = Membership.objects.filter(user=member, cohort__isnull=False).values("cohort_id")
    return (
        Announcement.objects.filter(Q(cohort__isnull=True) | Q(cohort__in=their_cohort))
        .filter(published_at__lte=timezone.now())
        .annotate(was_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), member=member)))
    )


def announcements_for_member_shown(member: User) -> list[Announcement]:
    """Unread first, then the newest; the unread ones among them are marked read (they keep ``was_read`` False for
    this showing, so the page can say which are new)."""
    shown = list(
        announcements_for_member(member)
        .select_related("author")
        .order_by("was_read", "-published_at", "-pk")[:MEMBER_ANNOUNCEMENTS_SHOWN]
    )
    unread = [announcement for announcement in shown if not announcement.was_read]
    if unread:
        AnnouncementRead.objects.bulk_create(
            [AnnouncementRead(announcement=announcement, member=member) for announcement in unread],
            ignore_conflicts=True,
        )
    return shown
