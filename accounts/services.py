"""Writes for accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User, email_normalize
from tenants.context import require_tenant_schema


def user_create(*, email: str, password: str, full_name: str = "", language: str = "", is_staff: bool = False) -> User:
    """Creates a user in the current schema (public for staff, a tenant for seekers and members)."""
    email = email_normalize(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    with transaction.atomic():
        if not is_staff and _is_enterprise_schema():
            from billing.seats import seat_require

            seat_require()  # an enterprise contract pays for a number of seats
        return User.objects.create_user(
            email, password, full_name=full_name, language=language, is_staff=is_staff, is_superuser=is_staff
        )


def _is_enterprise_schema() -> bool:
    from django.db import connection
    from django_tenants.utils import get_public_schema_name

    from tenants.context import current_tenant

    if connection.schema_name == get_public_schema_name():
        return False
    tenant = current_tenant()
    return tenant.kind == tenant.Kind.ENTERPRISE


def user_signup(*, email: str, password: str, full_name: str = "") -> User:
    """A job seeker's own sign-up on a tenant site. Never creates a user in the public schema."""
    require_tenant_schema()
    return user_create(email=email, password=password, full_name=full_name)


def user_ensure(*, email: str, password: str, full_name: str = "", is_staff: bool = False) -> tuple[User, bool]:
    """Idempotent: returns the existing user untouched, or creates it. Used by the demo set-up."""
    existing = User.objects.filter(email=email_normalize(email)).first()
    if existing is not None:
        return existing, False
    return user_create(email=email, password=password, full_name=full_name, is_staff=is_staff), True


def user_language_set(*, user: User, language: str) -> User:
    user.language = language
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["language"])
    return user
