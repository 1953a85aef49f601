"""Writes for postings, applications and what attaches to them. Validation first, then one transaction.

Every refusal is a ValidationError keyed by the field at fault, with a translated message, raised before anything
is written.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.gating import entitlement_require
from billing.models import Feature
from market.industries import INDUSTRY_CODES
from tenants.context import require_tenant_schema
from tracking import reminders
from tracking.events import domain_event_record
from tracking.models import (
    Application,
    ApplicationEvent,
    CandidateProfile,
    Contact,
    CVDocument,
    DomainEvent,
    JobPosting,
    Note,
    Notification,
    Reminder,
    Stage,
    Task,
)
from tracking.reach import reach_on_move
from tracking.requirements import READER_VERSION as REQUIREMENTS_READER_VERSION
from tracking.requirements import description_body, requirements_split

# Moves a person can make. Terminal stages (accepted, rejected, withdrawn) have none.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    Stage.SAVED: frozenset({Stage.APPLIED, Stage.WITHDRAWN}),
    Stage.APPLIED: frozenset(
        {Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN, Stage.GHOSTED}
    ),
    Stage.SCREENING: frozenset({Stage.INTERVIEWING, Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN, Stage.GHOSTED}),
    Stage.INTERVIEWING: frozenset({Stage.INTERVIEWING, Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN, Stage.GHOSTED}),
    Stage.OFFER: frozenset({Stage.ACCEPTED, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.GHOSTED: frozenset({Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.ACCEPTED: frozenset(),
    Stage.REJECTED: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}
ACTIVE_STAGES = frozenset({Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER})
CLOCK_SKEW = timedelta(minutes=5)
MAX_DESCRIPTION_CHARS = 50_000
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
MAX_YEARS_EXPERIENCE = 70


def text_clean(value: str | None, *, max_chars: int) -> str:
    """User text stored as text: markup stripped (nh3), whitespace trimmed, length bounded."""
    cleaned = nh3.clean(value or "", tags=set(), attributes={}, strip_comments=True)
    # nh3 escapes what remains for HTML; we store plain text and let templates escape on output.
    cleaned = cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    cleaned = cleaned.replace("&#39;", "'").strip()
    return cleaned[:max_chars]


def _money(value: object, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount such as 85000 or 85000.50.")}) from None
    if amount < 0 or amount >= Decimal("1e10") or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Enter a positive amount with at most two decimals.")})
    return amount


def profile_for(user: User) -> CandidateProfile:
    profile, _created = CandidateProfile.objects.get_or_create(user=user)
    return profile


# ---------------------------------------------------------------------------------------------------------------------
# Postings
# ---------------------------------------------------------------------------------------------------------------------
def posting_create(
    *,
    owner: User,
    title: str,
    company: str,
    description: str = "",
    url: str = "",
    location: str = "",
    country: str = "",
    salary_min: object = None,
    salary_max: object = None,
    salary_currency: str = "",
    salary_period: str = "",
    employment_type: str = JobPosting.EmploymentType.FULL_TIME,
    remote: str = JobPosting.Remote.ON_SITE,
    industry: str = "",
) -> JobPosting:
    """A posting as the user saved it. Without an industry, the industry its title and description read as is
    detected (market.keyword_databases) and marked as detected."""
    require_tenant_schema()
    values = posting_values_check(
        title=title,
        company=company,
        location=location,
        country=country,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=salary_currency,
        salary_period=salary_period,
        employment_type=employment_type,
        remote=remote,
        industry=industry,
    )
    description = text_clean(description, max_chars=MAX_DESCRIPTION_CHARS)
    industry = values.pop("industry")
    posting = JobPosting(
        owner=owner,
        description=description,
        url=url.strip()[:1000],
        **values,
        industry=industry or posting_industry_detect(title=values["title"], description=description),
        industry_detected=not industry,
        requirements=requirements_split(description),
        requirements_version=REQUIREMENTS_READER_VERSION,
    )
    posting.industry_detected = posting.industry_detected and bool(posting.industry)
    posting.full_clean(exclude=["owner"])
    posting.save()
    return posting


def posting_values_check(
    *,
    title: str,
    company: str,
    location: str,
    country: str,
    salary_min: object,
    salary_max: object,
    salary_currency: str,
    salary_period: str,
    employment_type: str,
    remote: str,
    industry: str,
) -> dict[str, object]:
    """The posting's fields as they are stored, or a ValidationError naming each field at fault. A salary without
    a period is yearly; a period without a salary is dropped."""
    title = text_clean(title, max_chars=200)
    company = text_clean(company, max_chars=200)
    country = (country or "").strip().upper()
    salary_currency = (salary_currency or "").strip().upper()
    salary_period = (salary_period or "").strip()
    industry = (industry or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Enter the job title.")
    if not company:
        errors["company"] = _("Enter the company.")
    if country and not COUNTRY_RE.match(country):
        errors["country"] = _("Enter a two-letter country code, such as US or DE.")
    if salary_currency and not CURRENCY_RE.match(salary_currency):
        errors["salary_currency"] = _("Enter a three-letter currency code, such as EUR.")
    if employment_type not in JobPosting.EmploymentType.values:
        errors["employment_type"] = _("Choose an employment type from the list.")
    if remote not in JobPosting.Remote.values:
        errors["remote"] = _("Choose on site, hybrid or remote.")
    if salary_period and salary_period not in JobPosting.SalaryPeriod.values:
        errors["salary_period"] = _("Choose per hour, per day, per week, per month or per year.")
    if industry and industry not in INDUSTRY_CODES:
        errors["industry"] = _("Choose an industry from the list.")
    if errors:
        raise ValidationError(errors)
    low = _money(salary_min, field="salary_min")
    high = _money(salary_max, field="salary_max")
    if low is not None and high is not None and low > high:
        raise ValidationError({"salary_max": _("The upper salary must not be below the lower one.")})
    has_salary = low is not None or high is not None
    if has_salary and not salary_currency:
        raise ValidationError({"salary_currency": _("Say which currency the salary is in.")})
    return {
        "title": title,
        "company": company,
        "location": text_clean(location, max_chars=200),
        "country": country,
        "region": _region_of(country),
        "salary_min": low,
        "salary_max": high,
        "salary_currency": salary_currency,
        "salary_period": (salary_period or JobPosting.SalaryPeriod.YEAR) if has_salary else "",
        "employment_type": employment_type,
        "remote": remote,
        "industry": industry,
    }


def posting_industry_detect(*, title: str, description: str) -> str:
    """The industry a posting reads as, or "" when there is not enough to tell (market.industries.industry_guess:
    the employer's sector words first, then the title's job family, then the keyword databases' task words)."""
    from market.industries import industry_guess
    from market.keyword_databases import industry_detect
    from tracking.cv import keywords

    index = keywords.keyword_index()
    codes = [
        found["occupation_code"]
        for found in keywords.titles_match(text=title, sections=[], index=index)
        if found["taxonomy"] == "onet"
    ]
    requirements = requirements_split(description)
    return industry_guess(
        title=title,
        description=description_body(description),  # salary and benefit lines do not say what the employer does
        requirement_lines=[*requirements["must_have"], *requirements["nice_to_have"]],
        ranked=industry_detect(text=f"{title}\n{description}", occupation_codes=codes),
    ).code


def _region_of(country: str) -> str:
    if not country:
        return ""
    from market.models import Country

    return Country.objects.filter(iso2=country).values_list("region_id", flat=True).first() or ""


# ---------------------------------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------------------------------
def _check_at(at: datetime, *, not_before: datetime | None, field: str = "at") -> None:
    if timezone.is_naive(at):
        raise ValidationError({field: _("Give the date with its time zone.")})
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and at < not_before:
        raise ValidationError({field: _("The date cannot be before the application's previous step.")})


def application_create(
    *,
    owner: User,
    posting: JobPosting,
    cv: CVDocument | None = None,
    channel: str = Application.Channel.JOB_BOARD,
    stage: str = Stage.SAVED,
    at: datetime | None = None,
) -> Application:
    """Records an application (saved or already applied) with its first event. Pins the CV version and posting.

    Raises billing.gating.EntitlementRequired (a ValidationError naming the limit) when the owner's plan tracks no
    more applications."""
    require_tenant_schema()
    at = at or timezone.now()
    if posting.owner_id != owner.pk:
        raise ValidationError({"posting": _("Choose one of your own job postings.")})
    if cv is not None and cv.owner_id != owner.pk:
        raise ValidationError({"cv": _("Choose one of your own CV versions.")})
    if channel not in Application.Channel.values:
        raise ValidationError({"channel": _("Choose how you applied from the list.")})
    if stage not in (Stage.SAVED, Stage.APPLIED):
        raise ValidationError({"stage": _("A new application starts as saved or applied.")})
    _check_at(at, not_before=None)
    with transaction.atomic():
        # The plan's limit is counted under a lock on the owner, so two concurrent creates cannot both take the
        # last free place; a refusal raises before anything is written.
        User.objects.select_for_update().filter(pk=owner.pk).exists()
        entitlement_require(user=owner, feature=Feature.TRACKING)
        application = Application.objects.create(
            owner=owner,
            posting=posting,
            cv=cv,
            channel=channel,
            stage=stage,
            applied_at=at if stage == Stage.APPLIED else None,
            stage_changed_at=at,
        )
        ApplicationEvent.objects.create(application=application, to_stage=stage, occurred_at=at, actor=owner)
        domain_event_record(
            kind=DomainEvent.Kind.APPLICATION_CREATED,
            actor_id=owner.pk,
            subject_id=application.pk,
            payload={"stage": stage, "channel": channel, "has_cv": cv is not None},
            at=at,
        )
        if stage == Stage.APPLIED:
            reminders.reminder_schedule_after_applying(application=application, applied_at=at)
    return application


def application_move(
    *,
    application: Application,
    to_stage: str,
    by: User,
    at: datetime | None = None,
    offer_amount: object = None,
    offer_currency: str = "",
    note: str = "",
) -> ApplicationEvent:
    """The one place stages change: checks the move is allowed and the date is plausible, then appends the event."""
    require_tenant_schema()
    at = at or timezone.now()
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Choose a stage from the list.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if to_stage not in ALLOWED_MOVES[application.stage]:
            raise ValidationError(
                {
                    "to_stage": _("An application cannot move from %(from)s to %(to)s.")
                    % {"from": Stage(application.stage).label, "to": Stage(to_stage).label}
                }
            )
        last_at = application.events.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
        _check_at(at, not_before=last_at)
        amount = _money(offer_amount, field="offer_amount")
        offer_currency = (offer_currency or "").strip().upper()
        if to_stage == Stage.OFFER:
            if amount is None:
                raise ValidationError({"offer_amount": _("Enter the amount of the offer.")})
            if not CURRENCY_RE.match(offer_currency):
                raise ValidationError({"offer_currency": _("Enter a three-letter currency code, such as EUR.")})
        elif amount is not None:
            raise ValidationError({"offer_amount": _("Only an offer has an amount.")})
        round_ = application.interview_round + 1 if to_stage == Stage.INTERVIEWING else application.interview_round
        from_stage = application.stage
        event = ApplicationEvent.objects.create(
            application=application,
            from_stage=from_stage,
            to_stage=to_stage,
            interview_round=round_ if to_stage == Stage.INTERVIEWING else 0,
            occurred_at=at,
            actor=by,
            offer_amount=amount,
            offer_currency=offer_currency if amount is not None else "",
            note=text_clean(note, max_chars=500),
        )
        application.stage = to_stage
        application.stage_changed_at = at
        application.interview_round = round_
        application.likely_ghosted_since = None
        if to_stage == Stage.APPLIED and application.applied_at is None:
            application.applied_at = at
        reach_on_move(application, to_stage, at)
        if amount is not None:
            application.offer_amount, application.offer_currency = amount, offer_currency
        application.save()
        domain_event_record(
            kind=DomainEvent.Kind.STAGE_CHANGED,
            actor_id=by.pk,
            subject_id=application.pk,
            payload={"from": from_stage, "to": to_stage, "round": event.interview_round},
            at=at,
        )
        reminders.reminders_after_move(application=application, event=event)
    return event


def application_ghosted_dismiss(*, application: Application) -> None:
    """The user says the application is not ghosted: the flag clears until the next silent window."""
    Application.objects.filter(pk=application.pk).update(likely_ghosted_since=None, stage_changed_at=timezone.now())


# ---------------------------------------------------------------------------------------------------------------------
# Contacts, notes and tasks
# ---------------------------------------------------------------------------------------------------------------------
def contact_add(*, application: Application, name: str, role: str = "", email: str = "", phone: str = "") -> Contact:
    require_tenant_schema()
    name = text_clean(name, max_chars=150)
    if not name:
        raise ValidationError({"name": _("Enter the contact's name.")})
    contact = Contact(
        application=application,
        name=name,
        role=text_clean(role, max_chars=100),
        email=(email or "").strip(),
        phone=text_clean(phone, max_chars=40),
    )
    contact.full_clean()
    contact.save()
    return contact


def note_add(*, application: Application, body: str) -> Note:
    require_tenant_schema()
    body = text_clean(body, max_chars=5000)
    if not body:
        raise ValidationError({"body": _("Write something in the note.")})
    return Note.objects.create(application=application, body=body)


def task_add(*, application: Application, title: str, due_at: datetime | None = None) -> Task:
    require_tenant_schema()
    title = text_clean(title, max_chars=200)
    if not title:
        raise ValidationError({"title": _("Say what the task is.")})
    if due_at is not None and timezone.is_naive(due_at):
        raise ValidationError({"due_at": _("Give the date with its time zone.")})
    with transaction.atomic():
        task = Task.objects.create(application=application, title=title, due_at=due_at)
        reminders.reminder_schedule_for_task(task=task)
    return task


def task_complete(*, task: Task) -> Task:
    with transaction.atomic():
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        reminders.reminders_cancel(task=task)
    return task


# ---------------------------------------------------------------------------------------------------------------------
# Profile, posting upkeep and notifications
# ---------------------------------------------------------------------------------------------------------------------
class PostingInUse(Exception):
    """A posting pinned by an application is its record and cannot be deleted."""


def profile_update(*, user: User, **changes: object) -> CandidateProfile:
    """Writes the given profile fields. Turning reminders off also turns off the ones already scheduled."""
    require_tenant_schema()
    if "preferred_currency" in changes:
        changes["preferred_currency"] = str(changes["preferred_currency"] or "").strip().upper()
        if changes["preferred_currency"] and not CURRENCY_RE.match(changes["preferred_currency"]):
            raise ValidationError({"preferred_currency": _("Enter a three-letter currency code, such as EUR.")})
    with transaction.atomic():
        profile = CandidateProfile.objects.select_for_update().get(pk=profile_for(user).pk)
        for name, value in changes.items():
            setattr(profile, name, value)
        profile.full_clean(exclude=["user"])
        profile.save(update_fields=list(changes))
        if changes.get("reminders_enabled") is False:
            user.reminders.filter(status=Reminder.Status.SCHEDULED).update(status=Reminder.Status.OFF)
    return profile


def posting_url_update(*, posting: JobPosting, url: str) -> JobPosting:
    """The link is the only part of a posting snapshot that may change (pages move); the rest is the record."""
    posting.url = (url or "").strip()[:1000]
    posting.full_clean(exclude=["owner"])
    posting.save(update_fields=["url"])
    return posting


def postings_requirements_reread() -> int:
    """Reads again the requirement lists of this tenant's postings stored by an older reader and stores the current
    reading; returns how many were rewritten. Each row is rewritten only while it still holds an older version, so
    running it twice, or beside a page reading the same posting, writes each posting once."""
    require_tenant_schema()
    rewritten = 0
    stale = JobPosting.objects.exclude(requirements_version=REQUIREMENTS_READER_VERSION).values_list(
        "pk", "description"
    )
    for pk, description in stale.iterator(chunk_size=500):
        rewritten += (
            JobPosting.objects.filter(pk=pk)
            .exclude(requirements_version=REQUIREMENTS_READER_VERSION)
            .update(
                requirements=requirements_split(description or ""), requirements_version=REQUIREMENTS_READER_VERSION
            )
        )
    return rewritten


def posting_delete(*, posting: JobPosting) -> None:
    """Deletes a posting no application pins (one deleted but still undoable counts); raises PostingInUse
    otherwise."""
    with transaction.atomic():
        if Application.all_objects.filter(posting=posting).exists():
            raise PostingInUse
        posting.delete()


def notification_mark_read(*, notification: Notification) -> Notification:
    """Idempotent: the first read time is kept."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
