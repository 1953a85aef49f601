"""Tracked outcomes of the current tenant, as plain rows: the thin ORM layer over the pure labels and features of
predictions.interview.features (the same InterviewInput is built for training and for serving)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from predictions.interview.features import (
    InterviewInput,
    OutcomeLabels,
    applied_at_of,
    match_features,
    outcome_labels,
    seniority_of,
)


# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutcomeRow:
    application_id: int
    owner_id: int
    applied_at: datetime
    labels: OutcomeLabels
    input: InterviewInput | None = None

    @property
    def interview_label(self) -> int | None:
        return self.labels.interview

    @property
    def offer_label(self) -> int | None:
        return self.labels.offer


def interview_input_for(application, *, applied_at: datetime | None = None, index=None) -> InterviewInput:
    """The InterviewInput of an Application loaded with `posting`, `cv` and `owner`. `applied_at` defaults to the
    application's; a saved one has no timing features (NaN), as nothing is known about when it will be sent. `index`:
    the keyword index for the match, when the caller has it at hand (predictions.match.service)."""
    from predictions.match.requirements import years_asked
    from predictions.match.service import application_match_for
    from tracking.cv_corrections import cv_parsed

    posting, cv = application.posting, application.cv
    match = application_match_for(user=application.owner, application=application, index=index)
    requirements = posting.requirements_current
    asked = (
        years_asked([str(v) for v in requirements.get("must_have") or []])
        or years_asked([str(v) for v in requirements.get("nice_to_have") or []])
        or years_asked((posting.description or "").splitlines())
    )
    cv_years = cv_parsed(cv).get("years_experience") if cv is not None else None
    sent = applied_at or application.applied_at
    return InterviewInput(
        **match_features(match, cv_years=cv_years, years_asked=asked[0] if asked else None),
        channel=application.channel or None,
        applied_weekday=sent.weekday() if sent else None,
        days_saved_to_applied=(
            max(0.0, (sent - posting.created_at).total_seconds() / 86400) if sent and posting.created_at else None
        ),
        seniority=seniority_of(posting.title),
        remote=posting.remote or None,
        employment_type=posting.employment_type or None,
        industry=posting.industry or None,
    )


def interview_outcomes_collect(*, as_of: datetime | None = None, with_inputs: bool = True) -> list[OutcomeRow]:
    """Every sent application of the current tenant schema with its censored labels as of `as_of` (now by default;
    events after it are ignored), oldest first. Censored rows are kept (label None) so they can be counted; inputs
    are computed only for rows with a label. Two queries plus the match of each labelled application."""
    from tenants.context import require_tenant_schema
    from tracking.models import Application, ApplicationEvent

    require_tenant_schema()
    as_of = as_of or timezone.now()
    stages: dict[int, list[tuple[str, datetime]]] = {}
    events = ApplicationEvent.objects.filter(occurred_at__lte=as_of).order_by("application_id", "occurred_at", "pk")
    for application_id, stage, at in events.values_list("application_id", "to_stage", "occurred_at"):
        stages.setdefault(application_id, []).append((stage, at))
    applications = Application.objects.order_by("pk")
    if with_inputs:
        applications = applications.select_related("posting", "cv", "cv__correction", "owner")
    else:
        applications = applications.only("pk", "owner_id", "applied_at")
    rows: list[OutcomeRow] = []
    for application in applications:
        history = stages.get(application.pk, [])
        applied = application.applied_at if application.applied_at and application.applied_at <= as_of else None
        sent = applied_at_of(history, applied)
        if sent is None:
            continue
        labels = outcome_labels(stages=history, applied_at=sent, as_of=as_of)
        labelled = labels.interview is not None or labels.offer is not None
        item = interview_input_for(application, applied_at=sent) if with_inputs and labelled else None
        rows.append(OutcomeRow(application.pk, application.owner_id, sent, labels, item))
    rows.sort(key=lambda row: (row.applied_at, row.application_id))
    return rows


def outcome_counts(rows: Sequence[OutcomeRow]) -> dict[str, int]:
    interview = [row.interview_label for row in rows]
    offer = [row.offer_label for row in rows]
    return {
        "applications": len(rows),
        "labelled": sum(label is not None for label in interview),
        "positives": sum(label == 1 for label in interview),
        "negatives": sum(label == 0 for label in interview),
        "censored": sum(label is None for label in interview),
        "offer_labelled": sum(label is not None for label in offer),
        "offer_positives": sum(label == 1 for label in offer),
    }
