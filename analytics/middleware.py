"""Page views of the main pages as analytics events (page.viewed): which page, by whom (an id), when; never the URL's
ids or query. Only full page loads that succeeded (a GET answered 200, not an htmx fragment) of a signed-in user on a
tenant's host count, so that engagement is people looking at their work, not polling or crawlers. The view is
buffered in Redis and written by the rollups' advance (analytics/pageviews.py), so the page pays one RPUSH."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

from analytics.pageviews import page_view_record

logger = logging.getLogger(__name__)

# URL name -> the page's category in the rollups.
MAIN_PAGES = {
    "tracking:board": "board",
    "tracking:application": "application",
    "tracking:cv": "cv",
    "tracking:reminders": "reminders",
    "tracking:profile": "profile",
    "insights:page": "insights",
    "portal:home": "portal",
    "portal:members": "portal.members",
    "portal:member": "portal.member",
    "portal:outcomes": "portal.outcomes",
    "portal:dashboard": "portal.dashboard",
}


class PageViewMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        page = self._page(request, response)
        if page is not None:
            try:  # after the view's work (without Redis, one INSERT in autocommit): a failure touches nothing of it
                page_view_record(page=page, actor_id=request.user.pk)
            except DatabaseError:
                logger.exception("Could not record a page view; the page was served")
        return response

    @staticmethod
    def _page(request: HttpRequest, response: HttpResponse) -> str | None:
        if request.method != "GET" or response.status_code != 200 or getattr(request, "htmx", False):
            return None
        match = getattr(request, "resolver_match", None)
        page = MAIN_PAGES.get(match.view_name) if match is not None else None
        if page is None or connection.schema_name == "public":
            return None
        user = getattr(request, "user", None)
        return page if user is not None and user.is_authenticated else None
