from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def email_normalize(email: str) -> str:
    """Emails are matched case-insensitively: the whole address is stored lower-cased."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email=email_normalize(username))

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email_normalize(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address.

    The table exists in the public schema (staff) and in every tenant schema (job seekers, enterprise members):
    the same address in two tenants is two unrelated accounts. An erased account stays as an anonymised, inactive
    row (privacy/erasure.py) so that billing records naming its id still point at something.
    """

    class Role(models.TextChoices):
        """What a person may do in their organisation (portal/access.py says what each role reaches).

        - member: a job seeker in the programme; sees only their own data.
        - coach: sees the members assigned to them (all members, if the organisation says so), within what each
          member shares.
        - analyst: read-only cohort analytics; aggregates only, never an individual.
        - administrator: the organisation's owner; manages members, coaches, invitations, contracts' use,
          integrations, and sees every member within what the member shares.
        """

        MEMBER = "member", _("member")
        COACH = "coach", _("coach")
        ANALYST = "analyst", _("analyst")
        ADMINISTRATOR = "administrator", _("administrator")

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to use your organisation's language."),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = email_normalize(self.email)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    @property
    def is_administrator(self) -> bool:
        return self.role == self.Role.ADMINISTRATOR

    @property
    def is_coach(self) -> bool:
        return self.role == self.Role.COACH

    @property
    def is_analyst(self) -> bool:
        return self.role == self.Role.ANALYST

    @property
    def is_programme_staff(self) -> bool:
        """An organisation's own staff (administrator, coach, analyst): not a seat-holding job seeker."""
        return self.role in (self.Role.ADMINISTRATOR, self.Role.COACH, self.Role.ANALYST)


class PendingSignup(models.Model):
    """A sign-up waiting for its address to be confirmed (accounts/signup.py). The account is created only when the
    emailed link is followed, so an address nobody confirmed never holds an account, a seat or a password.

    One row per address (the unique constraint is what makes a double-clicked sign-up safe); a newer sign-up with
    another password replaces the row, which invalidates the older link.
    """

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    password = models.CharField(_("password"), max_length=128)
    language = models.CharField(_("language of the confirmation email"), max_length=8, blank=True)
    notice_version = models.CharField(_("privacy notice version accepted"), max_length=20)
    consented_at = models.DateTimeField(_("consent given"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("pending sign-up")
        verbose_name_plural = _("pending sign-ups")

    def __str__(self) -> str:
        return self.email
