"""Preview and commit of a CSV import (the contract is in tracking/io/__init__.py)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
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
    PATH_FROM_APPLIED,
    PREVIEW_TTL_S,
    STAGE_ALIASES,
    date_order_detect,
)
from tracking.io.reading import ImportFileError, _cell, _decode, _map_columns, _records, _row_read, _stated_stages
from tracking.models import Application, Reminder, Stage
from tracking.services import application_create, application_move, note_add, posting_create


class ImportNotFound(Exception):
    """No preview under this token for this user: never made, expired, or someone else's."""


class ImportAlreadyDone(Exception):
    def __init__(self, imported: int) -> None:
        super().__init__(imported)
        self.imported = imported


@dataclass
class ImportPreview:
    token: str
    rows: list[dict]
    stages: list[dict]
    notes: list[str]
    columns: dict[str, str]
    ignored_columns: list[str]

    @property
    def errors(self) -> list[dict]:
        return [{"row": row["row"], **issue} for row in self.rows for issue in row["errors"]]

    @property
    def importable_count(self) -> int:
        return sum(1 for row in self.rows if not row["errors"])


@dataclass
class ImportResult:
    imported: int
    skipped: list[dict] = field(default_factory=list)


def _row_date(row: dict, today: date) -> date:
    return date.fromisoformat(row["applied_on"] or row["saved_on"] or today.isoformat())


def _stage_of(row: dict, stages: Mapping[str, str]) -> str:
    stage = stages.get(row["stage_key"], "")
    if stage == AUTO:
        return Stage.APPLIED if row["applied_on"] else Stage.SAVED
    return stage


def _stage_errors(row: dict, stage: str, stage_column: str) -> list[dict]:
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


def _duplicate_key(company: str, title: str, applied_on: str | None) -> tuple[str, str, str | None]:
    return company.casefold(), title.casefold(), applied_on


def _existing_keys(user: User) -> set[tuple[str, str, str | None]]:
    rows = Application.objects.filter(owner=user).values_list("posting__company", "posting__title", "applied_at")
    return {_duplicate_key(company, title, at.date().isoformat() if at else None) for company, title, at in rows}


# ---------------------------------------------------------------------------------------------------------------------
# Preview and commit
# ---------------------------------------------------------------------------------------------------------------------
def _preview_key(user: User, token: str) -> str:
    return f"tracking:io:import:{user.pk}:{token}"


def _done_key(user: User, token: str) -> str:
    return f"tracking:io:imported:{user.pk}:{token}"


