"""Staff admin of alerts: rules (every scope), their firings (filter: open or resolved) and the heartbeats. The admin
index lists the open firings (analytics/templatetags/alerts_admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from analytics.alerts import display
from analytics.alerts.forms import StaffAlertRuleForm
from analytics.alerts.registry import metric_get
from analytics.models import AlertFiring, AlertRule, Heartbeat


class FiringStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [("open", _("open")), ("resolved", _("resolved"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class FiringInline(admin.TabularInline):
    model = AlertFiring
    extra = 0
    can_delete = False
    max_num = 0
    ordering = ["-fired_at"]
    fields = ("fired_at", "fired_value", "resolved_at", "resolved_value", "resolution")
    readonly_fields = fields
    verbose_name_plural = _("firings")


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    form = StaffAlertRuleForm
    list_display = ("name", "metric_label", "scope", "condition", "status", "last_value", "enabled", "managed_by")
    list_filter = ("enabled", "managed_by", "metric", ("tenant", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "metric", "tenant__name", "tenant__schema_name")
    readonly_fields = ("managed_by", "created_at", "updated_at")
    inlines = [FiringInline]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).select_related("tenant", "state").prefetch_related("firings")

    @admin.display(description=_("metric"), ordering="metric")
    def metric_label(self, rule: AlertRule) -> str:
        return display.metric_label(rule.metric)

    @admin.display(description=_("scope"), ordering="tenant__name")
    def scope(self, rule: AlertRule) -> str:
        return display.scope_text(rule)

    @admin.display(description=_("fires when"))
    def condition(self, rule: AlertRule) -> str:
        return display.condition_text(rule)

    @admin.display(description=_("status"))
    def status(self, rule: AlertRule) -> str:
        if any(firing.resolved_at is None for firing in rule.firings.all()):
            return str(_("firing"))
        return str(_("ok")) if rule.enabled else str(_("off"))

    @admin.display(description=_("last value"))
    def last_value(self, rule: AlertRule) -> str:
        state = getattr(rule, "state", None)
        if state is None or state.evaluated_at is None:
            return "–"
        return display.value_text(metric_get(rule.metric), state.last_value)


@admin.register(AlertFiring)
class AlertFiringAdmin(admin.ModelAdmin):
    list_display = ("rule", "scope", "fired_at", "fired", "resolved_at", "resolved", "resolution")
    list_filter = (FiringStatusFilter, "rule__metric", ("rule__tenant", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("rule", "rule__tenant")
    date_hierarchy = "fired_at"
    search_fields = ("rule__name",)

    def has_add_permission(self, request) -> bool:
        return False  # firings are written by the evaluator only

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("scope"))
    def scope(self, firing: AlertFiring) -> str:
        return display.scope_text(firing.rule)

    @admin.display(description=_("value that fired it"), ordering="fired_value")
    def fired(self, firing: AlertFiring) -> str:
        return display.value_text(metric_get(firing.rule.metric), firing.fired_value)

    @admin.display(description=_("value that resolved it"))
    def resolved(self, firing: AlertFiring) -> str:
        if firing.resolved_at is None or firing.resolved_value is None:
            return "–"
        return display.value_text(metric_get(firing.rule.metric), firing.resolved_value)


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "beat_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
