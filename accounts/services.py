"""Writes for accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User, email_normalize


def user_create(
    *,
    email: str,
    password: str | None = None,
    password_hash: str = "",
    full_name: str = "",
    language: str = "",
    is_staff: bool = False,
    role: str = User.Role.MEMBER,
) -> User:
    """Creates a user in the current schema (public for staff, a tenant for seekers and members), with a password
    or, from a confirmed sign-up (accounts/signup.py), the hash it was given as. A concurrent create of the same
    address fails on the unique constraint (IntegrityError); callers that expect the race catch it."""
    email = email_normalize(email)
    if role not in User.Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    with transaction.atomic():
        if not is_staff and role == User.Role.MEMBER and _is_enterprise_schema():
            from billing.seats import seat_require

            seat_require()  # an enterprise contract pays for its members' seats; its own staff take none
        user = User(
            email=email, full_name=full_name, language=language, is_staff=is_staff, is_superuser=is_staff, role=role
        )
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
        return user


def _is_enterprise_schema() -> bool:
    from django.db import connection
    from django_tenants.utils import get_public_schema_name

    from tenants.context import current_tenant

    if connection.schema_name == get_public_schema_name():
        return False
    tenant = current_tenant()
    return tenant.kind == tenant.Kind.ENTERPRISE


def user_ensure(
    *, email: str, password: str, full_name: str = "", is_staff: bool = False, role: str = User.Role.MEMBER
) -> tuple[User, bool]:
    """Idempotent: returns the existing user untouched, or creates it. Used by the demo set-up."""
    existing = User.objects.filter(email=email_normalize(email)).first()
    if existing is not None:
        return existing, False
    return user_create(email=email, password=password, full_name=full_name, is_staff=is_staff, role=role), True


def sessions_expired_delete() -> int:
    """Deletes the current schema's expired sessions (a tenant's logins live in its own schema)."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def user_language_set(*, user: User, language: str) -> User:
    user.language = language
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["language"])
    return user
