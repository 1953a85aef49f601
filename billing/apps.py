from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from billing import admin_revenue  # noqa: F401 - registers the revenue page and consulting admin
        from billing.api_keys import api_key_cache_clear
        from billing.models import ApiKey, Licensee, Plan

        for model in (ApiKey, Licensee, Plan):
            post_save.connect(api_key_cache_clear, sender=model, dispatch_uid=f"billing-key-cache-{model.__name__}")
            post_delete.connect(api_key_cache_clear, sender=model, dispatch_uid=f"billing-key-cache-d-{model.__name__}")
        self._plan_cache_connect(post_save, post_delete)

    def _plan_cache_connect(self, *signals) -> None:
        from billing import plan_cache
        from billing.models import Contract, Plan, Subscription
        from tenants.models import Client

        receivers = {
            Subscription: plan_cache.subscription_changed,
            Contract: plan_cache.contract_changed,
            Client: plan_cache.tenant_changed,
            Plan: plan_cache.catalogue_changed,
        }
        for signal in signals:
            for model, receiver in receivers.items():
                signal.connect(receiver, sender=model, dispatch_uid=f"billing-plan-cache-{id(signal)}-{model.__name__}")
