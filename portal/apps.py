from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Enterprise portal")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from portal import api_auth  # noqa: F401 - registers the API token's OpenAPI security scheme
        from portal.models import WebhookEndpoint
        from portal.webhook_outbox import domain_event_saved
        from portal.webhooks import webhook_endpoint_changed
        from tracking.models import DomainEvent

        # The webhook outbox hears tracking's domain events here, so that tracking never imports portal.
        post_save.connect(domain_event_saved, sender=DomainEvent, dispatch_uid="portal-webhook-outbox")
        for signal in (post_save, post_delete):
            signal.connect(
                webhook_endpoint_changed, sender=WebhookEndpoint, dispatch_uid=f"portal-webhooks-{id(signal)}"
            )
