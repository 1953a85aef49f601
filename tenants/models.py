from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from market.models import Region as MarketRegion

# Retention periods a tenant may choose (staff set them in the tenants admin; privacy/retention.py applies them daily):
# (field, minimum days, default days, maximum days). The minimums leave people time to notice and act; the maximums
# keep "as long as needed" honest.
RETENTION_LIMITS = {
    "retention_unreadable_upload_days": (1, 30, 365),
    "retention_prediction_log_days": (30, 365, 1095),
}


def _retention_days(field: str, verbose_name: str, help_text: str) -> models.PositiveSmallIntegerField:
    minimum, default, maximum = RETENTION_LIMITS[field]
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(minimum), MaxValueValidator(maximum)],
        help_text=help_text,
    )


class Client(TenantMixin):
    """One tenant: the public site, the consumer site, or an enterprise customer's portal, each with its own schema.

    Invariant: ``is_ready`` is true only once the schema exists and is migrated (set in the same transaction that
    clones it, see tenants/provisioning.py). Requests to a tenant that is not ready get a "being set up" page and
    never touch its schema.
    """

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public site")
        CONSUMER = "consumer", _("Job seekers")
        ENTERPRISE = "enterprise", _("Enterprise")

    Region = MarketRegion.Code  # one list of regions for the whole product

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=4, choices=Region.choices, default=Region.NORTH_AMERICA)
    default_language = models.CharField(_("default language"), max_length=8, default="en")
    currency = models.CharField(_("currency"), max_length=3, default="USD", help_text=_("ISO 4217 code."))
    is_ready = models.BooleanField(_("ready"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    provisioned_at = models.DateTimeField(_("provisioned"), null=True, blank=True)
    retention_unreadable_upload_days = _retention_days(
        "retention_unreadable_upload_days",
        _("keep unreadable CV uploads (days)"),
        _("An upload that could not be read, and that no application pins, is deleted after this many days (1-365)."),
    )
    retention_prediction_log_days = _retention_days(
        "retention_prediction_log_days",
        _("keep the prediction log (days)"),
        _("Rows of the prediction log are deleted after this many days (30-1095)."),
    )
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        help_text=_("Set when staff erase the tenant: its schema and files are dropped, this row and billing stay."),
    )

    # Schemas are made by tenants.provisioning (a clone of the template, off the request path), never on save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="public"), name="tenants_client_one_public_tenant"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": minimum, f"{field}__lte": maximum}),
                    name=f"tenants_client_{field}_range",
                )
                for field, (minimum, _default, maximum) in RETENTION_LIMITS.items()
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"


class Domain(DomainMixin):
    """A host name of a tenant, stored lower-case: host names are case-insensitive and requests are routed by the
    lower-cased host (tenants/middleware.py)."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def save(self, *args, **kwargs) -> None:
        self.domain = self.domain.strip().lower().removesuffix(".")
        super().save(*args, **kwargs)


class StaffAction(models.Model):
    """One action CVPlus staff took on a tenant's data from admin: who, when, which tenant, what, on whom and the
    details. Public schema only (the tenants app is); appended by ``tenants.staff_actions.staff_action_record`` in
    the transaction of the action itself, and never edited (admin shows it read-only).

    People are named by ids, not foreign keys: the person concerned is a user id inside the tenant's schema (as in
    billing.Subscription), and the staff member a user id in the public schema with their address copied, so the log
    outlives both accounts and a tenant user's deletion can never reach this table through the search path.

    A directory search keeps its query as typed (``detail["query"]``): staff typed it, and whoever reviews the log
    must see what was looked for; the log is staff-only, like the directory. Unlike privacy.AuditEntry (a person's
    own log, which keeps only a keyed hash of their address), this log is about what staff did.
    """

    class Action(models.TextChoices):
        DIRECTORY_SEARCHED = "directory.searched", _("searched the staff directory")
        PERSON_VIEWED = "person.viewed", _("viewed a person")
        PLAN_GRANTED = "plan.granted", _("granted a plan")
        PLAN_REVOKED = "plan.revoked", _("revoked a plan")
        SUBSCRIPTION_CHANGED = "subscription.changed", _("changed a subscription")
        SUBSCRIPTION_DELETED = "subscription.deleted", _("deleted a subscription")
        CONTRACT_CREATED = "contract.created", _("created a contract")
        CONTRACT_CHANGED = "contract.changed", _("changed a contract")
        CONTRACT_DELETED = "contract.deleted", _("deleted a contract")
        TENANT_ERASURE_REQUESTED = "tenant.erasure_requested", _("erased a tenant")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor_id = models.BigIntegerField(_("staff member id"))
    actor_email = models.EmailField(_("staff member"), max_length=254)
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    tenant = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tenant")
    )
    target_user_id = models.PositiveBigIntegerField(_("person (user id in the tenant)"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("staff action")
        verbose_name_plural = _("staff audit log")
        indexes = [
            models.Index(fields=["tenant", "at"], name="tenants_staffaction_tenant_at"),
            models.Index(fields=["action", "at"], name="tenants_staffaction_action_at"),
        ]
        permissions = [("use_staff_directory", _("Can search and view people across tenants"))]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
