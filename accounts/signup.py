"""Sign-up with a confirmed address, answering the same whether or not the address is registered.

- A new address gets a PendingSignup row and a link; the account is created when the link is followed (a POST, so
  a mail scanner opening the link creates nothing) and the consent given on the form is recorded with its notice
  version then.
- A registered address gets an e-mail saying someone tried to sign up with it, and how to log in or reset the
  password. The page answered is the same in both cases, and the password is hashed in both, so neither the page
  nor its timing says which case it was.
- A double-click is safe: the unique address of PendingSignup (and of User, at confirmation) decides, inside a
  savepoint; the loser of the race reuses the winner's row instead of failing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import PendingSignup, User, email_normalize
from accounts.services import user_create
from privacy.notice import PENDING_SIGNUP_DAYS
from privacy.services import consent_record
from tenants.context import current_tenant, require_tenant_schema
from tenants.links import tenant_absolute_url
from tenants.locale import member_language
from tracking.events import domain_event_record
from tracking.models import DomainEvent

logger = logging.getLogger(__name__)

TOKEN_SALT = "accounts.signup.confirm"  # noqa: S105 - a namespace for signatures, not a secret
LINK_MAX_AGE_S = 3 * 24 * 3600


class SignupLinkInvalid(Exception):
    """The link is malformed, expired, already used, or replaced by a newer sign-up for the same address."""


def _digest(pending: PendingSignup) -> str:
    """Ties a link to the row's password hash: a newer sign-up with another password makes older links invalid."""
    return salted_hmac(TOKEN_SALT, f"{pending.pk}:{pending.email}:{pending.password}").hexdigest()[:32]


def signup_token(pending: PendingSignup, invitation_code: str = "") -> str:
    """The link's signed token; a beta invitation code given on the form travels in it (signed, so nobody adds one
    to someone else's link) and is spent at confirmation (`signup_beta_join`)."""
    data = {"p": pending.pk, "d": _digest(pending)} | ({"c": invitation_code} if invitation_code else {})
    return signing.dumps(data, salt=TOKEN_SALT, compress=False)


def signup_confirm_path(pending: PendingSignup, invitation_code: str = "") -> str:
    return reverse("accounts:signup_confirm", args=[signup_token(pending, invitation_code)])


def _pending_expired(pending: PendingSignup) -> bool:
    return pending.created_at < timezone.now() - timedelta(seconds=LINK_MAX_AGE_S)


def signup_request(
    *,
    email: str,
    password: str,
    notice_version: str,
    full_name: str = "",
    language: str = "",
    invitation_code: str = "",
) -> None:
    """Starts a sign-up in the current tenant and e-mails the address; says nothing about which e-mail it sent.
    A beta `invitation_code` (checked by the form) rides in the link and is spent when the address is confirmed."""
    require_tenant_schema()
    email = email_normalize(email)
    password_hash = make_password(password)  # in both cases, so both answers take as long
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        _send(existing.email, "already_registered", member_language(existing), {})
        return
    fields = {
        "full_name": full_name,
        "password": password_hash,
        "language": language,
        "notice_version": notice_version,
        "consented_at": timezone.now(),
        "created_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            pending = PendingSignup.objects.create(email=email, **fields)
    except IntegrityError:
        with transaction.atomic():
            pending = PendingSignup.objects.select_for_update().filter(email=email).first()
            if pending is None:  # confirmed in between: the address is registered now
                _send(email, "already_registered", language, {})
                return
            # A double-click (same password, link still valid) keeps the row, so both e-mails carry a working link.
            if _pending_expired(pending) or not check_password(password, pending.password):
                for name, value in fields.items():
                    setattr(pending, name, value)
                pending.save()
    _send(email, "confirm", pending.language, {"confirm_url": _absolute(signup_confirm_path(pending, invitation_code))})


def signup_pending_from_token(token: str) -> PendingSignup:
    """The pending sign-up a link names, or SignupLinkInvalid."""
    require_tenant_schema()
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=LINK_MAX_AGE_S)
        pending = PendingSignup.objects.filter(pk=int(data["p"])).first()
        valid = pending is not None and constant_time_compare(str(data["d"]), _digest(pending))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        valid = False
    if not valid:
        raise SignupLinkInvalid
    return pending


def signup_confirm(*, token: str) -> User:
    """Creates the account a link names, records its consent, and forgets the pending row. A second use of the same
    link (a double-click) raises SignupLinkInvalid, never an IntegrityError."""
    pending = signup_pending_from_token(token)
    with transaction.atomic():
        pending = PendingSignup.objects.select_for_update().filter(pk=pending.pk).first()
        if pending is None:
            raise SignupLinkInvalid
        try:
            with transaction.atomic():
                user = user_create(
                    email=pending.email,
                    password_hash=pending.password,
                    full_name=pending.full_name,
                    language=_chosen_language(pending.language),
                )
        except (IntegrityError, ValidationError):
            pending.delete()  # the address has an account already (made another way): this link is spent
            raise SignupLinkInvalid from None
        consent_record(user=user, notice_version=pending.notice_version, at=pending.consented_at)
        domain_event_record(kind=DomainEvent.Kind.USER_SIGNED_UP, actor_id=user.pk, subject_id=user.pk)
        pending.delete()
    return user


def signup_beta_join(*, token: str, user: User) -> str | None:
    """Spends the beta invitation code the confirmed link carries, if any, for the new account. Returns None when
    there was no code; "" when it enrolled the person; else the reason it could not (used up or expired since the
    form was sent): the account stands either way, and a code can be tried again on the account page."""
    from analytics.beta import invitation_redeem

    try:
        code = str(signing.loads(token, salt=TOKEN_SALT, max_age=LINK_MAX_AGE_S).get("c", ""))
    except (signing.BadSignature, AttributeError):
        return None
    if not code:
        return None
    try:
        invitation_redeem(code=code, tenant=current_tenant(), user_id=user.pk)
    except ValidationError as error:
        return error.message_dict["invitation_code"][0]
    return ""


def _chosen_language(language: str) -> str:
    """The language the sign-up was made in, kept as the account's own when it is not the site's default: someone who
    signed up in Spanish on an English site keeps reading Spanish on any device. Empty follows the organisation."""
    return language if language in dict(settings.LANGUAGES) and language != current_tenant().default_language else ""


def pending_signups_expired_delete(*, now=None) -> int:
    """Forgets sign-ups nobody confirmed within PENDING_SIGNUP_DAYS (privacy/retention.py runs it daily)."""
    cutoff = (now or timezone.now()) - timedelta(days=PENDING_SIGNUP_DAYS)
    deleted, _by_model = PendingSignup.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _absolute(path: str) -> str:
    return tenant_absolute_url(current_tenant(), path)


def _send(email: str, kind: str, language: str, context: dict) -> None:
    """The sign-up e-mails, in the language asked for (the form's page, or the account holder's own)."""
    tenant = current_tenant()
    with translation.override(language or member_language(None, tenant)):
        context = {
            **context,
            # Named on an organisation's portal; on the consumer site "for CVPlus at CVPlus" would only repeat itself.
            "organisation": tenant.name if tenant.kind == tenant.Kind.ENTERPRISE else "",
            "login_url": _absolute(reverse("accounts:login")),
            "reset_url": _absolute(reverse("accounts:password_reset")),
            "link_days": LINK_MAX_AGE_S // 86400,
            "forget_days": PENDING_SIGNUP_DAYS,
        }
        subject = render_to_string(f"accounts/email/signup_{kind}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/signup_{kind}.txt", context)
    EmailMessage(subject=subject, body=body, to=[email]).send()
