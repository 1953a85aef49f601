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
