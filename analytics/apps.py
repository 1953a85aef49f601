from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analytics.kick import domain_event_saved

        post_save.connect(domain_event_saved, sender="tracking.DomainEvent", dispatch_uid="analytics-rollups-kick")
