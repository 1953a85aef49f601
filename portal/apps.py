from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Enterprise portal")

    def ready(self) -> None:
        from portal import api_auth  # noqa: F401 - registers the API token's OpenAPI security scheme
