"""The outcomes page's filters and grouping, read from the query string (the page and its CSV files share them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from market.industries import industry_choices
from market.models import Region
from portal.models import Cohort
from portal.outcomes_queries import (
    COACH,
    COHORT,
    COUNTRY,
    INDUSTRY,
    ORGANISATION,
    REGION,
    OutcomeFilters,
    coach_choices,
)
from tracking.forms import DateInput

GROUP_BY_CHOICES = (
    (ORGANISATION, _("the whole organisation")),
    (COHORT, _("cohort")),
    (COACH, _("coach")),
    (INDUSTRY, _("industry of the posting")),
    (REGION, _("region of the posting")),
    (COUNTRY, _("country of the posting")),
)


class OutcomesFilterForm(forms.Form):
    group_by = forms.ChoiceField(label=_("Group by"), choices=GROUP_BY_CHOICES, required=False)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.order_by("name"), required=False, empty_label=_("Every cohort")
    )
    coach = forms.TypedChoiceField(label=_("Coach"), coerce=int, required=False, empty_value=None)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    joined_from = forms.DateField(label=_("Joined from"), required=False, widget=DateInput)
    joined_to = forms.DateField(label=_("Joined until"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = [("", _("Every coach")), *coach_choices()]
        self.fields["industry"].choices = [("", _("Every industry")), *industry_choices()]
        self.fields["region"].choices = [("", _("Every region")), *Region.Code.choices]
        self.fields["cohort"].error_messages["invalid_choice"] = _("Choose a cohort from the list.")
        self.fields["coach"].error_messages["invalid_choice"] = _("Choose a coach from the list.")
        self.fields["industry"].error_messages["invalid_choice"] = _("Choose an industry from the list.")
        self.fields["region"].error_messages["invalid_choice"] = _("Choose a region from the list.")
        self.fields["group_by"].error_messages["invalid_choice"] = _("Choose how to group the figures from the list.")

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("joined_from"), cleaned.get("joined_to")
        if start and end and start > end:
            self.add_error("joined_to", _("The end of the joining period must not be before its start."))
        return cleaned

    def filters(self) -> OutcomeFilters:
        data = self.cleaned_data
        return OutcomeFilters(
            cohort_id=data["cohort"].pk if data.get("cohort") else None,
            coach_id=data.get("coach"),
            industry=data.get("industry") or "",
            region=data.get("region") or "",
            joined_from=data.get("joined_from"),
            joined_to=data.get("joined_to"),
        )

    def group_by_value(self) -> str:
        return self.cleaned_data.get("group_by") or ORGANISATION
