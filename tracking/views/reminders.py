"""Reminders (due and upcoming, snooze, turn off) and in-app notifications (mark read)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from tracking import reminders as reminder_services
from tracking import services
from tracking.forms import SnoozeForm
from tracking.models import Notification, Reminder
from tracking.selectors import notifications_recent, owned, reminders_open
from tracking.views._common import back


@login_required
@require_GET
def reminders_page(request: HttpRequest) -> HttpResponse:
    due, upcoming = reminders_open(user=request.user)
    notifications = notifications_recent(user=request.user)
    context = {
        "due": due,
        "upcoming": upcoming,
        "notifications": notifications,
        "unread_count": sum(1 for notification in notifications if notification.read_at is None),
        "snooze_form": SnoozeForm(),
    }
    return render(request, "tracking/reminders.html", context)


@login_required
@require_POST
def reminder_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = owned(Reminder, user=request.user, pk=pk)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["days"]
        reminder_services.reminder_snooze(reminder=reminder, days=days)
        messages.success(
            request, ngettext("Snoozed for %(days)d day.", "Snoozed for %(days)d days.", days) % {"days": days}
        )
    else:
        messages.error(request, _("Choose how long to snooze the reminder."))
    return back(request, reminder.application)


@login_required
@require_POST
def reminder_turn_off(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = owned(Reminder, user=request.user, pk=pk)
    reminder_services.reminder_turn_off(reminder=reminder)
    messages.success(request, _("Reminder turned off."))
    return back(request, reminder.application)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = owned(Notification, user=request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "tracking/_notification.html", {"notification": notification})
    return redirect("tracking:reminders")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("tracking:reminders")
