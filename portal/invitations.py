"""Invitations (issue 13, item 2): an administrator invites people by email, one at a time or from a CSV file
(portal/invitations_csv.py); the invitee follows a single-use link on the organisation's own host and their account
is created inside the organisation's schema.

- The token is random (``secrets``) and only its keyed hash (HMAC-SHA256 with SECRET_KEY) is stored, so a copy of
  the database opens no account. The row lives in the organisation's schema only: another organisation's host looks
  the token up in its own schema and finds nothing.
- Seats: a pending invitation for a member holds a seat. Sending one is refused when members plus pending member
  invitations already fill the contract, so every link sent has a seat waiting for it (withdraw an invitation to free
  its seat). The hard limit is ``billing.seats.seat_require()``, taken again when the link is accepted, inside the
  transaction that creates the member, under a per-tenant lock: concurrent accepts are counted exactly.
- Accepting is one transaction: the account (role from the invitation), its membership (cohort, coach, the sharing
  choices made on the page), the privacy-notice consent, a ``member.joined`` domain event, and the invitation marked
  used. Anything refused leaves nothing behind.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User, email_normalize
from accounts.services import user_create
from billing.seats import SEAT_LIMIT, seats_for_current_tenant
from portal import access
from portal.models import Cohort, Invitation, Membership, OrganisationSettings
from privacy.models import ConsentRecord
from privacy.services import consent_record
from tenants.context import current_tenant, require_tenant_schema
from tenants.links import tenant_absolute_url
from tenants.locale import member_language
from tracking.events import domain_event_record
from tracking.models import DomainEvent

logger = logging.getLogger(__name__)

TOKEN_SALT = "cvplus.portal.invitation"  # noqa: S105 - a namespace for the keyed hash, not a secret
INVITABLE_ROLES = (User.Role.MEMBER, User.Role.COACH, User.Role.ANALYST)


class InvitationLinkInvalid(Exception):
    """The link names no invitation of this organisation (``reason`` "unknown", a 404), or one that is spent:
    "expired", "used" or "withdrawn" (a 410)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def status(self) -> int:
        return 404 if self.reason == "unknown" else 410


# ---------------------------------------------------------------------------------------------------------------------
# Tokens and states
# ---------------------------------------------------------------------------------------------------------------------
def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The keyed hash stored in ``Invitation.token_hash`` (64 hex characters)."""
    return salted_hmac(TOKEN_SALT, token, algorithm="sha256").hexdigest()


def invitation_state(invitation: Invitation, *, now=None) -> str:
    """ "used", "withdrawn", "expired" or "pending"."""
    if invitation.accepted_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "withdrawn"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "pending"


def invitations_pending() -> QuerySet[Invitation]:
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def seats_left_for_invitations(*, excluding: Invitation | None = None) -> int | None:
    """Seats neither used by an active member nor held by a pending member invitation; None without a seat limit."""
    seats = seats_for_current_tenant()
    if seats.total is None:
        return None
    pending = invitations_pending().filter(role=User.Role.MEMBER)
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)
    return max(seats.total - seats.used - pending.count(), 0)


def seats_summary() -> dict:
    """For the pages: ``seats`` (billing.seats.Seats) and ``pending_member_invitations`` (each holds a seat)."""
    return {
        "seats": seats_for_current_tenant(),
        "pending_member_invitations": invitations_pending().filter(role=User.Role.MEMBER).count(),
    }


def _seats_full_message() -> str:
    seats = seats_for_current_tenant()
    pending = invitations_pending().filter(role=User.Role.MEMBER).count()
    return _(
        "No seat left: your contract has %(total)s seats, %(used)s are taken by members and %(pending)s are held by "
        "invitations still waiting. Withdraw an invitation or ask CVPlus for more seats."
    ) % {"total": seats.total, "used": seats.used, "pending": pending}


def _manager(by: User) -> User:
    if not access.is_enterprise() or not access.can_manage_members(by):
        raise Http404
    return by


def _lock_invitations() -> None:
    """Two administrators sending at once are checked one after the other (duplicates and seats), until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"cvplus-invitations:{connection.schema_name}"])


# ---------------------------------------------------------------------------------------------------------------------
# Checking who may be invited
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class InvitationDraft:
    """One invitee as typed on the form or read from a CSV row: plain text, checked by :func:`invitation_rows_check`.
    ``cohort`` is a cohort's name, ``coach`` a coach's email address or full name."""

    email: str
    full_name: str = ""
    role: str = ""
    cohort: str = ""
    coach: str = ""
    language: str = ""
    line: int = 0


