"""The count of unread notifications for the nav, on tenant hosts only (the public schema has no such table)."""

from __future__ import annotations

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or getattr(tenant, "kind", "public") == "public":
        return {}

    def unread_notifications_count() -> int:
        # Called by the template only where the nav shows it: one COUNT query per page, none on pages without a nav.
        from tracking.selectors import notifications_unread_count

        return notifications_unread_count(user=user)

    return {"unread_notifications_count": unread_notifications_count}
