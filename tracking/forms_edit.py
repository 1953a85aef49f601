"""Forms for correcting what was saved (tracking/edits.py) and for undoable deletes (tracking/deletion.py). Like
tracking/forms.py they shape input only; the services decide what is allowed."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracking.forms import CVVersionChoiceField, DateInput, PostingForm, moment_from_date
from tracking.models import Application, CVDocument, JobPosting, Stage


class PostingEditForm(PostingForm):
    """The posting's own fields; how the seeker applied is edited on the application."""

    salary_period = forms.ChoiceField(
        label=_("Salary period"),
        choices=JobPosting.SalaryPeriod.choices,
        initial=JobPosting.SalaryPeriod.YEAR,
        required=False,
        help_text=_("Per hour, day, week, month or year, as the posting says."),
        error_messages={"invalid_choice": _("Choose per hour, per day, per week, per month or per year.")},
    )

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        del self.fields["cv"]
        del self.fields["channel"]

    @classmethod
    def initial_from(cls, posting: JobPosting) -> dict:
        initial = {name: getattr(posting, name) for name in cls.posting_fields}
        initial["industry"] = "" if posting.industry_detected else posting.industry
        initial["salary_period"] = posting.salary_period or JobPosting.SalaryPeriod.YEAR
        return initial


class ApplicationEditForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How you applied"),
        choices=Application.Channel.choices,
        error_messages={"invalid_choice": _("Choose how you applied from the list.")},
    )
    cv = CVVersionChoiceField(
        label=_("CV version sent"),
        queryset=CVDocument.objects.none(),
        required=False,
        empty_label=_("None pinned"),
        error_messages={"invalid_choice": _("Choose one of your own CV versions.")},
    )
    applied_on = forms.DateField(
        label=_("Applied on"),
        required=False,
        widget=DateInput,
        help_text=_("Correct the day you applied, if it was not the day recorded."),
    )

    def __init__(self, *args, application: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cv"].queryset = CVDocument.objects.filter(owner_id=application.owner_id).defer("text", "parsed")
        if application.applied_at is None:
            del self.fields["applied_on"]

    @staticmethod
    def initial_from(application: Application) -> dict:
        return {
            "channel": application.channel,
            "cv": application.cv_id,
            "applied_on": timezone.localdate(application.applied_at) if application.applied_at else None,
        }

    def clean_applied_on(self) -> date | None:
        day = self.cleaned_data.get("applied_on")
        if day is not None and day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def applied_at(self, application: Application) -> datetime | None:
        """The corrected moment, or None when the day is unchanged (the recorded time of day is kept)."""
        day = self.cleaned_data.get("applied_on")
        if day is None or application.applied_at is None or day == timezone.localdate(application.applied_at):
            return None
        return moment_from_date(day)


class ReopenForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Reopen at"), error_messages={"invalid_choice": _("Choose a stage from the list.")}
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, stages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(stage, Stage(stage).label) for stage in stages]
        if stages:
            self.fields["to_stage"].initial = stages[-1]
