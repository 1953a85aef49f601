from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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