@dataclass
class InvitationRow:
    """A draft checked: what it resolves to when it is fine, else the reasons it is not."""

    draft: InvitationDraft
    email: str = ""
    role: str = User.Role.MEMBER
    cohort: Cohort | None = None
    coach: User | None = None
    language: str = ""
    errors: list[str] = field(default_factory=list)
    invitation: Invitation | None = None  # once sent

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def role_label(self) -> str:
        return role_label(self.role) if self.role else self.draft.role


def role_label(role: str) -> str:
    return str(User.Role(role).label) if role in User.Role.values else role


def _fold(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class _Lookups:
    """What checking a batch needs, read once for the batch (a few queries whatever its size)."""

    def __init__(self, emails: list[str]) -> None:
        self.accounts = dict(User.objects.filter(email__in=emails).values_list("email", "is_active"))
        self.invited = set(invitations_pending().filter(email__in=emails).values_list("email", flat=True))
        self.cohorts = {_fold(cohort.name): cohort for cohort in Cohort.objects.all()}
        coaches = list(User.objects.filter(role=User.Role.COACH, is_active=True, is_staff=False))
        names: dict[str, list[User]] = {}
        for coach in coaches:
            names.setdefault(_fold(coach.full_name), []).append(coach)
        self.coaches = {_fold(name): found[0] for name, found in names.items() if name and len(found) == 1}
        self.coaches |= {coach.email: coach for coach in coaches}
        self.seats_left = self.seats_free = seats_left_for_invitations()
        self.roles = _role_words()
        self.languages = {code.casefold(): code for code, _name in settings.LANGUAGES}


@lru_cache(maxsize=1)
def _role_words() -> dict[str, str]:
    """Role codes and their labels in every language, folded: "Mitglied", "coach", "メンバー" all read."""
    words: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            words |= {_fold(str(User.Role(role).label)): role for role in INVITABLE_ROLES}
    return words | {role: role for role in INVITABLE_ROLES}


def _language_read(raw: str, known: dict[str, str]) -> str | None:
    """ "de", "DE", "de-AT" and "ja_JP" read as the shipped language; empty reads as ""; anything else as None."""
    text = raw.strip().casefold().replace("_", "-")
    if not text:
        return ""
    return known.get(text) or known.get(text.split("-")[0])


def _row_check(draft: InvitationDraft, lookups: _Lookups, seen: set[str]) -> InvitationRow:
    row = InvitationRow(draft=draft, email=email_normalize(draft.email))
    errors = row.errors
    try:
        validate_email(row.email)
    except ValidationError:
        if row.email:
            errors.append(_("“%(email)s” is not a valid email address.") % {"email": draft.email.strip()})
        else:
            errors.append(_("The email address is missing."))
    else:
        if row.email in seen:
            errors.append(_("This address is already on an earlier row of the file."))
        elif row.email in lookups.accounts:
            if lookups.accounts[row.email]:
                errors.append(_("This person already has an account here."))
            else:
                errors.append(_("This person has a deactivated account here: reactivate it on the people page."))
        elif row.email in lookups.invited:
            errors.append(_("This person already has an invitation waiting: resend or withdraw it instead."))
        seen.add(row.email)
    role = lookups.roles.get(_fold(draft.role)) if draft.role.strip() else User.Role.MEMBER
    row.role = role or ""
    if role is None:
        errors.append(_("Unknown role “%(role)s”: use member, coach or analyst.") % {"role": draft.role.strip()})
    if draft.cohort.strip():
        row.cohort = lookups.cohorts.get(_fold(draft.cohort))
        if row.cohort is None:
            errors.append(_("Unknown cohort “%(cohort)s”: create it first.") % {"cohort": draft.cohort.strip()})
    if draft.coach.strip():
        row.coach = lookups.coaches.get(_fold(draft.coach)) or lookups.coaches.get(email_normalize(draft.coach))
        if row.coach is None:
            errors.append(
                _("Unknown coach “%(coach)s”: give the email address of an active coach.")
                % {"coach": draft.coach.strip()}
            )
    if role in (User.Role.COACH, User.Role.ANALYST) and (row.cohort or row.coach):
        errors.append(_("Only members are given a cohort and a coach."))
    language = _language_read(draft.language, lookups.languages)
    if language is None:
        errors.append(
            _("Unknown language “%(language)s”: use en, fr, de, es or ja, or leave it empty.")
            % {"language": draft.language.strip()}
        )
    else:
        row.language = language
    if not errors and row.role == User.Role.MEMBER and lookups.seats_left is not None:
        if lookups.seats_left <= 0 and lookups.seats_free:
            errors.append(
                _("No seat left for this row: the rows above take the %(free)s seats still free.")
                % {"free": lookups.seats_free}
            )
        elif lookups.seats_left <= 0:
            errors.append(_seats_full_message())
        else:
            lookups.seats_left -= 1
    return row


def invitation_rows_check(drafts: list[InvitationDraft]) -> list[InvitationRow]:
    """Checks each draft: a valid address not repeated in the batch, no account or waiting invitation for it, a
    known role, cohort, coach and language, and (for members, in order) a free seat. Writes nothing."""
    require_tenant_schema()
    lookups = _Lookups([email_normalize(draft.email) for draft in drafts])
    seen: set[str] = set()
    return [_row_check(draft, lookups, seen) for draft in drafts]


# ---------------------------------------------------------------------------------------------------------------------
# Sending, resending, withdrawing
# ---------------------------------------------------------------------------------------------------------------------
def _join_url(token: str) -> str:
    return tenant_absolute_url(current_tenant(), reverse("portal:join", args=[token]))


def _email(invitation: Invitation, token: str, by: User) -> EmailMessage:
    """The invitation email in the invitee's language when the administrator named one, else the organisation's."""
    tenant = current_tenant()
    with translation.override(invitation.language or member_language(None, tenant)):
        context = {
            "organisation": tenant.name,
            "inviter": by.get_full_name(),
            "full_name": invitation.full_name,
            "role": role_label(invitation.role),
            "is_member": invitation.role == User.Role.MEMBER,
            "join_url": _join_url(token),
            "expires_on": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
        }
        subject = render_to_string("portal/members/email/invitation_subject.txt", context).strip()
        body = render_to_string("portal/members/email/invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[invitation.email])


def _valid_until() -> datetime:
    return timezone.now() + timedelta(days=OrganisationSettings.current().invitation_valid_days)


def invitations_send(*, by: User, drafts: list[InvitationDraft]) -> list[InvitationRow]:
    """Invites every draft that passes :func:`invitation_rows_check`, each in its own transaction with its email
    (an email that cannot be sent leaves no invitation). Each is checked again under the organisation's invitation
    lock, so two administrators sending at once neither invite the same address twice nor pass the seats. Returns
    every row, sent ones with their invitation, the others with their reasons."""
    _manager(by)
    rows = invitation_rows_check(drafts)
    mail = get_connection()
    try:
        mail.open()  # one connection for the batch; if it fails, each send below tries on its own and says so
    except (OSError, smtplib.SMTPException):
        logger.warning("The mail server did not answer before sending invitations", exc_info=True)
    try:
        for index, row in enumerate(rows):
            if row.ok:
                rows[index] = _invitation_send_one(by=by, draft=row.draft, mail=mail)
    finally:
        mail.close()
    return rows


def _invitation_send_one(*, by: User, draft: InvitationDraft, mail) -> InvitationRow:
    token = token_new()
    try:
        with transaction.atomic():
            _lock_invitations()
            (row,) = invitation_rows_check([draft])
            if not row.ok:
                return row
            row.invitation = Invitation.objects.create(
                email=row.email,
                full_name=draft.full_name.strip()[:150],
                role=row.role,
                language=row.language,
                cohort=row.cohort,
                coach=row.coach,
                token_hash=token_hash(token),
                invited_by=by,
                expires_at=_valid_until(),
            )
            message = _email(row.invitation, token, by)
            message.connection = mail
            message.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("The invitation email to one invitee could not be sent")
        row = InvitationRow(draft=draft, email=email_normalize(draft.email))
        row.errors.append(_("The email could not be sent; nothing was saved. Try again in a few minutes."))
    return row


def invitation_get(*, by: User, pk: int) -> Invitation:
    _manager(by)
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_resend(*, by: User, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) valid for the organisation's validity period from now. A withdrawn or
    used invitation cannot be resent; an expired one can, if its seat is still free."""
    _manager(by)
    token = token_new()
    with transaction.atomic():
        _lock_invitations()
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        state = invitation_state(invitation)
        if state in ("used", "withdrawn"):
            raise ValidationError(_("This invitation was already accepted or withdrawn; send a new one instead."))
        if User.objects.filter(email=invitation.email).exists():
            raise ValidationError(_("This person already has an account here."))
        if state == "expired" and invitation.role == User.Role.MEMBER:
            left = seats_left_for_invitations(excluding=invitation)
            if left is not None and left <= 0:
                raise ValidationError(_seats_full_message(), code=SEAT_LIMIT)
        invitation.token_hash = token_hash(token)
        invitation.expires_at = _valid_until()
        invitation.save(update_fields=["token_hash", "expires_at"])
        _email(invitation, token, by).send()
    return invitation


def invitation_withdraw(*, by: User, invitation: Invitation) -> Invitation:
    """The link stops working at once and a member invitation's seat is free again; used ones stay as they are."""
    _manager(by)
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("This invitation was already accepted or withdrawn."))
    invitation.refresh_from_db()
    return invitation


# ---------------------------------------------------------------------------------------------------------------------
# Following the link
# ---------------------------------------------------------------------------------------------------------------------
def invitation_for_token(token: str) -> Invitation:
    """The pending invitation ``token`` names in this organisation, or :class:`InvitationLinkInvalid`."""
    require_tenant_schema()
    if not access.is_enterprise():
        raise InvitationLinkInvalid("unknown")
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
    return _usable(invitation)


def _usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationLinkInvalid("unknown")
    state = invitation_state(invitation)
    if state != "pending":
        raise InvitationLinkInvalid(state)
    return invitation


def invitation_accept(
    *, token: str, full_name: str, password: str, share: access.Shared | None, notice_version: str
) -> User:
    """Creates the invitee's account and membership in this organisation's schema and returns the user (the caller
    signs them in). ``share`` is what a member lets their coach see (None: the organisation's defaults; ignored for
    other roles). Raises :class:`InvitationLinkInvalid` for a spent or unknown link and ``ValidationError`` (with
    nothing written) for a weak password, an address that has an account already, or no free seat."""
    invitation = invitation_for_token(token)
    candidate = User(email=invitation.email, full_name=full_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None
    tenant = current_tenant()
    now = timezone.now()
    with transaction.atomic():
        invitation = _usable(Invitation.objects.select_for_update().filter(pk=invitation.pk).first())
        try:
            with transaction.atomic():
                user = user_create(  # takes the seat (billing.seats.seat_require) for a member, locked until commit
                    email=invitation.email,
                    password=password,
                    full_name=full_name.strip()[:150],
                    language=invitation.language if invitation.language != tenant.default_language else "",
                    role=invitation.role,
                )
        except IntegrityError:
            raise ValidationError(_account_exists_message()) from None
        except ValidationError as error:
            if getattr(error, "code", None) == SEAT_LIMIT:
                raise ValidationError(_no_seat_message(invitation), code=SEAT_LIMIT) from None
            if hasattr(error, "error_dict") and "email" in error.error_dict:
                raise ValidationError(_account_exists_message()) from None
            raise
        membership = _membership_create(user=user, invitation=invitation, share=share, at=now)
        consent_record(user=user, notice_version=notice_version, purpose=ConsentRecord.Purpose.INVITATION, at=now)
        domain_event_record(
            kind=DomainEvent.Kind.MEMBER_JOINED,
            actor_id=user.pk,
            subject_id=user.pk,
            payload={"membership_id": membership.pk, "role": user.role, "cohort_id": membership.cohort_id},
            at=now,
        )
        invitation.accepted_at = now
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


def _membership_create(*, user: User, invitation: Invitation, share: access.Shared | None, at) -> Membership:
    defaults = OrganisationSettings.current()
    is_member = user.role == User.Role.MEMBER
    if share is None or not is_member:
        share = access.Shared(
            defaults.default_share_applications, defaults.default_share_cv, defaults.default_share_notes
        )
    coach = invitation.coach if is_member else None
    if coach is not None and not (coach.is_active and coach.role == User.Role.COACH):
        coach = None  # the coach left or changed role since the invitation was sent
    return Membership.objects.create(
        user=user,
        cohort=invitation.cohort if is_member else None,
        coach=coach,
        share_applications=share.applications,
        share_cv=share.cv,
        share_notes=share.notes,
        joined_at=at,
    )


def _account_exists_message() -> str:
    return _("An account with this email address already exists here. Log in instead, or reset your password.")


def _no_seat_message(invitation: Invitation) -> str:
    return _(
        "%(organisation)s has no free seat at the moment, so your account cannot be created yet. Ask your programme "
        "administrator; this link stays valid until %(date)s."
    ) % {
        "organisation": current_tenant().name,
        "date": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
    }
