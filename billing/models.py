"""Billing lives in the public schema only: plans, Stripe customers and subscriptions, the webhook event store and
enterprise contracts. A subscription names its tenant (a foreign key) and the user by id inside that tenant's schema:
PostgreSQL cannot hold a foreign key across schemas, and the Stripe customer -> tenant mapping must be resolvable
without entering any tenant.

Money is stored in minor units (cents) with its ISO 4217 currency, never as floats.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from billing.plan_cache import InvalidatingQuerySet


class Feature(models.TextChoices):
    """What a plan can unlock. Every gated place asks billing.entitlements.entitlement_check for one of these.

    Exporting and erasing one's own data are no feature: every plan has them (privacy/)."""

    TRACKING = "tracking", _("application tracking")
    MATCH = "match", _("CV match score")
    SALARY_BASIC = "salary_basic", _("basic salary estimate")
    SALARY_RANGE = "salary_range", _("salary range with reasons")
    INTERVIEW = "interview", _("interview and offer probability")
    TIME_TO_HIRE = "time_to_hire", _("time to hire")
    API = "api", _("prediction API")


class Plan(models.Model):
    class Kind(models.TextChoices):
        FREE = "free", _("free")
        PREMIUM = "premium", _("premium")
        ENTERPRISE = "enterprise", _("enterprise")
        API = "api", _("API")

    class Interval(models.TextChoices):
        NONE = "", _("none")
        MONTH = "month", _("monthly")
        YEAR = "year", _("yearly")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    interval = models.CharField(_("billing interval"), max_length=5, choices=Interval.choices, blank=True)
    name = models.CharField(_("name"), max_length=80)  # translated (translation.py)
    description = models.TextField(_("description"), blank=True)  # translated
    price_minor = models.PositiveIntegerField(_("price (minor units)"), default=0, help_text=_("e.g. 1200 = 12.00"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    stripe_price_id = models.CharField(_("Stripe price id"), max_length=100, blank=True)
    features = models.JSONField(
        pgettext_lazy("plan contents", "features"), default=list, help_text=_("Feature codes this plan unlocks.")
    )
    application_limit = models.PositiveIntegerField(
        _("tracked applications limit"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    api_monthly_quota = models.PositiveIntegerField(_("API calls a month"), null=True, blank=True)
    api_rate_per_minute = models.PositiveIntegerField(_("API calls a minute"), null=True, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = InvalidatingQuerySet.as_manager()  # bulk writes bump the plan cache (billing/plan_cache.py)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.code


class Customer(models.Model):
    """A Stripe customer and who it pays for: a seeker (tenant + user id) or a whole tenant (enterprise)."""

    stripe_customer_id = models.CharField(_("Stripe customer id"), max_length=100, unique=True)
    tenant = models.ForeignKey("tenants.Client", on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    user_id = models.PositiveBigIntegerField(_("user id in the tenant"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe customer")
        verbose_name_plural = _("Stripe customers")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "user_id"], condition=Q(user_id__isnull=False), name="billing_one_customer_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.stripe_customer_id


class Subscription(models.Model):
    """A seeker's plan: one row per (tenant, user), updated in place as Stripe events arrive (the events themselves
    are kept in WebhookEvent). `stripe_updated` is the Stripe event time of the last change applied, so an older event
    arriving late never overwrites a newer state."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        TRIALING = "trialing", _("trial")
        PAST_DUE = "past_due", _("payment overdue")
        UNPAID = "unpaid", _("unpaid")
        INCOMPLETE = "incomplete", _("incomplete")
        CANCELED = "canceled", _("cancelled")

    class Source(models.TextChoices):
        STRIPE = "stripe", _("Stripe")
        STAFF = "staff", _("granted by staff")

    GRANTING = (Status.ACTIVE, Status.TRIALING, Status.PAST_DUE)

    tenant = models.ForeignKey("tenants.Client", on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    user_id = models.PositiveBigIntegerField(_("user id in the tenant"))
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("plan"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(
        pgettext_lazy("who created it", "source"), max_length=8, choices=Source.choices, default=Source.STRIPE
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="subscriptions"
    )
    stripe_subscription_id = models.CharField(_("Stripe subscription id"), max_length=100, null=True, blank=True)
    current_period_end = models.DateTimeField(_("renews or ends"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(_("cancels at period end"), default=False)
    stripe_updated = models.PositiveBigIntegerField(_("Stripe event time applied"), default=0)
    # Breaks ties between events created in the same second (Stripe's clock has one-second resolution).
    stripe_event_id = models.CharField(_("Stripe event applied"), max_length=100, blank=True)
    granted_until = models.DateField(_("granted until"), null=True, blank=True, help_text=_("Staff grants only."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InvalidatingQuerySet.as_manager()  # bulk writes bump the plan cache (billing/plan_cache.py)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user_id"], name="billing_one_subscription_per_user"),
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=Q(stripe_subscription_id__isnull=False),
                name="billing_stripe_subscription_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.user_id} {self.plan_id} ({self.status})"


class WebhookEvent(models.Model):
    """Every Stripe event received, stored once by its id before it is applied: a duplicate delivery finds the row
    and does nothing; a failed one keeps its error for billing_reconcile to retry."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("webhook outcome", "received")
        APPLIED = "applied", pgettext_lazy("webhook outcome", "applied")
        IGNORED = "ignored", pgettext_lazy("webhook outcome", "ignored")
        FAILED = "failed", pgettext_lazy("webhook outcome", "failed")

    event_id = models.CharField(_("Stripe event id"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=100)
    created = models.PositiveBigIntegerField(_("Stripe event time"))
    livemode = models.BooleanField(_("live mode"), default=False)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RECEIVED)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class Invoice(models.Model):
    """A Stripe invoice of a seeker's subscription, as last reported by `invoice.paid` / `invoice.payment_failed`.

    The subscription's own status stays owned by `customer.subscription.*` events (Stripe moves a subscription to
    past_due and sends `customer.subscription.updated` itself); an invoice row records what was billed and whether it
    was paid, for the billing page and for support."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        PAID = "paid", _("paid")
        UNCOLLECTIBLE = "uncollectible", _("uncollectible")
        VOID = "void", _("void")

    stripe_invoice_id = models.CharField(_("Stripe invoice id"), max_length=100, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="invoices"
    )
    stripe_subscription_id = models.CharField(_("Stripe subscription id"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=13, choices=Status.choices)
    payment_failed = models.BooleanField(_("last payment attempt failed"), default=False)
    amount_due_minor = models.PositiveIntegerField(_("amount due (minor units)"), default=0)
    amount_paid_minor = models.PositiveIntegerField(_("amount paid (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    hosted_invoice_url = models.URLField(_("invoice page"), max_length=500, blank=True)
    stripe_updated = models.PositiveBigIntegerField(_("Stripe event time applied"), default=0)
    stripe_event_id = models.CharField(_("Stripe event applied"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return f"{self.stripe_invoice_id} {self.status}"


class Contract(models.Model):
    """An enterprise tenant's per-seat contract, entered by staff."""

    tenant = models.ForeignKey(
        "tenants.Client", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("tenant")
    )
    seats = models.PositiveIntegerField(_("seats"))
    price_per_seat_minor = models.PositiveIntegerField(_("price per seat a month (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    features = models.JSONField(
        pgettext_lazy("plan contents", "features"), default=list, help_text=_("Feature codes the members get.")
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stripe_subscription_id = models.CharField(_("Stripe subscription id"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = InvalidatingQuerySet.as_manager()  # bulk writes bump the plan cache (billing/plan_cache.py)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("enterprise contract")
        verbose_name_plural = _("enterprise contracts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="billing_contract_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.seats} seats {self.starts_on}–{self.ends_on}"


class ConsultingEngagement(models.Model):
    """Consulting work sold to an organisation, entered by staff: the fourth revenue stream, outside Stripe."""

    client_name = models.CharField(_("client"), max_length=200)
    tenant = models.ForeignKey(
        "tenants.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tenant"),
        help_text=_("When the client is also a tenant."),
    )
    amount_minor = models.PositiveIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("consulting engagement")
        verbose_name_plural = _("consulting engagements")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="billing_consulting_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.client_name} {self.starts_on}–{self.ends_on}"


# ---------------------------------------------------------------------------------------------------------------------
# API licensing: licensees are organisations using the prediction API from their own systems, not tenants.
# ---------------------------------------------------------------------------------------------------------------------


class Licensee(models.Model):
    """An organisation licensed to call the prediction API with its keys, on an API plan (quota and rate).

    Stripe's metered usage is billed to `stripe_customer_id` (a licensee has no tenant, so it cannot be a `Customer`
    row, which names one); empty means its usage is metered here but not reported."""

    name = models.CharField(_("name"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="licensees",
        limit_choices_to={"kind": Plan.Kind.API},
        verbose_name=_("plan"),
    )
    stripe_customer_id = models.CharField(_("Stripe customer id"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API licensee")
        verbose_name_plural = _("API licensees")

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A licensee's key. Only the SHA-256 of the secret is stored; `prefix` (shown in admin and in the secret itself)
    lets staff and the licensee recognise a key without it."""

    licensee = models.ForeignKey(Licensee, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(_("prefix"), max_length=32, unique=True)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last API call"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # A test key (cvp_test_...) is answered like a live one but never metered: no quota used, nothing billed.
    is_test = models.BooleanField(_("test key"), default=False)
    # Set when the key was rotated: it keeps working until then (the grace period), then is refused like a revoked one.
    expires_at = models.DateTimeField(_("stops working at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return self.prefix


class ApiUsage(models.Model):
    """Calls a licensee made in one calendar month (UTC): the quota is enforced on this row by a conditional UPDATE.
    `reported_calls` is how many of them have been handed to Stripe (as ApiUsageReport rows)."""

    licensee = models.ForeignKey(Licensee, on_delete=models.CASCADE, related_name="usage")
    period_start = models.DateField(_("month"))
    calls = models.PositiveIntegerField(_("calls"), default=0)
    reported_calls = models.PositiveIntegerField(_("calls reported to Stripe"), default=0)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("API usage (month)")
        verbose_name_plural = _("API usage (months)")
        constraints = [
            models.UniqueConstraint(fields=["licensee", "period_start"], name="billing_apiusage_one_per_month"),
            models.CheckConstraint(
                condition=Q(reported_calls__lte=models.F("calls")), name="billing_apiusage_reported_le_calls"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licensee_id} {self.period_start:%Y-%m}: {self.calls}"


class ApiUsageDay(models.Model):
    """Calls a licensee made in one day (UTC), for the usage-over-time table; the month row is the one enforced."""

    licensee = models.ForeignKey(Licensee, on_delete=models.CASCADE, related_name="usage_days")
    day = models.DateField(_("day"))
    calls = models.PositiveIntegerField(_("calls"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("API usage (day)")
        verbose_name_plural = _("API usage (days)")
        constraints = [models.UniqueConstraint(fields=["licensee", "day"], name="billing_apiusageday_one_per_day")]

    def __str__(self) -> str:
        return f"{self.licensee_id} {self.day}: {self.calls}"


class ApiUsageReport(models.Model):
    """One Stripe meter event: written (with its quantity and idempotency identifier) before it is sent, so a send
    that failed or whose answer was lost is retried with the same identifier and value and Stripe counts it once."""

    usage = models.ForeignKey(ApiUsage, on_delete=models.PROTECT, related_name="reports")
    calls = models.PositiveIntegerField(_("calls"))
    identifier = models.CharField(_("Stripe meter event identifier"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API usage report")
        verbose_name_plural = _("API usage reports")

    def __str__(self) -> str:
        return self.identifier


class ApiUsageFlush(models.Model):
    """A batch of metered calls moved from Redis into ApiUsage and ApiUsageDay (billing/metering.py): recorded in the
    same transaction, so a batch that is seen again (its deletion from Redis was lost) is not counted twice."""

    batch = models.CharField(_("batch"), max_length=64, unique=True)
    calls = models.IntegerField(_("calls"))
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("API usage flush")
        verbose_name_plural = _("API usage flushes")

    def __str__(self) -> str:
        return self.batch


class PaymentWaitlistEntry(models.Model):
    """A seeker who asked to be told when a plan can be bought on a server without Stripe: one row per (tenant, user,
    plan), so asking twice changes nothing. Like a subscription it names the person by id inside their tenant's
    schema; staff read the list in admin and contact them through the staff directory."""

    tenant = models.ForeignKey("tenants.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant"))
    user_id = models.PositiveBigIntegerField(_("user id in the tenant"))
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("plan"))
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment waiting list entry")
        verbose_name_plural = _("payment waiting list")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user_id", "plan"], name="billing_waitlist_once_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.user_id} {self.plan_id}"
