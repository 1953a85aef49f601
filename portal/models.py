"""The enterprise portal's own data, in each organisation's schema (issue 13).

Who may read or change what is decided in one place, portal/access.py; views and API endpoints ask it and answer 404
for anything out of reach. A person's role is ``accounts.User.role``; everything about their place in the programme
(cohort, coach, what they share, whether they are still enrolled) is their :class:`Membership`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class OrganisationSettings(models.Model):
    """One row per organisation (the schema): how its programme works."""

    coaches_see_all_members = models.BooleanField(
        _("coaches see every member"),
        default=False,
        help_text=_("Off: a coach sees the members assigned to them. Members' sharing choices apply either way."),
    )
    # What a new member shares with their coach until they change it (stated on the invitation page).
    default_share_applications = models.BooleanField(_("members share their applications by default"), default=True)
    default_share_cv = models.BooleanField(_("members share their CV by default"), default=True)
    default_share_notes = models.BooleanField(_("members share their notes by default"), default=False)
    invitation_valid_days = models.PositiveSmallIntegerField(_("invitations are valid for (days)"), default=14)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation settings")
        verbose_name_plural = _("organisation settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="portal_settings_singleton")]

    def __str__(self) -> str:
        return str(_("organisation settings"))

    @classmethod
    def current(cls) -> OrganisationSettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class Cohort(models.Model):
    """A group of members followed together: an intake ("Spring 2026"), a programme ("Data bootcamp")."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("intake")
        PROGRAMME = "programme", _("programme")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INTAKE)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [models.UniqueConstraint(fields=["name"], name="portal_cohort_name_unique")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in the programme. Members (role member) hold a seat while active; coaches, analysts and
    administrators have a membership row too (for their status), but no coach, cohort or sharing choices matter."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DEACTIVATED = "deactivated", _("deactivated")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("person")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships", verbose_name=_("cohort")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_memberships",
        verbose_name=_("coach"),
        limit_choices_to={"role": "coach"},
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    # What the member lets their coach (and the organisation's administrators) see. Aggregates never need consent:
    # they are counts over five people or more (portal/outcomes.py).
    share_applications = models.BooleanField(_("share my applications and their history"), default=True)
    share_cv = models.BooleanField(_("share my CV"), default=True)
    share_notes = models.BooleanField(_("share my notes, contacts and tasks"), default=False)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated on"), null=True, blank=True)
    last_active_at = models.DateTimeField(_("last active"), null=True, blank=True)

    class Meta:
        ordering = ["user__full_name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["coach", "status"], name="portal_membership_coach_idx"),
            models.Index(fields=["cohort", "status"], name="portal_membership_cohort_idx"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Invitation(models.Model):
    """An emailed, single-use link that creates a person inside this organisation's schema. Only a keyed hash of the
    token is stored; the link is valid on this organisation's host only (other schemas do not hold the row)."""

    email = models.EmailField(_("email address"), max_length=254)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, default="member")
    language = models.CharField(_("language of the email"), max_length=8, blank=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("cohort"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coach"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )
    revoked_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["email"], name="portal_invitation_email_idx")]

    def __str__(self) -> str:
        return self.email


class CoachNote(models.Model):
    """A coach's (or administrator's) note about a member. Members do not see these."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_notes", verbose_name=_("member")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coach note")
        verbose_name_plural = _("coach notes")

    def __str__(self) -> str:
        return self.body[:60]


class CoachTask(models.Model):
    """Something a member agreed to do, set by their coach, from a template or by the member; the member sees it."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_tasks", verbose_name=_("member")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("set by")
    )
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    template = models.ForeignKey(
        "BoardTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("template")
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]
        verbose_name = _("member task")
        verbose_name_plural = _("member tasks")
        indexes = [models.Index(fields=["member", "done_at"], name="portal_task_member_idx")]

    def __str__(self) -> str:
        return self.title


class BoardTemplate(models.Model):
    """How an organisation sets up its members' boards: which stages show, tasks everyone starts with, and the
    reminder cadence."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    stages = models.JSONField(_("stages shown on the board"), default=list)  # tracking.Stage values, in order
    default_tasks = models.JSONField(_("tasks every member starts with"), default=list)  # [{"title", "due_in_days"}]
    follow_up_after_applied_days = models.PositiveSmallIntegerField(_("remind after applying (days)"), default=7)
    follow_up_after_interview_days = models.PositiveSmallIntegerField(_("remind after an interview (days)"), default=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("board template")
        verbose_name_plural = _("board templates")

    def __str__(self) -> str:
        return self.name

    def cadence_text(self) -> str:
        """ "Follow-up reminders 7 days after applying and 2 days after an interview", plurals agreeing."""
        applied = ngettext(
            "%(n)s day after applying", "%(n)s days after applying", self.follow_up_after_applied_days
        ) % {"n": self.follow_up_after_applied_days}
        interview = ngettext(
            "%(n)s day after an interview", "%(n)s days after an interview", self.follow_up_after_interview_days
        ) % {"n": self.follow_up_after_interview_days}
        return gettext("Follow-up reminders %(applied)s and %(interview)s.") % {
            "applied": applied,
            "interview": interview,
        }


class TemplateAssignment(models.Model):
    """Which template a member's board follows (the latest applied wins)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_template", verbose_name=_("member")
    )
    template = models.ForeignKey(
        BoardTemplate, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("template")
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)

    class Meta:
        verbose_name = _("template assignment")
        verbose_name_plural = _("template assignments")

    def __str__(self) -> str:
        return f"{self.member_id} → {self.template_id}"


