"""Alert rule forms: staff's (admin) and an organisation's (portal). Both check a rule with
analytics/alerts/checks.py, which puts each refusal on the field it names."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from analytics.alerts.checks import alert_rule_check
from analytics.alerts.registry import Metric, metrics_all
from analytics.models import AlertRule
from tenants.models import Client


def _metric_choices(metrics: list[Metric], current: str = "") -> list[tuple[str, str]]:
    choices = [(metric.key, str(metric.label)) for metric in metrics]
    if current and current not in {key for key, _label in choices}:
        choices.append((current, current))  # a rule on a metric no longer registered still opens (and is refused)
    return choices


def _window_help(metrics: list[Metric]) -> str:
    parts = [
        f"{metric.label}: {metric.window.unit} ({metric.window.minimum}–{metric.window.maximum})"
        for metric in metrics
        if metric.window is not None
    ]
    return " ".join([str(_("Empty: the metric's default.")), "; ".join(parts)])


class _AlertRuleForm(forms.ModelForm):
    organisation = False

    def _metrics(self) -> list[Metric]:
        return metrics_all()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        metrics = self._metrics()
        self.fields["metric"] = forms.ChoiceField(
            label=capfirst(AlertRule._meta.get_field("metric").verbose_name),
            choices=_metric_choices(metrics, self.instance.metric),
        )
        self.fields["window"].help_text = _window_help(metrics)

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            alert_rule_check(self.instance, organisation=self.organisation)
        except ValidationError as error:
            self._update_errors(error)


class StaffAlertRuleForm(_AlertRuleForm):
    class Meta:
        model = AlertRule
        fields = [
            "name",
            "metric",
            "tenant",
            "comparison",
            "threshold",
            "clear_threshold",
            "window",
            "consecutive_breaches",
            "staff_emails",
            "enabled",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "tenant" in self.fields:
            self.fields["tenant"].queryset = Client.objects.exclude(kind=Client.Kind.PUBLIC).order_by("name")


class OrganisationAlertRuleForm(_AlertRuleForm):
    """An organisation's administrators' rule on their own tenant, on the metrics open to them."""

    organisation = True

    class Meta:
        model = AlertRule
        fields = [
            "name",
            "metric",
            "comparison",
            "threshold",
            "clear_threshold",
            "window",
            "consecutive_breaches",
            "enabled",
        ]

    def __init__(self, *args, tenant: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.tenant = tenant
        self.instance.managed_by = AlertRule.ManagedBy.ORGANISATION

    def _metrics(self) -> list[Metric]:
        return [metric for metric in metrics_all() if metric.organisation_editable]
