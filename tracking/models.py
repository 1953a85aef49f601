"""The job seeker's own data, in the tenant schema: profile, CV versions, postings, applications and their history.

Invariants kept here and in tracking/services.py:
- A CV version and an application event are never changed once written (``save`` refuses an update). The
  exceptions: the date of the step to "applied", which its owner may correct between its neighbours
  (tracking.services.application_update, one UPDATE), and a CV version's reading outcome: a version is stored
  "reading" and a worker writes what it read (status, text, parsed) exactly once, with a conditional UPDATE that only
  matches a version still reading (tracking/cv/reading.py).
- A deleted posting or application (``deleted_at`` set) is invisible through the default manager and purged once
  its undo window has passed (tracking/deletion.py).
- An application's ``stage`` always equals the ``to_stage`` of its latest event.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from market.industries import industry_choices
from market.models import SalarySurveyRow
from tracking.requirements import READER_VERSION, requirements_split


class AppendOnlyModel(models.Model):
    """Rows that are written once. Updating one is a programming error; deleting happens only by cascade."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise RuntimeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)


class CandidateProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile", verbose_name=_("user")
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    target_title = models.CharField(_("target job title"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. DE."))
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    # The salary surveys' levels (market.seniority); empty: read from the posting's title, else from the years.
    experience_level = models.CharField(
        _("experience level"), max_length=2, choices=SalarySurveyRow.ExperienceLevel.choices, blank=True
    )
    # ISO 4217; empty: salaries in the currency of the posting (its stated one, else its country's).
    preferred_currency = models.CharField(_("currency for salaries"), max_length=3, blank=True)
    reminders_enabled = models.BooleanField(_("follow-up reminders"), default=True)
    follow_up_after_applied_days = models.PositiveSmallIntegerField(_("remind me after applying (days)"), default=7)
    follow_up_after_interview_days = models.PositiveSmallIntegerField(
        _("remind me after an interview (days)"), default=2
    )
    task_reminder_hours_before = models.PositiveSmallIntegerField(
        _("remind me before a task is due (hours)"), default=24
    )
    ghosted_after_days = models.PositiveSmallIntegerField(_("flag as likely ghosted after (days)"), default=30)
    # The stages the board shows as columns, in Stage order; empty: every stage. An organisation's board template
    # writes it (portal/templates_service.py); applications in other stages still show, grouped apart.
    board_stages = models.JSONField(_("stages shown on the board"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate profile")
        verbose_name_plural = _("candidate profiles")

    def __str__(self) -> str:
        return str(self.user)


def cv_upload_path(instance: CVDocument, filename: str) -> str:
    """Server-generated names only: the user's file name is kept for display, never used on disk."""
    return f"cv/{uuid.uuid4().hex}"


class CVDocument(AppendOnlyModel):
    """One immutable CV version. An unreadable file is kept with its reason, never treated as an empty CV. A new
    version is "reading" until the worker has read it (tracking/cv/reading.py)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("uploaded file")
        PASTE = "paste", _("pasted text")

    class Status(models.TextChoices):
        READING = "reading", pgettext_lazy("CV status", "reading")
        PARSED = "parsed", pgettext_lazy("CV status", "read")
        UNREADABLE = "unreadable", _("could not read this file")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv_documents", verbose_name=_("owner")
    )
    version = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=cv_upload_path, blank=True)
    content_type = models.CharField(_("detected type"), max_length=100, blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    unreadable_reason = models.CharField(_("why it could not be read"), max_length=300, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    parsed = models.JSONField(_("parsed sections, skills and titles"), default=dict, blank=True)
    parser_version = models.CharField(_("parser version"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # The worker's claim on a version still reading: when the last attempt started and how many there were. A claim
    # older than the task's hard time limit belongs to a worker that died (killed over time or memory).
    reading_queued_at = models.DateTimeField(_("reading queued"), null=True, blank=True)
    reading_started_at = models.DateTimeField(_("reading started"), null=True, blank=True)
    reading_attempts = models.PositiveSmallIntegerField(_("reading attempts"), default=0)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("CV version")
        verbose_name_plural = _("CV versions")
        constraints = [models.UniqueConstraint(fields=["owner", "version"], name="tracking_cv_owner_version_uniq")]

    def __str__(self) -> str:
        return f"CV v{self.version}"


class CVCorrection(models.Model):
    """The seeker's corrections to what was read from one CV version: skills to drop (by key), skills to add (as
    written), the job title and the years. The version itself stays as read; tracking.cv_corrections.cv_parsed
    applies this on top of it for the page, the match and the predictions. Written only through
    tracking.cv_corrections.cv_correction_save, which validates first."""

    cv = models.OneToOneField(
        CVDocument, on_delete=models.CASCADE, related_name="correction", verbose_name=_("CV version")
    )
    skills_removed = models.JSONField(_("skills removed (keys)"), default=list, blank=True)
    skills_added = models.JSONField(_("skills added"), default=list, blank=True)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    # None: the years read from the CV stand.
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("CV correction")
        verbose_name_plural = _("CV corrections")

    def __str__(self) -> str:
        return f"correction of CV {self.cv_id}"


class LiveManager(models.Manager):
    """Rows not deleted. The default manager of postings and applications, so every page, selector, API and
    figure leaves a deleted row out without remembering to; ``all_objects`` (also the base manager, which related
    lookups and cascades use) sees them all."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class JobPosting(models.Model):
    """A snapshot of a posting as the user saved it (the page may change or vanish later)."""

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", _("full-time")
        PART_TIME = "part_time", _("part-time")
        CONTRACT = "contract", _("contract")
        FREELANCE = "freelance", _("freelance")
        INTERNSHIP = "internship", _("internship")

    class Remote(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        HYBRID = "hybrid", _("hybrid")
        REMOTE = "remote", _("remote")

    class SalaryPeriod(models.TextChoices):
        HOUR = "hour", _("per hour")
        DAY = "day", _("per day")
        WEEK = "week", _("per week")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_postings", verbose_name=_("owner")
    )
    title = models.CharField(_("job title"), max_length=200)
    company = models.CharField(_("company"), max_length=200)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. US."))
    region = models.CharField(_("region"), max_length=4, blank=True, help_text=_("From the country; empty outside."))
    salary_min = models.DecimalField(_("salary from"), max_digits=12, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(_("salary to"), max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.CharField(_("salary currency"), max_length=3, blank=True)
    salary_period = models.CharField(_("salary period"), max_length=5, choices=SalaryPeriod.choices, blank=True)
    employment_type = models.CharField(
        _("employment type"), max_length=10, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    remote = models.CharField(_("remote"), max_length=8, choices=Remote.choices, default=Remote.ON_SITE)
    # A market.industries code; no model choices, so the industry list can change without a migration.
    industry = models.CharField(
        _("industry"),
        max_length=40,
        blank=True,
        help_text=_("Chosen by the user, or detected from the title and description when the posting was saved."),
    )
    industry_detected = models.BooleanField(_("industry detected"), default=False)
    description = models.TextField(_("description"), blank=True)
    requirements = models.JSONField(
        _("requirements"), default=dict, blank=True, help_text=_('{"must_have": [...], "nice_to_have": [...]}')
    )
    # tracking.requirements.READER_VERSION of the reading stored in `requirements`; "" for lists stored before
    # versions were recorded. The lists are always read from the description (nobody edits them), so an older
    # reading can be replaced without losing anything.
    requirements_version = models.CharField(_("requirements reader version"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    # Null for a posting never edited since it was saved (tracking.services.posting_update sets it).
    updated_at = models.DateTimeField(_("last edited"), null=True, blank=True, editable=False)
    # Set by tracking.deletion: hidden everywhere at once (the default manager leaves it out), restorable until
    # tracking.deletion.UNDO_WINDOW has passed, then purged.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    all_objects = models.Manager()
    objects = LiveManager()

    class Meta:
        ordering = ["-created_at"]
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        verbose_name = _("job posting")
        indexes = [
            models.Index(
                fields=["deleted_at"], condition=models.Q(deleted_at__isnull=False), name="tracking_posting_deleted_idx"
            )
        ]
        verbose_name_plural = _("job postings")

    def __str__(self) -> str:
        return f"{self.title} · {self.company}"

    @cached_property
    def requirements_current(self) -> dict[str, list[str]]:
        """The must-have and nice-to-have lists as the current reader reads the description: the stored lists when it
        stored them, else a fresh reading (not written here: ``manage.py postings_requirements_reread`` does)."""
        if self.requirements_version == READER_VERSION:
            stored = self.requirements or {}
            return {name: list(stored.get(name) or []) for name in ("must_have", "nice_to_have")}
        return requirements_split(self.description or "")

    @cached_property
    def language(self) -> dict:
        """The language the title and description are written in, for the application pages (tracking.cv.language):
        ``{"code", "shipped", "mixed", "name", "mixed_names"}``; code "und" and no name when the text says too
        little to tell."""
        from tracking.cv.labels import LANGUAGE_NAMES
        from tracking.cv.language import language_detect

        detected = language_detect(f"{self.title}\n{self.description}")
        return {
            **detected.as_dict(),
            "name": LANGUAGE_NAMES.get(detected.code, ""),
            "mixed_names": [LANGUAGE_NAMES.get(code, code) for code in detected.mixed],
        }

    @property
    def industry_label(self) -> str:
        """The industry's name in the active language, or "" for none (or one no longer in the list)."""
        return str(dict(industry_choices()).get(self.industry, ""))


class Stage(models.TextChoices):
    SAVED = "saved", _("Saved")
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    INTERVIEWING = "interviewing", _("Interviewing")
    OFFER = "offer", _("Offer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GHOSTED = "ghosted", _("Ghosted")


# When an application first reached each step of the funnel, kept on the application itself (tracking/reach.py):
# each field is the first move to that stage or a later one, so an application moved straight from applied to an
# offer counts as screened and interviewed too. Cohort outcomes (portal/outcomes_queries.py) read these instead of
# the event history.
REACH_FIELDS: dict[str, frozenset[str]] = {
    "screened_at": frozenset({Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED}),
    "interviewed_at": frozenset({Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED}),
    "offered_at": frozenset({Stage.OFFER, Stage.ACCEPTED}),
    "accepted_at": frozenset({Stage.ACCEPTED}),
}


class Application(models.Model):
    class Channel(models.TextChoices):
        REFERRAL = "referral", _("referral")
        COMPANY_SITE = "company_site", _("company website")
        JOB_BOARD = "job_board", _("job board")
        RECRUITER = "recruiter", _("recruiter")
        AGENCY = "agency", _("agency")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications", verbose_name=_("owner")
    )
    posting = models.ForeignKey(
        JobPosting, on_delete=models.PROTECT, related_name="applications", verbose_name=_("job posting")
    )
    cv = models.ForeignKey(
        CVDocument,
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
        verbose_name=_("CV version sent"),
    )
    channel = models.CharField(_("channel"), max_length=14, choices=Channel.choices, default=Channel.JOB_BOARD)
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.SAVED)
    interview_round = models.PositiveSmallIntegerField(_("interview round"), default=0)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed"))
    offer_amount = models.DecimalField(_("offer amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    offer_currency = models.CharField(_("offer currency"), max_length=3, blank=True)
    likely_ghosted_since = models.DateTimeField(
        _("flagged as likely ghosted"), null=True, blank=True, help_text=_("Waiting for the user to confirm.")
    )
    # REACH_FIELDS: first reached screening, interviewing, an offer, acceptance (or a later stage); null until then.
    screened_at = models.DateTimeField(_("first reached screening"), null=True, blank=True, editable=False)
    interviewed_at = models.DateTimeField(_("first reached interviewing"), null=True, blank=True, editable=False)
    offered_at = models.DateTimeField(_("first reached an offer"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # See JobPosting.deleted_at.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    all_objects = models.Manager()
    objects = LiveManager()

    class Meta:
        ordering = ["-stage_changed_at"]
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["owner", "stage"], name="tracking_app_owner_stage_idx"),
            models.Index(
                fields=["deleted_at"], condition=models.Q(deleted_at__isnull=False), name="tracking_app_deleted_idx"
            ),
        ]

    def __str__(self) -> str:
        return str(self.posting)


class ApplicationEvent(AppendOnlyModel):
    """One move of an application, as it happened. The history of every label the prediction models learn from."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    from_stage = models.CharField(_("from"), max_length=14, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=14, choices=Stage.choices)
    interview_round = models.PositiveSmallIntegerField(_("interview round"), default=0)
    occurred_at = models.DateTimeField(_("when it happened"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    offer_amount = models.DecimalField(_("offer amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    offer_currency = models.CharField(_("offer currency"), max_length=3, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A move out of a closed stage (accepted, rejected, withdrawn) made by tracking.services.application_reopen.
    reopened = models.BooleanField(_("reopened"), default=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} → {self.to_stage}"


class Contact(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("application")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True, help_text=_("e.g. recruiter, referrer"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="notes", verbose_name=_("application")
    )
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.body[:50]


class Task(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("application")
    )
    title = models.CharField(_("task"), max_length=200)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """A follow-up the user should make. Sent exactly once: a worker claims it with a conditional UPDATE."""

    class Kind(models.TextChoices):
        AFTER_APPLYING = "after_applying", _("follow up after applying")
        AFTER_INTERVIEW = "after_interview", _("follow up after an interview")
        TASK_DUE = "task_due", _("task due soon")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        OFF = "off", _("turned off")
        CANCELLED = "cancelled", _("no longer needed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("owner")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("application")
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name=_("task")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    dedupe_key = models.CharField(_("dedupe key"), max_length=100, help_text=_("One reminder per cause."))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="tracking_reminder_dedupe_uniq")]
        indexes = [models.Index(fields=["status", "due_at"], name="tracking_reminder_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d}"


class Notification(models.Model):
    """The in-app copy of a sent reminder."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    reminder = models.OneToOneField(
        Reminder, on_delete=models.CASCADE, null=True, related_name="notification", verbose_name=_("reminder")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class DomainEvent(AppendOnlyModel):
    """What happened, written in the transaction of the change it records (the outbox that analytics/rollups.py
    reads). No personal data: ids and categorical properties only, never CV text, notes or contact details.

    `payload["key"]` (or the stage, for application events) is the category the rollups count by, and a numeric
    `payload["value"]` is summed (a prediction's latency, a metered call count)."""

    class Kind(models.TextChoices):
        APPLICATION_CREATED = "application.created", _("application created")
        APPLICATION_DELETED = "application.deleted", _("application deleted")
        APPLICATION_RESTORED = "application.restored", _("application restored")
        STAGE_CHANGED = "application.stage_changed", _("stage changed")
        REMINDER_SENT = "reminder.sent", _("reminder sent")
        CV_PARSED = "cv.parsed", _("CV parsed")
        MEMBER_JOINED = "member.joined", _("member joined")
        USER_SIGNED_UP = "user.signed_up", _("signed up")
        PREDICTION_SERVED = "prediction.served", _("prediction served")
        SUBSCRIPTION_CHANGED = "subscription.changed", _("subscription changed")
        API_METERED = "api.metered", _("API calls metered")
        PAGE_VIEWED = "page.viewed", _("page viewed")
        EXPERIMENT_EXPOSED = "experiment.exposed", _("experiment exposure")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred"))
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    subject_id = models.BigIntegerField(_("subject id"), null=True)
    payload = models.JSONField(_("payload"), default=dict)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("domain event")
        verbose_name_plural = _("domain events")
        indexes = [models.Index(fields=["kind", "occurred_at"], name="tracking_event_kind_time_idx")]

    def __str__(self) -> str:
        return self.kind


# The upload budget's record, the background CSV import and interviews live in their own modules to keep this one
# small; imported here so that Django registers them with this app.
from tracking.models_interviews import Interview  # noqa: E402, F401
from tracking.models_uploads import ImportJob, UploadRecord  # noqa: E402, F401
