"""What staff see before erasing a tenant: what goes and what stays (public schema reads)."""

from __future__ import annotations

from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from accounts.models import User
from billing.models import Contract, Customer, Invoice, Subscription
from tenants.models import Client


def tenant_erasure_preview(*, client: Client) -> dict[str, int]:
    today = timezone.localdate()
    users = 0
    if client.is_ready and schema_exists(client.schema_name):
        with schema_context(client.schema_name):
            users = User.objects.count()
    return {
        "users": users,
        "subscriptions_charging": Subscription.objects.filter(
            tenant=client, source=Subscription.Source.STRIPE, status__in=Subscription.GRANTING
        ).count(),
        "contracts_in_force": Contract.objects.filter(tenant=client, starts_on__lte=today, ends_on__gte=today).count(),
        "invoices_kept": Invoice.objects.filter(customer__tenant=client).count(),
        "customers_kept": Customer.objects.filter(tenant=client).count(),
    }
