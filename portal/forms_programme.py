"""Forms of the programme pages (board templates, goals, announcements, a member's check-in). They read and check
input; the services in portal/templates_service.py, portal/goals.py and portal/announcements.py check again and
write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.audience import Audience, active_members_visible, audience_members
from portal.goals import MAX_TARGET, GoalFields, organisation_today
from portal.models import Cohort, Goal
from portal.templates_service import (
    FOLLOW_UP_AFTER_APPLIED_DAYS,
    FOLLOW_UP_AFTER_INTERVIEW_DAYS,
    TemplateFields,
    default_tasks_parse,
    default_tasks_text,
    stages_check,
)
from tracking.forms import DateInput
from tracking.models import Stage


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages shown on the board"),
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=Stage.values,
        help_text=_("Saved and Applied always stay. Applications in a stage left out still show, grouped apart."),
    )
    default_tasks = forms.CharField(
        label=_("Tasks every member starts with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One task a line: the task, a “|” and in how many days it is due, e.g. “Update your CV | due in 3 days”. "
            "Without a “|”, the task has no due date."
        ),
    )
    follow_up_after_applied_days = forms.IntegerField(
        label=_("Remind to follow up after applying (days)"),
        min_value=FOLLOW_UP_AFTER_APPLIED_DAYS[0],
        max_value=FOLLOW_UP_AFTER_APPLIED_DAYS[1],
        initial=7,
    )
    follow_up_after_interview_days = forms.IntegerField(
        label=_("Remind to follow up after an interview (days)"),
        min_value=FOLLOW_UP_AFTER_INTERVIEW_DAYS[0],
        max_value=FOLLOW_UP_AFTER_INTERVIEW_DAYS[1],
        initial=2,
    )

    @classmethod
    def initial_from(cls, template) -> dict:
        return {
            "name": template.name,
            "description": template.description,
            "stages": template.stages,
            "default_tasks": default_tasks_text(template.default_tasks),
            "follow_up_after_applied_days": template.follow_up_after_applied_days,
            "follow_up_after_interview_days": template.follow_up_after_interview_days,
        }

    def clean_stages(self) -> list[str]:
        return stages_check(self.cleaned_data["stages"])

    def clean_default_tasks(self) -> list[dict]:
        return default_tasks_parse(self.cleaned_data["default_tasks"])

    def fields_for_service(self) -> TemplateFields:
        return TemplateFields(**self.cleaned_data)


class AudienceForm(forms.Form):
    """Which members an action reaches: all the active members the actor reaches, a cohort, or some of them."""

    audience = forms.ChoiceField(
        label=_("Members"), choices=Audience.choices, initial=Audience.ALL, widget=forms.RadioSelect
    )
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.all(), required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Chosen members"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        members = active_members_visible(actor).select_related("membership__cohort").order_by("full_name", "email")
        self.fields["members"].queryset = members

    def clean(self) -> dict:
        data = super().clean()
        audience = data.get("audience")
        if audience == Audience.COHORT and not data.get("cohort"):
            self.add_error("cohort", _("Choose the cohort."))
        if audience == Audience.SELECTED and not data.get("members"):
            self.add_error("members", _("Choose at least one member."))
        return data

    def chosen_members(self):
        data = self.cleaned_data
        return audience_members(
            actor=self.actor,
            audience=data["audience"],
            cohort=data.get("cohort"),
            member_ids=[member.pk for member in data.get("members") or ()],
        )

    def member_choices(self) -> list[tuple[User, bool]]:
        """The members to pick from, each with whether it is ticked (rendered by hand: a widget per member is slow
        for an organisation of thousands)."""
        ticked = {str(value) for value in (self["members"].value() or ())}
        return [(member, str(member.pk) in ticked) for member in self.fields["members"].queryset]


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=150, help_text=_("e.g. “10 applications a week”"))
    metric = forms.ChoiceField(label=_("What counts"), choices=Goal.Metric.choices)
    target = forms.IntegerField(label=_("Target"), min_value=1, max_value=MAX_TARGET)
    period = forms.ChoiceField(label=_("Period"), choices=Goal.Period.choices, initial=Goal.Period.WEEK)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput, initial=organisation_today)
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput, required=False)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.all(),
        required=False,
        empty_label=_("No cohort"),
        help_text=_("A new goal for a cohort enrols the cohort's active members you reach."),
    )

    @classmethod
    def initial_from(cls, goal: Goal) -> dict:
        return {
            field_name: getattr(goal, field_name)
            for field_name in ("title", "metric", "target", "period", "starts_on", "ends_on", "cohort")
        }

    def fields_for_service(self) -> GoalFields:
        return GoalFields(**self.cleaned_data)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    cohort = forms.ModelChoiceField(
        label=_("To"), queryset=Cohort.objects.all(), required=False, empty_label=_("Every member")
    )


class CheckInForm(forms.Form):
    occurred_on = forms.DateField(label=_("When"), widget=DateInput, initial=organisation_today)
    note = forms.CharField(label=_("With whom, about what"), max_length=300, required=False)


class TaskDoneForm(forms.Form):
    done = forms.BooleanField(required=False)
