from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from market.models import Region as MarketRegion


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
