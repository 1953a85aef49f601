"""How far each application got, kept on the application (tracking.models.REACH_FIELDS).

``application_move`` (tracking/services.py) sets a field the first time an application reaches its stage or a later
one, in the same save as the move. Rows written in bulk without the services (the portal's demo organisations, the
benchmarks' seeding) and rows from before the fields existed are brought up to date from their event history by
``applications_reach_refresh``: one UPDATE for any number of applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection

from tenants.context import require_tenant_schema
from tracking.models import REACH_FIELDS, Application


def reach_on_move(application: Application, to_stage: str, at: datetime) -> None:
    """Sets, on the (unsaved) application, each reach field that this move reaches for the first time."""
    for field, stages in REACH_FIELDS.items():
        if to_stage in stages and getattr(application, field) is None:
            setattr(application, field, at)


def reach_refresh_sql(where: str = "") -> str:
    """The UPDATE that sets every reach field from the event history (first event to one of its stages); `where`
    narrows the applications (SQL on ``application``). Also used by the migration that added the fields."""
    firsts = ", ".join(
        f"MIN(occurred_at) FILTER (WHERE to_stage IN ({', '.join(repr(str(stage)) for stage in sorted(stages))}))"
        f" AS {field}"
        for field, stages in REACH_FIELDS.items()
    )
    assignments = ", ".join(f"{field} = reach.{field}" for field in REACH_FIELDS)
    return (
        f"UPDATE tracking_application AS application SET {assignments} "  # noqa: S608 - fixed text
        f"FROM (SELECT application_id, {firsts} FROM tracking_applicationevent GROUP BY application_id) AS reach "
        f"WHERE reach.application_id = application.id {where}"
    )


def applications_reach_refresh(owner_ids: Iterable[int] | None = None) -> int:
    """Recomputes the reach fields from the events of the applications of `owner_ids` (every application if None),
    in this tenant's schema; returns how many applications it updated."""
    require_tenant_schema()
    params: list = []
    where = ""
    if owner_ids is not None:
        where, params = "AND application.owner_id = ANY(%s)", [list(owner_ids)]
    with connection.cursor() as cursor:
        cursor.execute(reach_refresh_sql(where), params)
        return cursor.rowcount
