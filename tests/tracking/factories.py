"""factory_boy factories for the seeker's data. Rows are made in whatever schema is active (wrap calls in
``schema_context("alpha")``), directly rather than through the services, so a test controls every value; the
invariants the services keep are kept here too (an application's stage is its latest event's ``to_stage``; CV
versions count up per owner).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import factory
from django.db.models import Max
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tracking.models import (
    Application,
    ApplicationEvent,
    CandidateProfile,
    Contact,
    CVDocument,
    JobPosting,
    Note,
    Notification,
    Reminder,
    Stage,
    Task,
)
from tracking.requirements import READER_VERSION


def _next_cv_version(cv: CVDocument) -> int:
    latest = CVDocument.objects.filter(owner=cv.owner).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


class CVDocumentFactory(factory.django.DjangoModelFactory):
    """A pasted CV version that was read successfully."""

    class Meta:
        model = CVDocument

    owner = factory.SubFactory(UserFactory)
    version = factory.LazyAttribute(_next_cv_version)
    source = CVDocument.Source.PASTE
    text = factory.Sequence(lambda n: f"Data engineer with {n % 20 + 1} years of Python and SQL.")
    size_bytes = factory.LazyAttribute(lambda cv: len(cv.text.encode()))
    sha256 = factory.LazyAttribute(lambda cv: hashlib.sha256(cv.text.encode()).hexdigest())
    content_type = "text/plain"
    status = CVDocument.Status.PARSED
    parsed = factory.LazyFunction(lambda: {"skills": ["python", "sql"]})
    parser_version = "test"


class JobPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Data Engineer {n}")
    company = factory.Sequence(lambda n: f"Company {n}")
    url = factory.Sequence(lambda n: f"https://jobs.example.com/{n}")
    location = "Berlin"
    country = "DE"
    region = "EU"
    employment_type = JobPosting.EmploymentType.FULL_TIME
    remote = JobPosting.Remote.HYBRID
    description = "Requirements:\n- Python\n- SQL"
    requirements = factory.LazyFunction(lambda: {"must_have": ["Python", "SQL"], "nice_to_have": []})
    requirements_version = READER_VERSION  # stored as given, as if read by today's reader


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application with its first event (``to_stage`` = ``stage``, at ``stage_changed_at``)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    posting = factory.SubFactory(JobPostingFactory, owner=factory.SelfAttribute("..owner"))
    cv = None
    channel = Application.Channel.JOB_BOARD
    stage = Stage.APPLIED
    stage_changed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    applied_at = factory.LazyAttribute(lambda app: app.stage_changed_at if app.stage == Stage.APPLIED else None)

    @factory.post_generation
    def first_event(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            ApplicationEvent.objects.create(
                application=self, to_stage=self.stage, occurred_at=self.stage_changed_at, actor=self.owner
            )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Faker("name")
    role = "recruiter"
    email = factory.Sequence(lambda n: f"recruiter{n}@company.example")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    application = factory.SubFactory(ApplicationFactory)
    body = factory.Sequence(lambda n: f"Call went well ({n}).")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    application = factory.SubFactory(ApplicationFactory)
    title = factory.Sequence(lambda n: f"Prepare for interview {n}")
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    application = factory.SubFactory(ApplicationFactory)
    owner = factory.SelfAttribute("application.owner")
    kind = Reminder.Kind.AFTER_APPLYING
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=4))
    status = Reminder.Status.SCHEDULED


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    reminder = None
    title = factory.Sequence(lambda n: f"Time to follow up ({n})")
    body = "A short, polite follow-up often gets a reply."
    url = "/app/"


def one_of_everything(owner, *, marker: str = "Zebracorn") -> dict[str, object]:
    """One row of each kind for ``owner``, all linked, with ``marker`` in the posting's title and company, the contact,
    note, task and notification, so a test can assert that none of it appears in a response."""
    cv = CVDocumentFactory(owner=owner, text=f"{marker} CV text with Python and SQL.")
    posting = JobPostingFactory(owner=owner, title=f"{marker} Engineer", company=f"{marker} GmbH")
    application = ApplicationFactory(owner=owner, posting=posting, cv=cv)
    task = TaskFactory(application=application, title=f"{marker} task")
    return {
        "cv": cv,
        "posting": posting,
        "application": application,
        "contact": ContactFactory(application=application, name=f"{marker} Contact"),
        "note": NoteFactory(application=application, body=f"{marker} note"),
        "task": task,
        "reminder": ReminderFactory(application=application),
        "notification": NotificationFactory(user=owner, title=f"{marker} notification"),
    }


def candidate_profile_set(user, **fields) -> CandidateProfile:
    """The user's profile with exactly these values (every other field at its default), whether or not a profile
    exists already: the security probe's committed requests leave the cast's users one."""
    defaults = {
        field.name: field.get_default()
        for field in CandidateProfile._meta.concrete_fields
        if field.name not in ("id", "user", "created_at")
    }
    profile, _created = CandidateProfile.objects.update_or_create(user=user, defaults=defaults | fields)
    return profile
