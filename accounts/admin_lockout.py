"""Staff unlock locked accounts and addresses here: django-axes' failed sign-in attempts, with an "unlock" action.
The account column reads ``<schema>:<email>`` (tenant users), ``public:<email>`` (staff) or
``licensee-key:<prefix>`` (accounts/lockout.py)."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@admin.register(AccessAttempt)
class LockoutAttemptAdmin(AccessAttemptAdmin):
    # The account and its failure count first: what staff need to decide on an unlock (the browser's user agent
    # stays on the detail page).
    list_display = ("username", "failures_since_start", "ip_address", "attempt_time", "path_info")
    search_fields = ("username", "ip_address")
    actions = ["unlock"]

    @admin.action(description=_("Unlock: forget these failed attempts"), permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        count, _deleted = queryset.delete()
        self.message_user(
            request,
            ngettext("%(count)d attempt forgotten: unlocked.", "%(count)d attempts forgotten: unlocked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
