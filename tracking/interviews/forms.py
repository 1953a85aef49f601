"""The interview form. It shapes input only: tracking.interviews.services decides what is allowed, and its
ValidationErrors come back onto the form with tracking.forms.form_errors_from."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracking.interviews.services import MAX_DURATION_MINUTES, MIN_DURATION_MINUTES, InterviewDetails
from tracking.interviews.zones import time_zone_names
from tracking.models import Application, Contact, Interview


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%H:%M")  # what <input type="time"> reads back: no seconds


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name} · {obj.role}" if obj.role else obj.name


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of interview"),
        choices=Interview.Kind.choices,
        error_messages={
            "required": _("Choose the kind of interview."),
            "invalid_choice": _("Choose the kind of interview from the list."),
        },
    )
    date = forms.DateField(
        label=_("Date"),
        widget=DateInput,
        error_messages={
            "required": _("Enter the interview's date."),
            "invalid": _("Enter the interview's date as a date, such as 2026-12-10."),
        },
    )
    time = forms.TimeField(
        label=_("Start time"),
        widget=TimeInput,
        error_messages={
            "required": _("Enter the interview's start time."),
            "invalid": _("Enter the interview's start time as hours and minutes, such as 14:30."),
        },
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The zone the date and time are in, such as Europe/Berlin."),
        error_messages={
            "required": _("Choose a time zone."),
            "invalid_choice": _("Choose a time zone from the list, such as Europe/Berlin."),
        },
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        initial=60,
        min_value=MIN_DURATION_MINUTES,
        max_value=MAX_DURATION_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
        error_messages={
            "required": _("Enter how many minutes the interview lasts."),
            "invalid": _("Enter the duration as a whole number of minutes, such as 45."),
            "min_value": _("Enter a duration of at least %(limit_value)s minutes."),
            "max_value": _("Enter a duration of at most %(limit_value)s minutes."),
        },
    )
    people = forms.CharField(
        label=_("People"),
        max_length=500,
        required=False,
        help_text=_("Who you will meet, with their roles, e.g. “Ana Ruiz (hiring manager)”."),
    )
    contacts = ContactChoiceField(
        label=_("Contacts taking part"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose contacts of this application.")},
    )
    location = forms.CharField(
        label=_("Place or link"), max_length=500, required=False, help_text=_("An address, a phone number or a link.")
    )
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args, application: Application, default_time_zone: str = "", prefix_id: str = "interview", **kwargs
    ) -> None:
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name.replace("_", " ")) for name in time_zone_names()]
        self.fields["contacts"].queryset = Contact.objects.filter(application=application)
        if not self.is_bound and "time_zone" not in self.initial:
            self.initial["time_zone"] = default_time_zone or settings.TIME_ZONE
            if not default_time_zone:
                # No zone known for this user yet: the browser's own zone is filled in (static/js/cvplus.js).
                self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = ""

    def details(self) -> InterviewDetails:
        data = self.cleaned_data
        return InterviewDetails(
            kind=data["kind"],
            day=data["date"],
            at=data["time"],
            time_zone=data["time_zone"],
            duration_minutes=data["duration_minutes"],
            people=data["people"],
            location=data["location"],
            notes=data["notes"],
            contacts=tuple(data["contacts"]),
        )

    @classmethod
    def for_interview(cls, interview: Interview, *args, **kwargs) -> InterviewForm:
        """The form filled with the interview as stored, its wall time in its own zone."""
        local = timezone.localtime(interview.starts_at, timezone=zoneinfo.ZoneInfo(interview.time_zone))
        initial = {
            "kind": interview.kind,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "time_zone": interview.time_zone,
            "duration_minutes": interview.duration_minutes,
            "people": interview.people,
            "contacts": list(interview.contacts.all()),
            "location": interview.location,
            "notes": interview.notes,
        }
        return cls(
            *args, application=interview.application, initial=initial, prefix_id=f"interview-{interview.pk}", **kwargs
        )
