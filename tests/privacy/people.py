"""People with one of everything, marked with a distinctive word in every text they own, so a test can search the
whole database for what an erasure must have removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from predictions.models import PredictionLog
from privacy.services import consent_record
from tests.conftest import PASSWORD
from tracking import services
from tracking.cv.reading import cv_read
from tracking.cv.services import cv_paste, cv_upload
from tracking.models import Application, ApplicationEvent, CVDocument, DomainEvent, Notification, Stage


@dataclass
class Person:
    user: User
    marker: str
    cv_files: list[str]
    application: Application
    second_application: Application


def person_with_everything(*, email: str, full_name: str, marker: str, role: str = User.Role.MEMBER) -> Person:
    """In the current tenant schema: an account, a profile, an uploaded and a pasted CV version, two applications
    (one moved to interviewing, with a note on the move), a contact, a note, a task, reminders, a notification, a
    consent, a prediction log row and the domain events the services write."""
    user = user_create(email=email, password=PASSWORD, full_name=full_name, role=role)
    services.profile_update(user=user, headline=f"{marker} headline", target_title=f"{marker} analyst")
    uploaded = cv_upload(
        owner=user,
        uploaded_file=SimpleUploadedFile(
            f"{marker}-cv.txt", f"{full_name}\n{email}\n\nExperience\n{marker} analyst, 2019 - 2024\n".encode()
        ),
    )
    pasted = cv_paste(owner=user, text=f"{full_name}\n{marker} pasted CV\n\nSkills\nPython")
    for cv in (uploaded, pasted):  # read now, as the worker would after commit
        cv_read(cv_id=cv.pk)
    uploaded.refresh_from_db()
    posting = services.posting_create(owner=user, title=f"{marker} Engineer", company=f"{marker} GmbH")
    application = services.application_create(owner=user, posting=posting, cv=uploaded, stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=Stage.INTERVIEWING, by=user, note=f"{marker} went well")
    services.contact_add(application=application, name=f"{marker} Recruiter", email=f"{marker.lower()}@hr.example")
    services.note_add(application=application, body=f"{marker} note")
    services.task_add(application=application, title=f"{marker} task", due_at=timezone.now() + timedelta(days=3))
    second_posting = services.posting_create(owner=user, title=f"{marker} Analyst", company=f"{marker} AG")
    second = services.application_create(owner=user, posting=second_posting, stage=Stage.APPLIED)
    Notification.objects.create(user=user, title=f"{marker} notification", body=f"{marker} body", url="/app/")
    consent_record(user=user)
    PredictionLog.objects.create(
        kind=PredictionLog.Kind.MATCH, input_hash="a" * 64, latency_ms=1.0, user=user, model_label="match-1"
    )
    return Person(
        user=user,
        marker=marker,
        cv_files=[cv.file.name for cv in CVDocument.objects.filter(owner=user).exclude(file="")],
        application=application,
        second_application=second,
    )


def rows_about(user: User) -> dict[str, int]:
    """Counts of a user's rows in the current tenant, to show an erasure left another user untouched."""
    return {
        "cv_versions": CVDocument.objects.filter(owner=user).count(),
        "applications": Application.objects.filter(owner=user).count(),
        "events": ApplicationEvent.objects.filter(application__owner=user).count(),
        "notifications": Notification.objects.filter(user=user).count(),
        "domain_events": DomainEvent.objects.filter(actor_id=user.pk).count(),
        "prediction_log": PredictionLog.objects.filter(user=user).count(),
    }
