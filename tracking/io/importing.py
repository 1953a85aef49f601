"""Preview and confirmation of a CSV import (the contract is in tracking/io/__init__.py); the rows are imported in
the background by tracking/io/jobs.py."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.entitlements import entitlement_check
from billing.gating import EntitlementRequired
from billing.models import Feature
from tenants.context import require_tenant_schema
from tracking.io.formats import (
    AUTO,
    FIELD_LABELS,
    MAX_IMPORT_BYTES,
    PREVIEW_TTL_S,
    STAGE_ALIASES,
    date_order_detect,
)
from tracking.io.reading import ImportFileError, _cell, _decode, _map_columns, _records, _row_read, _stated_stages
from tracking.models import Application, ImportJob, Stage

FINISHED_KEPT = timedelta(days=30)


class ImportNotFound(Exception):
    """No preview under this token for this user: never made, expired, or someone else's."""


class ImportAlreadyConfirmed(Exception):
    """The preview was confirmed before (a second click, a second tab): its job is ``job``."""

    def __init__(self, job: ImportJob) -> None:
        super().__init__(job.pk)
        self.job = job


@dataclass(frozen=True)
class PlanRoom:
    """How many of a preview's rows the user's plan has room for, when that is fewer than the rows it would import:
    the page then offers to import the first ``remaining`` of them (``import_confirm(fit=True)``) instead."""

    plan: str
    limit: int
    used: int
    remaining: int
    organisation: str  # an organisation without a contract in force: nothing to buy


@dataclass
class ImportPreview:
    token: str
    rows: list[dict]
    stages: list[dict]
    notes: list[str]
    columns: dict[str, str]
    ignored_columns: list[str]
    plan_room: PlanRoom | None = None

    @property
    def errors(self) -> list[dict]:
        return [{"row": row["row"], **issue} for row in self.rows for issue in row["errors"]]

    @property
    def importable_count(self) -> int:
        return sum(1 for row in self.rows if not row["errors"])


def row_date(row: dict, today: date) -> date:
    return date.fromisoformat(row["applied_on"] or row["saved_on"] or today.isoformat())


def stage_of(row: dict, stages: Mapping[str, str]) -> str:
    stage = stages.get(row["stage_key"], "")
    if stage == AUTO:
        return Stage.APPLIED if row["applied_on"] else Stage.SAVED
    return stage


def stage_errors(row: dict, stage: str, stage_column: str) -> list[dict]:
    if not stage:
        return [
            {
                "column": stage_column,
                "reason": _("The status “%(value)s” is not one we know. Choose a stage for it, or the row is skipped.")
                % {"value": row["stage_raw"]},
            }
        ]
    if stage in (Stage.OFFER, Stage.ACCEPTED) and row["offer_amount"] is None:
        return [
            {
                "column": stage_column,
                "reason": _(
                    "An offer needs its amount: add an “Offer” column with the amount, or choose another stage."
                ),
            }
        ]
    return []


def duplicate_key(company: str, title: str, applied_on: str | None) -> tuple[str, str, str | None]:
    return company.casefold(), title.casefold(), applied_on


def existing_keys(user: User) -> set[tuple[str, str, str | None]]:
    rows = Application.objects.filter(owner=user).values_list("posting__company", "posting__title", "applied_at")
    return {duplicate_key(company, title, at.date().isoformat() if at else None) for company, title, at in rows}


# ---------------------------------------------------------------------------------------------------------------------
# Preview and confirmation
# ---------------------------------------------------------------------------------------------------------------------
def _previews_forget(user: User, now: datetime) -> None:
    """Forgets the user's previews that were never confirmed and have expired, and the summaries of their imports
    finished more than ``FINISHED_KEPT`` ago."""
    ImportJob.objects.filter(
        owner=user, state=ImportJob.State.PREVIEW, created_at__lt=now - timedelta(seconds=PREVIEW_TTL_S)
    ).delete()
    ImportJob.objects.filter(
        owner=user, state__in=(ImportJob.State.DONE, ImportJob.State.FAILED), finished_at__lt=now - FINISHED_KEPT
    ).delete()