def import_preview(*, user: User, data: bytes, language: str, currency: str, date_order: str = AUTO) -> ImportPreview:
    """Parses an upload and stores the parsed rows for ``import_commit``. Writes nothing to the database.

    ``date_order`` is "dmy", "mdy" or AUTO (from the file's unambiguous dates, else from ``language``).
    Raises ImportFileError when the file as a whole cannot be read.
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

    seen = _existing_keys(user)
    first_row_of: dict[tuple, int] = {}
    for row in rows:
        row["errors"] += _stage_errors(row, _stage_of(row, stage_choice), stage_column)
        key = _duplicate_key(row["company"], row["title"], row["applied_on"])
        if key in seen:
            row["errors"].append({"column": "", "reason": _("Already in your tracker (same company, title and date).")})
        elif key in first_row_of:
            row["errors"].append({"column": "", "reason": _("Same as row %(row)s.") % {"row": first_row_of[key]}})
        first_row_of.setdefault(key, row["row"])

    token = secrets.token_urlsafe(24)
    stored = {"rows": rows, "stages": list(stages.values()), "stage_column": stage_column}
    cache.set(_preview_key(user, token), stored, timeout=PREVIEW_TTL_S)
    for row in rows:
        row["stage"] = _stage_of(row, stage_choice)
        row["date"] = _row_date(row, ctx["today"])
        row["stage_label"] = Stage(row["stage"]).label if row["stage"] else ""
        row["channel_label"] = Application.Channel(row["channel"]).label
    return ImportPreview(
        token=token,
        rows=rows,
        stages=list(stages.values()),
        notes=notes,
        columns={name: header[index] for name, index in columns.items()},
        ignored_columns=ignored,
    )


def _at(day: date) -> datetime:
    """Noon on that day in the current time zone, so the date survives conversions; never after now."""
    return min(timezone.make_aware(datetime.combine(day, time(12))), timezone.now())


def _row_import(*, user: User, row: dict, stage: str, today: date) -> Application:
    posting = posting_create(
        owner=user,
        title=row["title"],
        company=row["company"],
        description=row["description"],
        url=row["url"],
        location=row["location"],
        salary_min=row["salary_min"],
        salary_max=row["salary_max"],
        salary_currency=row["salary_currency"],
        salary_period=row["salary_period"],
    )
    at = _at(_row_date(row, today))
    never_applied = stage == Stage.SAVED or (stage == Stage.WITHDRAWN and not row["applied_on"])
    application = application_create(
        owner=user,
        posting=posting,
        channel=row["channel"],
        stage=Stage.SAVED if never_applied else Stage.APPLIED,
        at=_at(date.fromisoformat(row["saved_on"] or row["applied_on"] or today.isoformat())) if never_applied else at,
    )
    path = (Stage.WITHDRAWN,) if never_applied and stage == Stage.WITHDRAWN else PATH_FROM_APPLIED[stage]
    for step in () if stage == Stage.SAVED else path:
        offer = (
            {"offer_amount": row["offer_amount"], "offer_currency": row["offer_currency"]} if step == "offer" else {}
        )
        application_move(application=application, to_stage=step, by=user, at=at, **offer)
    if row["notes"]:
        note_add(application=application, body=row["notes"])
    return application


def _plan_limit_check(*, user: User, adding: int) -> None:
    """Refuses the whole import up front when it would take the user past their plan's application limit, so a
    file is never half-imported; the message names the limit and how many rows would fit."""
    if not adding:
        return
    entitlement = entitlement_check(user=user, feature=Feature.TRACKING)
    if entitlement.limit is None:
        if not entitlement.allowed:
            raise EntitlementRequired(entitlement)
        return
    if adding > (entitlement.remaining or 0):
        message = _(
            "The %(plan)s plan tracks up to %(limit)s applications: you have %(used)s and this file adds %(adding)s. "
            "Import at most %(remaining)s rows, or upgrade to track more."
        ) % {
            "plan": entitlement.plan.name,
            "limit": entitlement.limit,
            "used": entitlement.used,
            "adding": adding,
            "remaining": entitlement.remaining,
        }
        raise EntitlementRequired(replace(entitlement, allowed=False, reason=message))


def import_commit(*, user: User, token: str, stage_choices: Mapping[str, str]) -> ImportResult:
    """Imports the preview's rows without errors, all in one transaction, and consumes the preview.

    ``stage_choices`` maps a status's index in the preview's ``stages`` to a stage value, AUTO or "" (skip those
    rows). Raises ImportNotFound for an unknown token, ImportAlreadyDone for a consumed one, and ValidationError (with
    the row number) when a service refuses a row, in which case nothing is imported and the preview stays usable.
    A file that would take the user past their plan's application limit is refused as a whole, before any row is
    written (billing.gating.EntitlementRequired, a ValidationError).
    """
    require_tenant_schema()
    key = _preview_key(user, token)
    stored = cache.get(key) if token else None
    if stored is None:
        done = cache.get(_done_key(user, token)) if token else None
        if done is not None:
            raise ImportAlreadyDone(done)
        raise ImportNotFound
    allowed = {"", AUTO, *Stage.values}
    stages = {}
    for index, entry in enumerate(stored["stages"]):
        choice = stage_choices.get(str(index), entry["stage"])
        if choice not in allowed or (choice == AUTO and entry["key"]):
            raise ValidationError(_("Choose a stage from the list."))
        stages[entry["key"]] = choice
    today = timezone.localdate()
    result = ImportResult(imported=0)
    with transaction.atomic():
        seen = _existing_keys(user)
        ready: list[tuple[dict, str]] = []
        for row in stored["rows"]:
            stage = _stage_of(row, stages)
            errors = [
                *(issue for issue in row["errors"] if issue["column"] != stored["stage_column"]),
                *_stage_errors(row, stage, stored["stage_column"]),
            ]
            if not errors and _duplicate_key(row["company"], row["title"], row["applied_on"]) in seen:
                errors.append({"column": "", "reason": _("Already in your tracker (same company, title and date).")})
            if errors:
                result.skipped.append({"row": row["row"], "company": row["company"], "errors": errors})
            else:
                ready.append((row, stage))
        _plan_limit_check(user=user, adding=len(ready))
        imported: list[int] = []
        for row, stage in ready:
            try:
                imported.append(_row_import(user=user, row=row, stage=stage, today=today).pk)
            except ValidationError as exc:
                messages = "; ".join(exc.messages)
                raise ValidationError(
                    _("Row %(row)s could not be imported: %(reason)s") % {"row": row["row"], "reason": messages}
                ) from exc
        # Imported history is not news: follow-ups already due would all fire at once for old applications.
        Reminder.objects.filter(
            application_id__in=imported, status=Reminder.Status.SCHEDULED, due_at__lt=timezone.now()
        ).update(status=Reminder.Status.CANCELLED)
        result.imported = len(imported)
        if not cache.delete(key):
            raise ImportAlreadyDone(0)  # a concurrent confirm consumed it first: roll back ours
    cache.set(_done_key(user, token), result.imported, timeout=PREVIEW_TTL_S)
    return result


def stage_choices_from(post: Mapping[str, str]) -> dict[str, str]:
    return {name.removeprefix("stage_"): value for name, value in post.items() if name.startswith("stage_")}
