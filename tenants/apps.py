from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")

    def ready(self) -> None:
        from tenants.middleware import tenant_host_cache_clear
        from tenants.models import Client, Domain

        def clear_host_cache(**kwargs: object) -> None:
            tenant_host_cache_clear()  # a cache, not domain logic: any change to a tenant or host invalidates it

        for model in (Client, Domain):
            post_save.connect(clear_host_cache, sender=model, weak=False, dispatch_uid=f"host-cache-save-{model}")
            post_delete.connect(clear_host_cache, sender=model, weak=False, dispatch_uid=f"host-cache-del-{model}")
