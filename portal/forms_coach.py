"""Forms of the coach's workspace: the member list's query string, coach notes and tasks (assignment uses the people
area's ``AssignForm``). Choices of cohorts and coaches are read once per form (one query each), whatever the number
of members listed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.member_figures import NO_VALUE, Flag, MemberFilters, Sort, Status
from portal.models import Cohort
from portal.people import coaches_active
from tracking.forms import DateInput


def cohort_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Cohort.objects.order_by("name").values_list("pk", "name")]


def coach_choices() -> list[tuple[str, str]]:
    coaches = coaches_active().values_list("pk", "full_name", "email")
    return [(str(pk), full_name or email) for pk, full_name, email in coaches]


class MemberListQueryForm(forms.Form):
    """The member list's query string. Without ``with_coach`` (a coach who sees only their own members) there is no
    coach filter."""

    q = forms.CharField(label=_("Name or email"), max_length=100, required=False)
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    coach = forms.ChoiceField(label=_("Coach"), required=False)
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=[("", _("Any")), *Flag.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=Status.choices)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=Sort.choices)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, with_coach: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("Any cohort")), (NO_VALUE, _("No cohort")), *cohort_choices()]
        if with_coach:
            self.fields["coach"].choices = [("", _("Any coach")), (NO_VALUE, _("No coach")), *coach_choices()]
        else:
            del self.fields["coach"]

    def filters(self) -> MemberFilters:
        data = self.cleaned_data
        return MemberFilters(
            q=data["q"].strip(),
            cohort=data["cohort"],
            coach=data.get("coach", ""),
            flag=data["flag"],
            status=data["status"] or Status.ACTIVE,
            sort=data["sort"] or Sort.RECENT,
        )

    def page_number(self) -> int:
        return self.cleaned_data["page"] or 1


class CoachNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the organisation's coaches and administrators see these notes, never the member."),
    )


class CoachTaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput)