class Goal(models.Model):
    """A target the programme sets ("10 applications a week", "3 informational interviews")."""

    class Metric(models.TextChoices):
        APPLICATIONS = "applications", _("applications sent")
        INTERVIEWS = "interviews", _("interviews")
        INFORMATIONAL = "informational", _("informational interviews")
        TASKS = "tasks", _("tasks done")

    class Period(models.TextChoices):
        WEEK = "week", pgettext_lazy("goal period", "a week")
        MONTH = "month", pgettext_lazy("goal period", "a month")
        TOTAL = "total", pgettext_lazy("goal period", "in total")

    title = models.CharField(_("goal"), max_length=150)
    metric = models.CharField(_("what counts"), max_length=16, choices=Metric.choices)
    target = models.PositiveSmallIntegerField(_("target"))
    period = models.CharField(_("period"), max_length=6, choices=Period.choices, default=Period.WEEK)
    starts_on = models.DateField(_("starts"), default=timezone.localdate)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals", verbose_name=_("cohort")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title

    def target_text(self) -> str:
        """ "10 applications sent a week", with the noun's plural agreeing with the target."""
        n = self.target
        amounts = {
            self.Metric.APPLICATIONS: ngettext("%(n)s application sent", "%(n)s applications sent", n),
            self.Metric.INTERVIEWS: ngettext("%(n)s interview", "%(n)s interviews", n),
            self.Metric.INFORMATIONAL: ngettext("%(n)s informational interview", "%(n)s informational interviews", n),
            self.Metric.TASKS: ngettext("%(n)s task done", "%(n)s tasks done", n),
        }
        amount = amounts[self.metric] % {"n": n}
        # Translators: a goal's target and its period, e.g. "10 applications sent" + "a week".
        return gettext("%(amount)s %(period)s") % {"amount": amount, "period": self.get_period_display()}


class GoalEnrolment(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("goal"))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goal_enrolments", verbose_name=_("member")
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)

    class Meta:
        verbose_name = _("goal enrolment")
        verbose_name_plural = _("goal enrolments")
        constraints = [models.UniqueConstraint(fields=["goal", "member"], name="portal_goal_enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.goal_id}"


class GoalCheckIn(models.Model):
    """A member's own count for what the tracker cannot see (an informational interview they had)."""

    enrolment = models.ForeignKey(
        GoalEnrolment, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("enrolment")
    )
    occurred_on = models.DateField(_("when"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("goal check-in")
        verbose_name_plural = _("goal check-ins")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.occurred_on}"


class Announcement(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("cohort"),
        help_text=_("Empty: every member."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "member"], name="portal_announcement_read")]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.announcement_id}"


class ApiToken(models.Model):
    """A bearer token for the organisation API, created by an administrator. Shown once; only its hash is kept."""

    class Scope(models.TextChoices):
        READ = "read", pgettext_lazy("API token scope", "read")
        READ_WRITE = "read_write", pgettext_lazy("API token scope", "read and write")

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, help_text=_("The first characters, to recognise it."))
    token_hash = models.CharField(_("hash"), max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WebhookEndpoint(models.Model):
    """Where the organisation wants to hear about events. The signing secret is shown once when created."""

    class Event(models.TextChoices):
        MEMBER_JOINED = "member.joined", _("a member joined")
        STAGE_CHANGED = "application.stage_changed", _("an application changed stage")
        OFFER_ACCEPTED = "offer.accepted", _("an offer was accepted")

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


# A delivery whose body the worker has yet to build (portal/webhook_bodies.py): the outbox writes ``{}`` on the request.
UNBUILT = Q(payload={})


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction of the change (an outbox), delivered by the worker with
    retries and backoff; replaying creates a new delivery of the same body.

    A delivery caused by a change is written with an empty body (``UNBUILT``) and the domain event it comes from; the
    worker builds the body on its first try, stores it and never builds it again. Test events and replays are written
    with their body."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        RETRYING = "retrying", _("retrying")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_id = models.UUIDField(_("event id"))
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("body"))  # {} until built (UNBUILT)
    domain_event = models.ForeignKey(
        "tracking.DomainEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # UNBUILT's partial index below is the one the worker looks siblings up by
        verbose_name=_("domain event"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("replay of")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="portal_delivery_due_idx"),
            models.Index(fields=["domain_event"], condition=UNBUILT, name="portal_delivery_unbuilt_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One try at sending a delivery, as the delivery log shows it: when, what came back, how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    attempted_at = models.DateTimeField(_("tried at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)  # portal/webhook_delivery.py: "<kind>|<detail>"
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="portal_webhook_attempt_unique")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
