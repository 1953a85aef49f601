"""Staff admin for the model registry (public host only): the versions of each model, promotion and rollback.

Rows are read-only: a version changes status only through the registry's services, which enforce that a candidate
must beat the champion on the same held-out data. The admin lists the public schema's versions (global, industry and
region models); tenant-trained versions live in their tenant's schema and are listed, promoted and rolled back on the
"tenant models" page (`tenant-models/`), which acts inside the chosen tenant's schema.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from predictions.kinds import KINDS
from predictions.models import ModelVersion
from predictions.registry import model_promote, model_rollback, test_score
from tenants.context import dangerously_for_each_tenant, ready_tenant_schemas

ARTIFACT_PREVIEW_CHARS = 2_000


def _label(version: ModelVersion) -> str:
    scope = f"{version.scope}:{version.scope_key}" if version.scope_key else version.scope
    return f"{version.kind} v{version.version} ({scope})"


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ("kind", "scope", "scope_key", "version", "status", "key_metric", "trained_at", "promoted_at")
    list_filter = ("kind", "scope", "status")
    search_fields = ("scope_key", "notes")
    ordering = ("kind", "scope", "scope_key", "-version")
    exclude = ("artifact",)
    readonly_fields = (
        "kind",
        "scope",
        "scope_key",
        "version",
        "status",
        "key_metric",
        "params",
        "data_fingerprint",
        "metrics",
        "feature_names",
        "trained_at",
        "training_seconds",
        "promoted_at",
        "notes",
        "artifact_preview",
    )
    actions = ["promote", "rollback"]
    change_list_template = "admin/predictions/modelversion/change_list.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.tenant_models_view)
        return [path("tenant-models/", view, name="predictions_modelversion_tenant_models"), *super().get_urls()]

    def tenant_models_view(self, request: HttpRequest) -> HttpResponse:
        """Every ready tenant's own model versions; POST promotes one or rolls its scope back, in that schema."""
        if not self.has_view_permission(request):
            raise Http404
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise Http404
            self._tenant_model_act(request)
            return HttpResponseRedirect(reverse("admin:predictions_modelversion_tenant_models"))

        def versions(_schema: str) -> list[ModelVersion]:
            return list(ModelVersion.objects.filter(scope=ModelVersion.Scope.TENANT).defer("artifact"))

        tenants = [(schema, rows) for schema, rows in dangerously_for_each_tenant(versions) if rows]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Models trained on a tenant's own data"),
            "opts": self.model._meta,
            "tenants": [(schema, [(v, self.key_metric(v)) for v in rows]) for schema, rows in tenants],
        }
        return TemplateResponse(request, "admin/predictions/modelversion/tenant_models.html", context)

    def _tenant_model_act(self, request: HttpRequest) -> None:
        schema = request.POST.get("schema", "")
        if schema not in ready_tenant_schemas():
            raise Http404  # only a ready tenant's schema, never an arbitrary one
        try:  # "²" or a NUL is no id: a 404 like any version the tenant does not have, not a 500
            version_id = forms.IntegerField(min_value=1).clean(request.POST.get("version"))
        except ValidationError:
            raise Http404 from None
        with schema_context(schema):
            version = ModelVersion.objects.filter(pk=version_id, scope="tenant").first()
            if version is None:
                raise Http404
            if request.POST.get("do") == "promote":
                self.promote(request, ModelVersion.objects.filter(pk=version.pk))
            elif request.POST.get("do") == "rollback":
                self.rollback(request, ModelVersion.objects.filter(pk=version.pk))

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModelVersion]:
        return super().get_queryset(request).defer("artifact")  # artifacts run to megabytes; the list never shows them

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from training runs only

    def has_delete_permission(self, request: HttpRequest, obj: ModelVersion | None = None) -> bool:
        return False  # predictions logged in the tenants name these versions

    @admin.display(description=gettext_lazy("key metric (held-out)"))
    def key_metric(self, obj: ModelVersion) -> str:
        spec = KINDS.get(obj.kind)
        value = test_score(obj, spec.metric) if spec else None
        if value is None:
            return "—"
        return f"{spec.metric} {value:,.0f}" if abs(value) >= 100 else f"{spec.metric} {value:.4g}"

    @admin.display(description=gettext_lazy("artifact (preview)"))
    def artifact_preview(self, obj: ModelVersion) -> str:
        text = obj.artifact or ""
        shown = text[:ARTIFACT_PREVIEW_CHARS]
        more = (
            _("… %(count)s more characters") % {"count": f"{len(text) - len(shown):,}"}
            if len(text) > len(shown)
            else ""
        )
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 24rem; overflow: auto">{}</pre>{}', shown, more
        )

    @admin.action(description=gettext_lazy("Promote (if it beats the champion)"), permissions=["change"])
    def promote(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        for version in queryset.order_by("kind", "scope", "scope_key", "version"):
            result = model_promote(candidate=version, metric=KINDS[version.kind].metric)
            values = {"version": _label(version), "reason": result.reason}
            if result.promoted:
                self.message_user(request, _("%(version)s is now the champion: %(reason)s.") % values, messages.SUCCESS)
            else:
                self.message_user(request, _("%(version)s was not promoted: %(reason)s.") % values, messages.WARNING)

    @admin.action(description=gettext_lazy("Roll back to the previous champion"), permissions=["change"])
    def rollback(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        scopes = sorted(set(queryset.values_list("kind", "scope", "scope_key")))
        for kind, scope, scope_key in scopes:
            restored = model_rollback(kind=kind, scope=scope, scope_key=scope_key)
            label = f"{kind} ({scope}:{scope_key})" if scope_key else f"{kind} ({scope})"
            if restored is None:
                message = _("%(scope)s has no earlier champion to roll back to; nothing changed.") % {"scope": label}
                self.message_user(request, message, messages.WARNING)
            else:
                message = _("%(scope)s rolled back: %(version)s is the champion again.") % {
                    "scope": label,
                    "version": _label(restored),
                }
                self.message_user(request, message, messages.SUCCESS)
