"""What every API view shares: the user-scoped queryset, service errors as 400s, and the docs pages.

Isolation fails closed here, once. :class:`UserScopedViewSet` owns ``get_queryset`` and ``get_object``; a subclass
only says which rows of its model it shows (``safely_get_queryset``) and which field leads to their owner
(``owner_field``). The owner filter is applied after the subclass's queryset, so another user's or another tenant's
object is a 404 whatever the subclass returns. Subclasses that try to override the scoping fail at import time.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.template import engines
from drf_spectacular.drainage import set_override
from drf_spectacular.views import SpectacularRedocView
from rest_framework import exceptions, serializers, views, viewsets
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.response import Response

from billing.gating import PLAN_REQUIRED, EntitlementRequired
from tenants.context import require_tenant_schema
from tracking.models import Application

SCOPING_METHODS = ("get_queryset", "get_object", "filter_queryset")


def service_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as DRF's body: ``{"field": ["message"]}`` (already in the active language)."""
    if hasattr(error, "error_dict"):
        return {field: [str(message) for message in messages] for field, messages in error.message_dict.items()}
    return {"non_field_errors": [str(message) for message in error.messages]}


class ServiceErrorsMixin:
    """Turns the ValidationError a service raises into a 400 naming the field, like an input serializer's, and a
    plan's refusal (billing.gating.EntitlementRequired) into a 403 whose ``detail`` is the translated reason.

    Also names the view's nested Input/Output serializers in the OpenAPI schema after the view (``ApplicationViewSet.
    OutputSerializer`` → ``ApplicationOutput``), since every view has its own ``OutputSerializer``.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        prefix = cls.__name__.removesuffix("ViewSet").removesuffix("View")
        for name, value in list(cls.__dict__.items()):
            nested = isinstance(value, type) and value.__qualname__.startswith(f"{cls.__qualname__}.")
            if nested and issubclass(value, serializers.BaseSerializer):
                set_override(value, "component_name", prefix + name.removesuffix("Serializer"))

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, EntitlementRequired):  # the plan refuses: a 403 saying why, not a form error
            exc = exceptions.PermissionDenied(detail=exc.reason, code=PLAN_REQUIRED)
        elif isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(detail=service_error_detail(exc))
        return super().handle_exception(exc)  # type: ignore[misc]


class ServiceAPIView(ServiceErrorsMixin, views.APIView):
    """For endpoints about the signed-in user themselves (no object id in the URL)."""


class UserScopedViewSet(ServiceErrorsMixin, viewsets.GenericViewSet):
    """Base for every view that reads or writes rows by id. See the module docstring for the contract."""

    model: ClassVar[type[Model]]
    owner_field: ClassVar[str] = "owner"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        overridden = [name for name in SCOPING_METHODS if name in cls.__dict__]
        if overridden or cls.__dict__.get("queryset") is not None:
            raise TypeError(
                f"{cls.__name__} must not define {overridden or ['queryset']}: "
                "return the model's rows from safely_get_queryset and let UserScopedViewSet scope them."
            )

    def safely_get_queryset(self) -> QuerySet:
        """The model-specific rows (joins, ordering, filters from the URL). The owner filter is added afterwards."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user, no tenant
            return self.model._default_manager.none()
        require_tenant_schema()
        user = self.request.user
        if not user.is_authenticated:
            return self.model._default_manager.none()
        queryset = self.safely_get_queryset()
        if queryset.model is not self.model:
            raise TypeError(f"{type(self).__name__}.safely_get_queryset returned {queryset.model.__name__} rows.")
        return queryset.filter(**{self.owner_field: user})

    def get_parent_application(self) -> Application:
        """The application named by ``application_pk`` in the URL, if it is the user's; otherwise a 404."""
        require_tenant_schema()
        user = self.request.user
        applications = Application.objects.filter(owner=user) if user.is_authenticated else Application.objects.none()
        return get_object_or_404(applications, pk=self.kwargs["application_pk"])


class _InlineTemplateRenderer(TemplateHTMLRenderer):
    """Renders the template held by the view rather than one found by name."""

    def resolve_template(self, template_names: list[str]) -> Any:
        return engines["django"].from_string(REDOC_HTML)


# drf-spectacular's own Redoc page loads fonts from Google; this one references only the sidecar's static file.
REDOC_HTML = """<!DOCTYPE html>
<html>
  <head>
    <title>{{ title }}</title>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>body { margin: 0; padding: 0; }</style>
  </head>
  <body>
    <redoc spec-url="{{ schema_url }}"></redoc>
    <script src="{{ redoc_standalone }}"></script>
  </body>
</html>
"""


class RedocView(SpectacularRedocView):
    renderer_classes = [_InlineTemplateRenderer]