def import_preview(*, user: User, data: bytes, language: str, currency: str, date_order: str = AUTO) -> ImportPreview:
    """Parses an upload and keeps the parsed rows for ``import_confirm`` in an ImportJob row (state "preview"), in
    PostgreSQL so that the preview works while Redis is down. Writes nothing else.

    ``date_order`` is "dmy", "mdy" or AUTO (from the file's unambiguous dates, else from ``language``, which is also
    the language the background job writes its report in). Raises ImportFileError when the file as a whole cannot
    be read.
    """
    require_tenant_schema()
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB. Split it into smaller files."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    _header_row, header, records = _records(_decode(data))
    columns, ignored = _map_columns(header)
    notes: list[str] = []
    date_cells = [_cell(cells, columns, name) for _n, cells in records for name in ("applied_on", "saved_on")]
    order, reason = date_order_detect(date_cells, language=language, chosen=date_order)
    if reason:
        notes.append(reason)
    ctx = {"date_order": order, "today": timezone.localdate(), "currency": currency, "currency_assumed": False}
    rows = [_row_read(number, cells, columns, header, ctx) for number, cells in records]
    if ctx["currency_assumed"]:
        notes.append(_("Salaries without a currency were read as %(currency)s.") % {"currency": currency})

    stages: dict[str, dict] = {}
    stated = _stated_stages()
    for row in rows:
        entry = stages.setdefault(row["stage_key"], {"key": row["stage_key"], "raw": row["stage_raw"], "rows": 0})
        entry["rows"] += 1
    for entry in stages.values():
        key = entry["key"]
        entry["inferred"] = key not in stated
        entry["stage"] = AUTO if not key else stated.get(key) or STAGE_ALIASES.get(key, "")
    stage_choice = {key: entry["stage"] for key, entry in stages.items()}
    stage_column = header[columns["stage"]] if "stage" in columns else str(FIELD_LABELS["stage"])

    seen = existing_keys(user)
    first_row_of: dict[tuple, int] = {}
    for row in rows:
        row["errors"] += stage_errors(row, stage_of(row, stage_choice), stage_column)
        key = duplicate_key(row["company"], row["title"], row["applied_on"])
        if key in seen:
            row["errors"].append({"column": "", "reason": _("Already in your tracker (same company, title and date).")})
        elif key in first_row_of:
            row["errors"].append({"column": "", "reason": _("Same as row %(row)s.") % {"row": first_row_of[key]}})
        first_row_of.setdefault(key, row["row"])

    token = secrets.token_urlsafe(24)
    now = timezone.now()
    _previews_forget(user, now)
    # Saved before the display-only fields below are added to the rows (they are not JSON).
    ImportJob.objects.create(
        owner=user,
        token=token,
        language=language[:10],
        rows=rows,
        stages=list(stages.values()),
        stage_column=stage_column,
        total_rows=len(rows),
    )
    for row in rows:
        row["stage"] = stage_of(row, stage_choice)
        row["date"] = row_date(row, ctx["today"])
        row["stage_label"] = Stage(row["stage"]).label if row["stage"] else ""
        row["channel_label"] = Application.Channel(row["channel"]).label
    preview = ImportPreview(
        token=token,
        rows=rows,
        stages=list(stages.values()),
        notes=notes,
        columns={name: header[index] for name, index in columns.items()},
        ignored_columns=ignored,
    )
    preview.plan_room = plan_room_for(user=user, adding=preview.importable_count)
    if preview.plan_room is not None:  # the rows "import what fits" leaves out, as the stages stand now
        room = preview.plan_room.remaining
        for row in rows:
            if not row["errors"]:
                row["over_limit"] = room <= 0
                room -= 1
    return preview


def plan_room_for(*, user: User, adding: int) -> PlanRoom | None:
    """The plan's room when ``adding`` rows would take the user past their application limit, else None."""
    if not adding:
        return None
    entitlement = entitlement_check(user=user, feature=Feature.TRACKING)
    if entitlement.limit is None or adding <= (entitlement.remaining or 0):
        return None
    return PlanRoom(
        plan=entitlement.plan.name,
        limit=entitlement.limit,
        used=entitlement.used or 0,
        remaining=entitlement.remaining or 0,
        organisation=entitlement.plan.organisation,
    )


def plan_limit_check(*, user: User, adding: int) -> None:
    """Refuses the whole import up front when it would take the user past their plan's application limit, so such a
    file is not started only to stop half-way; the message names the limit and how many rows would fit."""
    if not adding:
        return
    entitlement = entitlement_check(user=user, feature=Feature.TRACKING)
    if entitlement.limit is None:
        if not entitlement.allowed:
            raise EntitlementRequired(entitlement)
        return
    if adding > (entitlement.remaining or 0):
        if entitlement.plan.organisation:  # an organisation without a contract in force: nothing to buy here
            message = _(
                "Your organisation has no active contract, so you can track up to %(limit)s applications: you have "
                "%(used)s and this file adds %(adding)s. Import at most %(remaining)s rows."
            )
        else:
            message = _(
                "The %(plan)s plan tracks up to %(limit)s applications: you have %(used)s and this file adds "
                "%(adding)s. Import at most %(remaining)s rows, or upgrade to track more."
            )
        values = {
            "plan": entitlement.plan.name,
            "limit": entitlement.limit,
            "used": entitlement.used,
            "adding": adding,
            "remaining": entitlement.remaining,
        }
        raise EntitlementRequired(replace(entitlement, allowed=False, reason=message % values))


def stage_choices_from(post: Mapping[str, str]) -> dict[str, str]:
    return {name.removeprefix("stage_"): value for name, value in post.items() if name.startswith("stage_")}
