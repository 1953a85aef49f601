"""Staff admin for experiments (with their results page) and feature flags, public host only.

An experiment's variants are typed one a line ("control 50"); a malformed definition (weights not summing to 100,
an unknown metric, a population of listed tenants without tenants) is refused with the error beside its field, as is
a change of the variants of an experiment that runs or has exposures, or of its metric once people were exposed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.experiments.catalogue import experiment_notes
from analytics.experiments.charts import results_chart
from analytics.experiments.definitions import experiment_change_check, metric_check, variants_parse, variants_text
from analytics.experiments.metrics import metric_choices
from analytics.experiments.results import experiment_results
from analytics.flags import people_parse
from analytics.models import Experiment, Exposure, FeatureFlag
from market.admin_base import ReadOnlyAdmin
from tenants.models import Client

VARIANTS_HELP = gettext_lazy(
    "One variant a line: a name and its weight in whole per cent, e.g. “control 50”. The first line is the control. "
    "The weights must add up to 100."
)


class ExperimentAdminForm(forms.ModelForm):
    variants = forms.CharField(
        label=capfirst(Experiment._meta.get_field("variants").verbose_name), widget=forms.Textarea(attrs={"rows": 4})
    )
    metric = forms.ChoiceField(
        label=capfirst(Experiment._meta.get_field("metric").verbose_name), choices=metric_choices
    )

    class Meta:
        model = Experiment
        fields = [
            *("key", "name", "description", "variants", "metric", "population", "tenants"),
            *("starts_at", "stops_at", "status"),
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variants"].help_text = VARIANTS_HELP
        self.fields["tenants"].queryset = Client.objects.exclude(kind=Client.Kind.PUBLIC).order_by("name")
        if self.instance.pk is not None:
            self.initial["variants"] = variants_text(self.instance.variants)

    def clean_variants(self) -> list:
        return variants_parse(self.cleaned_data.get("variants", ""))

    def clean_metric(self) -> str:
        metric = self.cleaned_data.get("metric", "")
        metric_check(metric)
        return metric

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_at, stops_at = cleaned.get("starts_at"), cleaned.get("stops_at")
        if starts_at and stops_at and stops_at <= starts_at:
            self.add_error("stops_at", _("An experiment must stop after it starts."))
        if cleaned.get("population") == Experiment.Population.TENANTS and not cleaned.get("tenants"):
            self.add_error("tenants", _("List at least one tenant, or choose another population."))
        if "variants" in cleaned and "metric" in cleaned:
            errors = experiment_change_check(
                experiment=self.instance, variants=cleaned["variants"], metric=cleaned["metric"]
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    form = ExperimentAdminForm
    list_display = ("key", "name", "status", "metric", "population", "starts_at", "stops_at", "results_link")
    list_filter = ("status",)
    search_fields = ("key", "name")
    filter_horizontal = ("tenants",)
    readonly_fields = ("results_link",)

    def get_readonly_fields(self, request: HttpRequest, obj: Experiment | None = None) -> tuple:
        # The key is part of the assignment hash: changing it would move everyone.
        return ("key", "results_link") if obj is not None else ("results_link",)

    @admin.display(description=gettext_lazy("results"))
    def results_link(self, obj: Experiment) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:analytics_experiment_results", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the results"))

    def get_urls(self) -> list:
        results = self.admin_site.admin_view(self.results_view)
        return [path("<int:experiment_id>/results/", results, name="analytics_experiment_results"), *super().get_urls()]

    def results_view(self, request: HttpRequest, experiment_id: int) -> HttpResponse:
        """The experiment's results, computed now (this look joins the sequential test's state)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        experiment = get_object_or_404(Experiment, pk=experiment_id)
        results = experiment_results(experiment)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Results: %(name)s") % {"name": experiment.name},
            "opts": self.model._meta,
            "original": experiment,
            "results": results,
            "notes": experiment_notes(experiment),
            "chart": results_chart(results),
        }
        return TemplateResponse(request, "admin/analytics/experiment/results.html", context)


@admin.register(Exposure)
class ExposureAdmin(ReadOnlyAdmin):
    list_display = ("experiment", "tenant", "user_id", "variant", "exposed_at", "simulated")
    list_filter = ("experiment", "variant", "simulated")
    list_select_related = ("experiment", "tenant")


class FeatureFlagAdminForm(forms.ModelForm):
    class Meta:
        model = FeatureFlag
        fields = ["name", "description", "enabled", "everyone", "beta_cohort", "tenants", "people", "percent"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tenants"].queryset = Client.objects.order_by("name")

    def clean_people(self) -> str:
        return "\n".join(people_parse(self.cleaned_data.get("people", "")))


@admin.register(FeatureFlag)
class FeatureFlagAdmin(admin.ModelAdmin):
    form = FeatureFlagAdminForm
    list_display = ("name", "enabled", "everyone", "beta_cohort", "percent", "updated_at")
    list_filter = ("enabled", "everyone", "beta_cohort")
    search_fields = ("name", "description")
    filter_horizontal = ("tenants",)
